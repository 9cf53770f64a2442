package main

import (
	"unicode/utf8"

	"github.com/telnetkit/telnet/internal/textwidth"

	"github.com/telnetkit/telnet/negotiate"
)

// A mode is how the client treats what is typed. The terminal itself is
// raw in every mode: the client echoes and edits lines itself, so that a
// change of mode is a change of a variable, never a race with the
// terminal driver, and ^] and ^C act at once in a line being edited.
type mode uint8

const (
	// modeLine sends a line at a time and echoes it: the server does not
	// echo.
	modeLine mode = iota
	// modeLineNoEcho sends a line at a time and echoes nothing: the server
	// said WILL ECHO without suppressing go-ahead, which is how a
	// line-mode server (a MUD) hides a password.
	modeLineNoEcho
	// modeRaw sends each key as it is typed and echoes nothing: the server
	// echoes and suppresses go-ahead, the usual remote shell.
	modeRaw
	// modeRawEcho sends each key as it is typed and echoes it: the server
	// suppresses go-ahead but does not echo.
	modeRawEcho
)

func (m mode) String() string {
	switch m {
	case modeLine:
		return "line"
	case modeLineNoEcho:
		return "line, no echo"
	case modeRaw:
		return "raw"
	}
	return "raw, local echo"
}

// raw reports whether keys are sent as they are typed.
func (m mode) raw() bool { return m == modeRaw || m == modeRawEcho }

// chooseMode returns the mode for the server's ECHO and SGA, unless
// force imposes raw or line input; the echo follows the server in every
// case, so that a password is never shown.
func chooseMode(serverEcho, serverSGA bool, force forceMode) mode {
	raw := serverSGA
	switch force {
	case forceRaw:
		raw = true
	case forceLine:
		raw = false
	}
	switch {
	case raw && serverEcho:
		return modeRaw
	case raw:
		return modeRawEcho
	case serverEcho:
		return modeLineNoEcho
	}
	return modeLine
}

// Keys with a meaning to the client.
const (
	keyEscape = 0x1d // ^], closes the connection
	keyIntr   = 0x03 // ^C
	keyEOF    = 0x04 // ^D
	keyBS     = 0x08 // ^H
	keyKill   = 0x15 // ^U
	keyWErase = 0x17 // ^W
	keySusp   = 0x1a // ^Z
	keyQuit   = 0x1c // ^\
	keyDEL    = 0x7f
)

// lineCommands are the keys that, in line mode, send a Telnet command
// rather than a character, as a terminal driver turns them into signals.
var lineCommands = map[byte]negotiate.Command{
	keyIntr: negotiate.IP,
	keyQuit: negotiate.ABORT,
	keySusp: negotiate.SUSP,
}

// A keyAction is one thing to send to the server: data, in the
// terminal's encoding, or a command.
type keyAction struct {
	data []byte
	cmd  negotiate.Command // when data is nil
}

// A keyboard turns what is typed into what is sent and what is echoed.
// Its state is the line being edited and the last key of the previous
// read.
type keyboard struct {
	line   []byte // the line being edited, in line modes
	lastCR bool   // raw modes: the last key was CR, whose LF is dropped
}

// feed takes keys typed in mode m; binary says whether we send in
// BINARY mode. It appends to actions what to send, in order, and to echo
// what to show, and reports whether ^] was typed, after which the rest
// of p is ignored.
func (k *keyboard) feed(p []byte, m mode, binary bool, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
	if m.raw() {
		return k.feedRaw(p, m == modeRawEcho, binary, actions, echo)
	}
	return k.feedLine(p, m == modeLine, actions, echo)
}

// flush returns the line being edited, to send as it is when the mode
// turns raw: a terminal driver leaving canonical mode hands over the same.
func (k *keyboard) flush() []byte {
	line := k.line
	k.line = nil
	return line
}

