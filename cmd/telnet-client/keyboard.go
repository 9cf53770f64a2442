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

// chooseMode returns the mode for the server's ECHO and whether it wants
// each key as it is typed (SGA; under LINEMODE, a mode without EDIT),
// unless force imposes raw or line input; the echo follows the server in
// every case, so that a password is never shown.
func chooseMode(serverEcho, eachKey bool, force forceMode) mode {
	raw := eachKey
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

// A keySet is what the keys typed mean: the editing keys of line mode,
// the keys that send a Telnet command rather than a character, as a
// terminal driver turns them into signals, and the keys after which a
// line being edited is sent at once.
type keySet struct {
	erase, kill, werase, eof byte // 0 for none; BS and DEL always erase
	commands                 map[byte]negotiate.Command
	// rawCommands says that commands are sent in raw modes too, as
	// LINEMODE TRAPSIG asks; otherwise only line modes send them.
	rawCommands bool
	forward     negotiate.ForwardMask
}

// defaultKeys are the keys outside LINEMODE.
var defaultKeys = &keySet{
	kill: keyKill, werase: keyWErase, eof: keyEOF,
	commands: map[byte]negotiate.Command{keyIntr: negotiate.IP, keyQuit: negotiate.ABORT, keySusp: negotiate.SUSP},
}

// linemodeKeys are the keys under LINEMODE: the special characters
// agreed with the server, the signal characters sent as commands only
// under TRAPSIG (as characters otherwise), and the server's forward mask.
func linemodeKeys(slc *negotiate.SLCTable, trapSig bool, forward negotiate.ForwardMask) *keySet {
	char := func(f negotiate.SLCFunction) byte {
		tr := slc.Get(f)
		if l := tr.Mod.Level(); l == negotiate.SLCValue || l == negotiate.SLCCantChange {
			return tr.Value
		}
		return 0
	}
	ks := &keySet{erase: char(negotiate.SLCEC), kill: char(negotiate.SLCEL), werase: char(negotiate.SLCEW),
		eof: char(negotiate.SLCEOF), commands: map[byte]negotiate.Command{}, rawCommands: true, forward: forward}
	if trapSig {
		for _, f := range []negotiate.SLCFunction{negotiate.SLCIP, negotiate.SLCAbort, negotiate.SLCSusp} {
			if c := char(f); c != 0 {
				ks.commands[c], _ = f.Command()
			}
		}
	}
	return ks
}

// is reports whether b is the key k, which is not 0.
func is(b, k byte) bool { return k != 0 && b == k }

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

// feed takes keys typed in mode m, which mean what keys says; binary
// says whether we send in BINARY mode. It appends to actions what to
// send, in order, and to echo what to show, and reports whether ^] was
// typed, after which the rest of p is ignored.
func (k *keyboard) feed(p []byte, m mode, binary bool, keys *keySet, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
	if m.raw() {
		return k.feedRaw(p, m == modeRawEcho, binary, keys, actions, echo)
	}
	return k.feedLine(p, m == modeLine, keys, actions, echo)
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
// Under LINEMODE TRAPSIG the signal keys send their commands.
func (k *keyboard) feedRaw(p []byte, localEcho, binary bool, keys *keySet, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
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
		if cmd := keys.commands[b]; cmd != 0 && keys.rawCommands {
			if len(data) > 0 {
				actions = append(actions, keyAction{data: data})
				data = nil
			}
			actions = append(actions, keyAction{cmd: cmd})
			k.lastCR = false
			continue
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

// pipe rewrites in place the bytes p read from a pipe, whose lines end in
// LF or CR LF, and returns what to send. Outside BINARY mode they go as
// they are: the Conn sends each end of line as the NVT's CR LF. In BINARY
// mode each end of line goes as a bare CR, what a terminal sends for
// Enter: a telnetd passes a CR LF to its pseudo-terminal, which reads it
// as two ends of line.
func (k *keyboard) pipe(p []byte, binary bool) []byte {
	if !binary {
		k.lastCR = false
		return p
	}
	w := 0
	for _, b := range p {
		wasCR := k.lastCR
		k.lastCR = b == '\r'
		switch {
		case b == '\n' && wasCR:
			continue // the CR went already
		case b == '\n':
			b = '\r'
		}
		p[w] = b
		w++
	}
	return p[:w]
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
// and send IAC IP, ABORT and SUSP; ^D on an empty line sends IAC EOF;
// keys tells the characters under LINEMODE. A key of the forward mask
// sends the line at once. Other control characters go in the line,
// echoed as ^X.
func (k *keyboard) feedLine(p []byte, localEcho bool, keys *keySet, actions []keyAction, echo []byte) ([]keyAction, []byte, bool) {
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
		case keys.commands[b] != 0:
			k.line = nil
			actions = append(actions, keyAction{cmd: keys.commands[b]})
			show('^', b^0x40, '\r', '\n')
		case is(b, keys.eof):
			if len(k.line) == 0 {
				actions = append(actions, keyAction{cmd: negotiate.EOF})
			}
		case b == keyBS || b == keyDEL || is(b, keys.erase):
			echo = k.erase(1, localEcho, echo)
		case is(b, keys.kill):
			echo = k.erase(len(k.line), localEcho, echo)
		case is(b, keys.werase):
			echo = k.erase(k.lastWord(), localEcho, echo)
		default:
			k.line = append(k.line, b)
			if b < ' ' && b != '\t' {
				show('^', b+'@')
			} else {
				show(b)
			}
			if keys.forward.Has(b) {
				actions = append(actions, keyAction{data: k.line})
				k.line = nil
			}
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
