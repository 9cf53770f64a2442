//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package shells

import (
	"os"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

// slcControls are the terminal's control characters for the special
// line characters of LINEMODE, and for the Telnet commands that stand
// for them.
var slcControls = []struct {
	slc negotiate.SLCFunction
	cmd negotiate.Command // 0 for none
	cc  int
}{
	{negotiate.SLCIP, negotiate.IP, unix.VINTR},
	{negotiate.SLCAbort, negotiate.ABORT, unix.VQUIT},
	{negotiate.SLCEOF, negotiate.EOF, unix.VEOF},
	{negotiate.SLCSusp, negotiate.SUSP, unix.VSUSP},
	{negotiate.SLCEC, negotiate.EC, unix.VERASE},
	{negotiate.SLCEL, negotiate.EL, unix.VKILL},
	{negotiate.SLCEW, 0, unix.VWERASE},
	{negotiate.SLCRP, 0, unix.VREPRINT},
	{negotiate.SLCLNext, 0, unix.VLNEXT},
	{negotiate.SLCXON, 0, unix.VSTART},
	{negotiate.SLCXOFF, 0, unix.VSTOP},
	{negotiate.SLCAO, negotiate.AO, unix.VDISCARD},
}

// followMode sets the terminal f to what was agreed with the client of
// c: it echoes while the server does, except under LINEMODE EDIT, where
// the client echoes the lines it edits; and under LINEMODE its control
// characters are the special characters agreed, so that what the client
// edits with and what the program reads mean the same (stty shows them).
func followMode(f *os.File, c *telnet.Conn) error {
	echo := c.OptionEnabled(negotiate.Local, negotiate.Echo)
	mode, linemode := c.Linemode()
	if linemode && mode&negotiate.LinemodeEdit != 0 {
		echo = false
	}
	slc, _ := c.SLC()
	return control(f, func(fd uintptr) error {
		t, err := unix.IoctlGetTermios(int(fd), ioctlGetTermios)
		if err != nil {
			return err
		}
		if echo {
			t.Lflag |= unix.ECHO
		} else {
			t.Lflag &^= unix.ECHO
		}
		if linemode {
			for _, m := range slcControls {
				switch tr := slc.Get(m.slc); tr.Mod.Level() {
				case negotiate.SLCNoSupport:
					t.Cc[m.cc] = vdisable
				case negotiate.SLCValue, negotiate.SLCCantChange:
					t.Cc[m.cc] = tr.Value
				}
			}
		}
		return unix.IoctlSetTermios(int(fd), ioctlSetTermios, t)
	})
}

// commandKey returns the character the terminal f reads as the Telnet
// command cmd (IAC IP is its interrupt character, ...), as the terminal is
// set now: the program may have changed it.
func commandKey(f *os.File, cmd negotiate.Command) (byte, bool) {
	if cmd == negotiate.BRK {
		cmd = negotiate.IP // a break interrupts, as BSD telnetd has it
	}
	var key byte
	err := control(f, func(fd uintptr) error {
		t, err := unix.IoctlGetTermios(int(fd), ioctlGetTermios)
		if err != nil {
			return err
		}
		for _, m := range slcControls {
			if m.cmd == cmd && m.cmd != 0 {
				key = t.Cc[m.cc]
			}
		}
		return nil
	})
	return key, err == nil && key != 0 && key != vdisable
}
