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
	if len(p) == 0 {
		return nil
	}
	lastCR := s.lastCR
	s.lastCR = p[len(p)-1] == '\r'
	if m.raw() {
		return s.writeLocked(p)
	}
	i := bareLF(p, lastCR)
	if i < 0 {
		return s.writeLocked(p) // the usual case: every LF has its CR
	}
	s.buf = s.buf[:0]
	for i >= 0 {
		s.buf = append(append(s.buf, p[:i]...), '\r', '\n')
		p = p[i+1:]
		i = bareLF(p, false)
	}
	return s.writeLocked(append(s.buf, p...))
}

// bareLF returns the index of the first LF of p that no CR precedes, or
// -1; afterCR says whether a CR came just before p.
func bareLF(p []byte, afterCR bool) int {
	for from := 0; from < len(p); {
		j := bytes.IndexByte(p[from:], '\n')
		if j < 0 {
			return -1
		}
		i := from + j
		if i == 0 && !afterCR || i > 0 && p[i-1] != '\r' {
			return i
		}
		from = i + 1
	}
	return -1
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
