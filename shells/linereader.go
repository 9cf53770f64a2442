package shells

import (
	"bufio"
	"context"
	"time"
	"unicode/utf8"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/textwidth"
	"github.com/telnetkit/telnet/negotiate"
)

// wakeOnDone makes a Read of c that is blocked, or that starts, when ctx
// ends return at once with a timeout. The caller calls stop when done.
func wakeOnDone(ctx context.Context, c *telnet.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
}

// The bounds of escape sequences skipped in typed input: a sequence
// longer than this is taken as ended, so that a stray ESC cannot swallow
// the input that follows.
const (
	maxControlSequence = 64   // CSI parameters
	maxControlString   = 4096 // OSC, DCS, APC, PM, SOS payloads
)

// DefaultMaxLine is the longest line, in bytes, a [LineReader] keeps
// when its constructor is given no bound.
const DefaultMaxLine = 4096

// A LineReader reads the lines a user types at a terminal in character
// mode, where the client sends each key as it is pressed and echoes
// nothing itself: it is the line editor of a server that offers WILL
// ECHO and WILL SGA, as the [Debug] shell does, and works the same with
// netcat, which negotiates nothing.
//
// It takes CR, LF, CR LF and CR NUL each as the end of one line, so a Conn
// whose line endings are folded or raw ([telnet.WithRawLineEndings])
// serves alike. It edits as it reads: backspace (BS or DEL) erases the
// last character, ^W the last word, ^U the whole line, each by the
// columns the characters take on the screen (wide characters two, a
// combining mark none: it goes with the character it marks). Escape
// sequences (the arrow keys, a terminal's answers) and the other control
// characters are dropped. While the server has ECHO enabled on the Conn,
// it echoes what it keeps, the erasures, and CR LF when Enter ends the
// line; otherwise it writes nothing.
//
// A line is kept to a bound, in bytes: the characters typed past it are
// dropped and not echoed, the first of them answered with BEL while
// echoing, so a client that sends a megabyte without an end of line costs
// the bound, and the line returned is what was kept, whole characters
// only.
//
// Read deadlines set on the Conn apply to ReadLine. A LineReader reads
// ahead of the line it returns; once used, read the Conn through it only.
// It is not safe for use by several goroutines at once.
type LineReader struct {
	c         *telnet.Conn
	r         *bufio.Reader
	max       int         // the longest line kept, in bytes
	echoing   func() bool // whether to echo now; nil never echoes
	enterEcho bool        // echo CR LF after Enter
	echoedEnd bool        // the last line's CR LF was echoed
	rang      bool        // BEL echoed for a key past the bound, since the line last shrank
	afterCR   bool        // the last line ended with CR: skip an LF or NUL
	out       []byte      // echo not yet written
}

// NewLineReader returns a LineReader of the lines typed on c, each kept
// to max bytes, or to [DefaultMaxLine] when max is 0 or less.
func NewLineReader(c *telnet.Conn, max int) *LineReader {
	if max <= 0 {
		max = DefaultMaxLine
	}
	lr := newLineReader(c, max, serverEchoes(c))
	lr.enterEcho = true
	return lr
}

// newLineReader returns a LineReader that echoes when echoing says so,
// and does not echo the end of a line: the shells that print their own.
func newLineReader(c *telnet.Conn, max int, echoing func() bool) *LineReader {
	return &LineReader{c: c, r: bufio.NewReader(c), max: max, echoing: echoing}
}

// serverEchoes returns a function that reports whether the server side of
// c echoes now.
func serverEchoes(c *telnet.Conn) func() bool {
	return func() bool { return c.OptionEnabled(negotiate.Local, negotiate.Echo) }
}

// readLineBy reads a line, or fails with the Conn's timeout error when
// none ends by deadline (never, when it is zero). It sets the read
// deadline before it looks at ctx, so that the deadline of wakeOnDone,
// set when ctx ends, is never overridden.
func (lr *LineReader) readLineBy(ctx context.Context, deadline time.Time) (string, error) {
	if err := lr.c.SetReadDeadline(deadline); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return lr.ReadLine()
}

