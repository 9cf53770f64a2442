//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

// Package termios reads and sets a terminal's attributes, and maps the
// special line characters of Telnet's LINEMODE (RFC 1184) to a terminal's
// control characters, both ways: the pty shell sets the characters agreed
// with its client, and the client program reports its terminal's.
package termios

import (
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

// Get returns the attributes of the terminal fd.
func Get(fd int) (*unix.Termios, error) { return unix.IoctlGetTermios(fd, ioctlGetTermios) }

// Set sets the attributes of the terminal fd, at once.
func Set(fd int, t *unix.Termios) error { return unix.IoctlSetTermios(fd, ioctlSetTermios, t) }

// controls are the terminal's control characters for the special line
// characters of LINEMODE.
var controls = []struct {
	slc negotiate.SLCFunction
	cc  int
}{
	{negotiate.SLCIP, unix.VINTR},
	{negotiate.SLCAbort, unix.VQUIT},
	{negotiate.SLCEOF, unix.VEOF},
	{negotiate.SLCSusp, unix.VSUSP},
	{negotiate.SLCEC, unix.VERASE},
	{negotiate.SLCEL, unix.VKILL},
	{negotiate.SLCEW, unix.VWERASE},
	{negotiate.SLCRP, unix.VREPRINT},
	{negotiate.SLCLNext, unix.VLNEXT},
	{negotiate.SLCXON, unix.VSTART},
	{negotiate.SLCXOFF, unix.VSTOP},
	{negotiate.SLCAO, unix.VDISCARD},
}

// ApplySLC sets the control characters of t to the special characters of
// slc: a function slc does not support turns its character off; one left
// to the default keeps it.
func ApplySLC(t *unix.Termios, slc *negotiate.SLCTable) {
	for _, m := range controls {
		switch tr := slc.Get(m.slc); tr.Mod.Level() {
		case negotiate.SLCNoSupport:
			t.Cc[m.cc] = vdisable
		case negotiate.SLCValue, negotiate.SLCCantChange:
			t.Cc[m.cc] = tr.Value
		}
	}
}

// SLC returns the special line characters of a terminal set as t: the
// BSD table, with each function the terminal has a control character for
// set to that character, or not supported where it is turned off.
func SLC(t *unix.Termios) *negotiate.SLCTable {
	slc := negotiate.DefaultSLC()
	for _, m := range controls {
		def := slc.Get(m.slc)
		flags := def.Mod &^ negotiate.SLCLevelBits
		if c := t.Cc[m.cc]; c == vdisable {
			slc.Set(m.slc, negotiate.SLCNoSupport, 0)
		} else {
			slc.Set(m.slc, negotiate.SLCValue|flags, c)
		}
	}
	return slc
}

// ForwardMask returns the characters that end a line in a terminal set as
// t besides LF, its end-of-line characters (VEOL, VEOL2): a client that
// edits lines under LINEMODE must send its line when one is typed.
func ForwardMask(t *unix.Termios) negotiate.ForwardMask {
	var m negotiate.ForwardMask
	for _, cc := range []int{unix.VEOL, unix.VEOL2} {
		if c := t.Cc[cc]; c != vdisable && c != 0 {
			m.Add(c)
		}
	}
	return m
}

// CommandSignal returns the signal a terminal makes of the character that
// stands for the Telnet command cmd, for the commands that stand for one:
// SIGINT for IAC IP (and BRK), SIGQUIT for ABORT, SIGTSTP for SUSP.
func CommandSignal(cmd negotiate.Command) (unix.Signal, bool) {
	switch cmd {
	case negotiate.IP, negotiate.BRK:
		return unix.SIGINT, true
	case negotiate.ABORT:
		return unix.SIGQUIT, true
	case negotiate.SUSP:
		return unix.SIGTSTP, true
	}
	return 0, false
}

// CommandChar returns the character a terminal set as t reads as the
// Telnet command cmd: its interrupt character for IAC IP (and IAC BRK, as
// BSD telnetd has it), its quit character for IAC ABORT, ...; false when
// cmd stands for none, or the character is turned off.
func CommandChar(t *unix.Termios, cmd negotiate.Command) (byte, bool) {
	if cmd == negotiate.BRK {
		cmd = negotiate.IP
	}
	for _, m := range controls {
		if c, ok := m.slc.Command(); ok && c == cmd {
			c := t.Cc[m.cc]
			return c, c != vdisable && c != 0
		}
	}
	return 0, false
}
