package shells

import (
	"bufio"
	"context"
	"time"
	"unicode/utf8"

	"github.com/telnetkit/telnet"
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

// A lineEditor reads the lines a user types at a terminal, through a
// Conn whose line endings may be folded or raw: CR, LF, CR LF and CR NUL
// each end one line. It edits as it reads: backspace (BS or DEL) erases
// the last character and its columns on the screen, escape sequences
// (the arrow keys, a terminal's answers) are dropped, and so are the
// other control characters. It echoes what it keeps when echoing says
// so.
type lineEditor struct {
	c       *telnet.Conn
	r       *bufio.Reader
	max     int         // the longest line kept, in bytes; the rest is dropped
	echoing func() bool // whether to echo now; nil never echoes
	afterCR bool        // the last line ended with CR: skip an LF or NUL
	out     []byte      // echo not yet written
}

func newLineEditor(c *telnet.Conn, max int, echoing func() bool) *lineEditor {
	return &lineEditor{c: c, r: bufio.NewReader(c), max: max, echoing: echoing}
}

// readLineBy reads a line, or fails with the Conn's timeout error when
// none ends by deadline (never, when it is zero). It sets the read
// deadline before it looks at ctx, so that the deadline of wakeOnDone,
// set when ctx ends, is never overridden.
func (e *lineEditor) readLineBy(ctx context.Context, deadline time.Time) (string, error) {
	if err := e.c.SetReadDeadline(deadline); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return e.readLine()
}

// readLine reads and edits one line, and returns it without its end. At
// an error, it returns what was typed so far with the error.
func (e *lineEditor) readLine() (string, error) {
	var line []byte
	for {
		if e.r.Buffered() == 0 {
			if err := e.flush(); err != nil {
				return string(line), err
			}
		}
		b, err := e.r.ReadByte()
		if err != nil {
			e.flush()
			return string(line), err
		}
		if e.afterCR {
			e.afterCR = false
			if b == '\n' || b == 0 {
				continue // the rest of a CR LF or CR NUL
			}
		}
		switch {
		case b == '\r' || b == '\n':
			e.afterCR = b == '\r'
			return string(line), e.flush()
		case b == '\b' || b == 0x7f:
			var cols int
			line, cols = eraseLast(line)
			for range cols {
				e.echo("\b \b")
			}
		case b == 0x1b:
			if err := e.skipEscape(); err != nil {
				e.flush()
				return string(line), err
			}
		case b < 0x20:
			// Not part of a line.
		case len(line) < e.max:
			line = append(line, b)
			e.echo(string(line[len(line)-1:]))
		}
	}
}

// echo collects text to echo, when the server echoes.
func (e *lineEditor) echo(text string) {
	if e.echoing != nil && e.echoing() {
		e.out = append(e.out, text...)
	}
}

// flush writes the echo collected, in one write.
func (e *lineEditor) flush() error {
	if len(e.out) == 0 {
		return nil
	}
	_, err := e.c.Write(e.out)
	e.out = e.out[:0]
	return err
}

// skipEscape drops the rest of an escape sequence whose ESC was read: a
// control sequence (CSI, as the arrow keys send), a single shift (SS3, as
// the keypad sends), a control string (OSC, DCS, APC, PM, SOS) ended by
// BEL or ST, or one character. A control character where none belongs,
// such as Enter after a lone ESC, ends the sequence and is read again.
func (e *lineEditor) skipEscape() error {
	b, err := e.r.ReadByte()
	if err != nil {
		return err
	}
	switch {
	case b < 0x20:
		return e.r.UnreadByte()
	case b == '[':
		for range maxControlSequence {
			if b, err = e.r.ReadByte(); err != nil {
				return err
			}
			switch {
			case b < 0x20:
				return e.r.UnreadByte()
			case b >= 0x40 && b <= 0x7e:
				return nil // the final byte
			}
		}
	case b == 'O':
		_, err = e.r.ReadByte()
		return err
	case b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X':
		esc := false
		for range maxControlString {
			if b, err = e.r.ReadByte(); err != nil {
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
		if w := runeWidth(r); w > 0 {
			return line, w
		}
	}
	return line, 0
}
