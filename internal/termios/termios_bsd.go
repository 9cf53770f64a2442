//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package termios

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's attributes.
const (
	ioctlGetTermios = unix.TIOCGETA
	ioctlSetTermios = unix.TIOCSETA
)

// vdisable is the value of a control character that is turned off.
const vdisable = 0xff
