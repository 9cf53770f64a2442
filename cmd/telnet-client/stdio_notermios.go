//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "github.com/telnetkit/telnet/negotiate"

// The terminal's characters are unknown here, and its flow control is
// left as it is.
func (t *ttyTerminal) specialChars() *negotiate.SLCTable { return nil }

func (t *ttyTerminal) setFlowControl(on, restartAny bool) error { return nil }
