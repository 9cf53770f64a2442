package main

import (
	"os"
	"time"

	"golang.org/x/term"
)

// stdio is the program's standard files as the session uses them.
type stdio struct {
	in, out, errOut *os.File
	// inFd is standard input's descriptor. The terminal calls take it
	// rather than in.Fd(), which would make a pollable file blocking.
	inFd         int
	restoreFlags func()
}

// aLongTimeAgo is a deadline in the past, to wake a blocked Read.
var aLongTimeAgo = time.Unix(1, 0)

// isTerminal reports whether standard input is a terminal.
func (s *stdio) isTerminal() bool { return s.inFd >= 0 && term.IsTerminal(s.inFd) }

// terminal returns standard input as a terminal.
func (s *stdio) terminal() terminal { return &ttyTerminal{fd: s.inFd} }

// interruptInput makes a Read of standard input that is blocked return.
// It fails when standard input cannot be polled.
func (s *stdio) interruptInput() error { return s.in.SetReadDeadline(aLongTimeAgo) }

// restore gives standard input back in the blocking mode the program
// found it in.
func (s *stdio) restore() { s.restoreFlags() }

// A ttyTerminal is a terminal driven with golang.org/x/term.
type ttyTerminal struct {
	fd    int
	saved *term.State // as makeRaw found it
}

func (t *ttyTerminal) makeRaw() error {
	st, err := term.MakeRaw(t.fd)
	if err != nil {
		return err
	}
	if t.saved == nil {
		t.saved = st
	}
	return nil
}

func (t *ttyTerminal) restore() error {
	if t.saved == nil {
		return nil
	}
	return term.Restore(t.fd, t.saved)
}

func (t *ttyTerminal) size() (cols, rows int, err error) { return term.GetSize(t.fd) }
