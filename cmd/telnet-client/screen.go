package main

import (
	"bytes"
	"io"
	"sync"
)

// A screen is where the server's output, the echo and the client's
// messages go. Its methods may be called from several goroutines.
type screen struct {
	mu      sync.Mutex
	w       io.Writer
	atStart bool // the last byte written ended a line
	lastCR  bool // the last byte of the server's output was CR
	buf     []byte
}

func newScreen(w io.Writer) *screen { return &screen{w: w, atStart: true} }

// write writes p as it is.
func (s *screen) write(p []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(p)
}

func (s *screen) writeLocked(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	_, err := s.w.Write(p)
	s.atStart = p[len(p)-1] == '\n'
	return err
}

// output writes what the server sent. Outside raw mode a bare LF becomes
// CR LF, since the terminal does no output processing and line-mode
// servers (MUDs) often end lines with LF alone; in raw mode the bytes go
// untouched, as a full-screen program on the server sent them.
func (s *screen) output(p []byte, m mode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.raw() || bytes.IndexByte(p, '\n') < 0 {
		if len(p) > 0 {
			s.lastCR = p[len(p)-1] == '\r'
		}
		return s.writeLocked(p)
	}
	s.buf = s.buf[:0]
	for _, b := range p {
		if b == '\n' && !s.lastCR {
			s.buf = append(s.buf, '\r')
		}
		s.buf = append(s.buf, b)
		s.lastCR = b == '\r'
	}
	return s.writeLocked(s.buf)
}

// message writes a line of the client's own, on a line of its own.
func (s *screen) message(text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var p []byte
	if !s.atStart {
		p = append(p, '\r', '\n')
	}
	p = append(p, text...)
	return s.writeLocked(append(p, '\r', '\n'))
}

// crlfWriter turns each LF into CR LF, for log lines written to a raw
// terminal.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