// feedRaw sends keys as they are typed. Enter (CR) goes as CR LF, the
// NVT end of line, or as a bare CR once we send in BINARY mode, as
// inetutils telnet does; a LF right after a CR (a pasted CR LF) is
// dropped outside BINARY mode, so that one Enter is one end of line.
func (k *keyboard) feedRaw(p []byte, localEcho, binary bool, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
	var data []byte
	if line := k.flush(); len(line) > 0 {
		data = append(data, line...)
	}
	quit := false
	for _, b := range p {
		if b == keyEscape {
			quit = true
			break
		}
		wasCR := k.lastCR
		k.lastCR = b == '\r'
		switch {
		case binary:
			data = append(data, b)
		case b == '\r':
			data = append(data, '\r', '\n')
		case b == '\n' && wasCR:
			continue
		default:
			data = append(data, b)
		}
		if localEcho {
			echo = echoKey(echo, b)
		}
	}
	if len(data) > 0 {
		actions = append(actions, keyAction{data: data})
	}
	return actions, echo, quit
}

// echoKey appends the echo of one key typed in raw mode.
func echoKey(echo []byte, b byte) []byte {
	switch b {
	case '\r', '\n':
		return append(echo, '\r', '\n')
	case keyBS, keyDEL:
		return append(echo, '\b', ' ', '\b')
	}
	return append(echo, b)
}

// feedLine edits a line as a terminal driver in canonical mode does, and
// sends it with CR LF when Enter (CR or LF) is typed. Erase (BS, DEL),
// kill (^U) and word erase (^W) edit the line; ^C, ^\ and ^Z discard it
// and send IAC IP, ABORT and SUSP; ^D on an empty line sends IAC EOF.
// Other control characters go in the line, echoed as ^X.
func (k *keyboard) feedLine(p []byte, localEcho bool, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
	show := func(s ...byte) {
		if localEcho {
			echo = append(echo, s...)
		}
	}
	for _, b := range p {
		switch {
		case b == keyEscape:
			k.line = nil
			return actions, echo, true
		case b == '\r' || b == '\n':
			if b == '\n' && k.lastCR {
				k.lastCR = false
				continue // the LF of a CR LF typed or pasted
			}
			line := append(k.line, '\r', '\n')
			k.line = nil
			actions = append(actions, keyAction{data: line})
			show('\r', '\n')
		case lineCommands[b] != 0:
			k.line = nil
			actions = append(actions, keyAction{cmd: lineCommands[b]})
			show('^', b+'@', '\r', '\n')
		case b == keyEOF:
			if len(k.line) == 0 {
				actions = append(actions, keyAction{cmd: negotiate.EOF})
			}
		case b == keyBS || b == keyDEL:
			echo = k.erase(1, localEcho, echo)
		case b == keyKill:
			echo = k.erase(len(k.line), localEcho, echo)
		case b == keyWErase:
			echo = k.erase(k.lastWord(), localEcho, echo)
		case b < ' ' && b != '\t':
			k.line = append(k.line, b)
			show('^', b+'@')
		default:
			k.line = append(k.line, b)
			show(b)
		}
		k.lastCR = b == '\r'
	}
	return actions, echo, false
}

// erase removes the last n characters of the line, and appends to echo
// what wipes them from the screen.
func (k *keyboard) erase(n int, localEcho bool, echo []byte) []byte {
	for ; n > 0 && len(k.line) > 0; n-- {
		r, size := utf8.DecodeLastRune(k.line)
		if size == 1 && r == utf8.RuneError && k.line[len(k.line)-1] >= utf8.RuneSelf {
			// The start of a character not yet complete: drop its bytes.
			i := len(k.line) - 1
			for i > 0 && !utf8.RuneStart(k.line[i]) {
				i--
			}
			size = len(k.line) - i
		}
		k.line = k.line[:len(k.line)-size]
		if columns(r) == 0 {
			n++ // a combining mark goes with the character it marks
		}
		if localEcho {
			for range columns(r) {
				echo = append(echo, '\b', ' ', '\b')
			}
		}
	}
	return echo
}

// lastWord returns how many characters ^W erases: the blanks at the end
// of the line, then the word before them.
func (k *keyboard) lastWord() int {
	n, i := 0, len(k.line)
	for i > 0 && (k.line[i-1] == ' ' || k.line[i-1] == '\t') {
		i--
		n++
	}
	for i > 0 && k.line[i-1] != ' ' && k.line[i-1] != '\t' {
		_, size := utf8.DecodeLastRune(k.line[:i])
		i -= size
		n++
	}
	return n
}

// columns returns how many columns the echo of r takes: two for a
// control character shown as ^X, and the module's width for the rest,
// which the server's line editor uses too.
func columns(r rune) int {
	if r < ' ' && r != '\t' {
		return 2
	}
	return textwidth.Rune(r)
}
