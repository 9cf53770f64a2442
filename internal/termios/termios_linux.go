package termios

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's attributes.
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

// vdisable is the value of a control character that is turned off.
const vdisable = 0
