//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"github.com/telnetkit/telnet/internal/termios"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

func (t *ttyTerminal) specialChars() *negotiate.SLCTable {
	tio, err := termios.Get(t.fd)
	if err != nil {
		return nil
	}
	return termios.SLC(tio)
}

func (t *ttyTerminal) setFlowControl(on, restartAny bool) error {
	tio, err := termios.Get(t.fd)
	if err != nil {
		return err
	}
	tio.Iflag &^= unix.IXON | unix.IXANY
	if on {
		tio.Iflag |= unix.IXON
		if restartAny {
			tio.Iflag |= unix.IXANY
		}
	}
	return termios.Set(t.fd, tio)
}
