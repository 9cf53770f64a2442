//go:build unix

package main

import (
	"syscall"
	"testing"
)

// TestSessionWindowSize resizes the terminal, which only Unix signals
// (SIGWINCH): the server gets the new size.
func TestSessionWindowSize(t *testing.T) {
	srv := startServer(t)
	term := &fakeTerminal{cols: 100, rows: 30}
	c := startClient(t, srv.addr, term)
	p := srv.accept(t)
	p.expectSize(100, 30)
	term.setSize(132, 43)
	c.resize <- syscall.SIGWINCH
	p.expectSize(132, 43)
}