// ReadLine reads and edits one line, and returns it without its end. At
// an error, it returns what was typed so far with the error, having
// written the echo it owed.
func (lr *LineReader) ReadLine() (string, error) {
	var line []byte
	var partial []byte // the first bytes of a UTF-8 character
	for {
		if lr.r.Buffered() == 0 {
			if err := lr.flush(); err != nil {
				return string(line), err
			}
		}
		b, err := lr.r.ReadByte()
		if err != nil {
			lr.flush()
			return string(line), err
		}
		if lr.afterCR {
			lr.afterCR = false
			if b == '\n' || b == 0 {
				continue // the rest of a CR LF or CR NUL
			}
		}
		if b >= 0x20 && b != 0x7f {
			partial = append(partial, b)
			for utf8.FullRune(partial) {
				// A byte that cannot start or continue a character
				// (Latin-1 from a client without an encoding) is one.
				_, size := utf8.DecodeRune(partial)
				line = lr.keep(line, partial[:size])
				partial = append(partial[:0], partial[size:]...)
			}
			continue
		}
		// A control character ends a character begun: keep its bytes as
		// they are, which is all that can be done with them.
		for _, p := range partial {
			line = lr.keep(line, []byte{p})
		}
		partial = partial[:0]
		switch b {
		case '\r', '\n':
			lr.afterCR = b == '\r'
			lr.rang = false
			lr.echoedEnd = lr.enterEcho && lr.echoing != nil && lr.echoing()
			if lr.echoedEnd {
				lr.echo("\r\n")
			}
			return string(line), lr.flush()
		case '\b', 0x7f:
			line = lr.erase(line, 1)
		case 0x17: // ^W
			line = lr.erase(line, lastWord(line))
		case 0x15: // ^U
			line = lr.erase(line, utf8.RuneCount(line))
		case 0x1b:
			if err := lr.skipEscape(); err != nil {
				lr.flush()
				return string(line), err
			}
		}
	}
}

// keep appends the character ch to line and echoes it, if it fits; the
// first key past the bound rings the bell, the others are dropped in
// silence, so that the echo never grows with what a client sends.
func (lr *LineReader) keep(line, ch []byte) []byte {
	if len(line)+len(ch) > lr.max {
		if !lr.rang {
			lr.echo("\a")
			lr.rang = true
		}
		return line
	}
	lr.echo(string(ch))
	return append(line, ch...)
}

// erase removes the last n characters of line, each with the combining
// marks that follow it, and echoes what wipes them from the screen.
func (lr *LineReader) erase(line []byte, n int) []byte {
	lr.rang = false
	for ; n > 0 && len(line) > 0; n-- {
		var cols int
		line, cols = eraseLast(line)
		for range cols {
			lr.echo("\b \b")
		}
	}
	return line
}

// lastWord returns how many characters ^W erases: the blanks at the end
// of line, then the word before them.
func lastWord(line []byte) int {
	s := string(line)
	n := 0
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
		n++
	}
	for len(s) > 0 && s[len(s)-1] != ' ' {
		r, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
		if textwidth.Rune(r) > 0 {
			n++
		}
	}
	return n
}

// echo collects text to echo, when the server echoes.
func (lr *LineReader) echo(text string) {
	if lr.echoing != nil && lr.echoing() {
		lr.out = append(lr.out, text...)
	}
}

// flush writes the echo collected, in one write.
func (lr *LineReader) flush() error {
	if len(lr.out) == 0 {
		return nil
	}
	_, err := lr.c.Write(lr.out)
	lr.out = lr.out[:0]
	return err
}

// skipEscape drops the rest of an escape sequence whose ESC was read: a
// control sequence (CSI, as the arrow keys send), a single shift (SS3, as
// the keypad sends), a control string (OSC, DCS, APC, PM, SOS) ended by
// BEL or ST, or one character. A control character where none belongs,
// such as Enter after a lone ESC, ends the sequence and is read again.
func (lr *LineReader) skipEscape() error {
	b, err := lr.r.ReadByte()
	if err != nil {
		return err
	}
	switch {
	case b < 0x20:
		return lr.r.UnreadByte()
	case b == '[':
		for range maxControlSequence {
			if b, err = lr.r.ReadByte(); err != nil {
				return err
			}
			switch {
			case b < 0x20:
				return lr.r.UnreadByte()
			case b >= 0x40 && b <= 0x7e:
				return nil // the final byte
			}
		}
	case b == 'O':
		_, err = lr.r.ReadByte()
		return err
	case b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X':
		esc := false
		for range maxControlString {
			if b, err = lr.r.ReadByte(); err != nil {
				return err
			}
			if b == 0x07 || esc && b == '\\' {
				return nil
			}
			esc = b == 0x1b
		}
	}
	return nil
}

// eraseLast removes the last character of line, with the combining marks
// that follow it, and returns the columns it took on the screen.
func eraseLast(line []byte) ([]byte, int) {
	for len(line) > 0 {
		r, size := utf8.DecodeLastRune(line)
		line = line[:len(line)-size]
		if w := textwidth.Rune(r); w > 0 {
			return line, w
		}
	}
	return line, 0
}
