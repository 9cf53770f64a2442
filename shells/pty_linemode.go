//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package shells

import (
	"os"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/termios"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

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
		t, err := termios.Get(int(fd))
		if err != nil {
			return err
		}
		if echo {
			t.Lflag |= unix.ECHO
		} else {
			t.Lflag &^= unix.ECHO
		}
		if linemode {
			termios.ApplySLC(t, &slc)
		}
		return termios.Set(int(fd), t)
	})
}

// commandKey returns the character the terminal f reads as the Telnet
// command cmd (IAC IP is its interrupt character, ...), as the terminal is
// set now: the program may have changed it.
func commandKey(f *os.File, cmd negotiate.Command) (key byte, ok bool) {
	err := control(f, func(fd uintptr) error {
		t, err := termios.Get(int(fd))
		if err == nil {
			key, ok = termios.CommandChar(t, cmd)
		}
		return err
	})
	return key, ok && err == nil
}
