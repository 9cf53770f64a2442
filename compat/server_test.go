package compat_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// A step is one thing a scripted server does, in order.
type step struct {
	send  []byte        // write these bytes
	pause time.Duration // wait this long
	await int           // wait until the client has sent this many bytes
	eof   bool          // close the write side: the client reads end of file
}

func send(s string) step      { return step{send: []byte(s)} }
func pause(ms int) step       { return step{pause: time.Duration(ms) * time.Millisecond} }
func awaitBytes(n int) step   { return step{await: n} }
func eof() step               { return step{eof: true} }
func sendBytes(b []byte) step { return step{send: b} }
func steps(s ...step) []step  { return s }

// A scripted is a server on 127.0.0.1 that accepts one client, plays its
// steps, and records what the client sends until the client closes.
type scripted struct {
	ln   net.Listener
	done chan struct{}
	gone chan struct{} // closed when the client has closed its side

	mu       sync.Mutex
	conn     net.Conn
	got      bytes.Buffer
	closed   bool          // the client closed its side
	more     chan struct{} // closed and replaced whenever got grows
	err      error
	deadline time.Time
}

// startScripted starts a scripted server; its Port is where to connect.
// Everything it does is bounded by a deadline, and it is stopped at
// cleanup.
func startScripted(t *testing.T, script []step) *scripted {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scripted{ln: ln, done: make(chan struct{}), gone: make(chan struct{}), more: make(chan struct{}),
		deadline: time.Now().Add(15 * time.Second)}
	go s.run(script)
	t.Cleanup(func() {
		ln.Close()
		s.Disconnect()
		<-s.done
	})
	return s
}

// Port returns the port the server listens on.
func (s *scripted) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Addr returns the address the server listens on.
func (s *scripted) Addr() string { return s.ln.Addr().String() }

// WaitReceived waits until the client has sent n bytes, and reports
// whether it did before it closed or the server gave up.
func (s *scripted) WaitReceived(n int) bool {
	return s.wait(func() bool { return s.got.Len() >= n })
}

// Disconnect closes the connection to the client, if there is one.
func (s *scripted) Disconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
	}
}

// Received waits until the client has closed (or the server gave up) and
// returns what the client sent; it fails the test on any server error.
func (s *scripted) Received(t *testing.T) []byte {
	t.Helper()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		t.Errorf("scripted server: %v", s.err)
	}
	return bytes.Clone(s.got.Bytes())
}

func (s *scripted) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

func (s *scripted) run(script []step) {
	defer close(s.done)
	s.ln.(*net.TCPListener).SetDeadline(s.deadline)
	c, err := s.ln.Accept()
	s.ln.Close()
	if err != nil {
		s.fail(fmt.Errorf("accept: %w", err))
		return
	}
	defer c.Close()
	c.SetDeadline(s.deadline)
	s.mu.Lock()
	s.conn = c
	s.mu.Unlock()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.record(c)
	}()
	for _, st := range script {
		if err := s.play(c, st); err != nil {
			s.fail(err)
			return
		}
	}
	select { // until the client closes
	case <-s.gone:
	case <-time.After(time.Until(s.deadline)):
		s.fail(errors.New("the client did not close"))
	}
}

// record reads what the client sends until it closes.
func (s *scripted) record(c net.Conn) {
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		s.mu.Lock()
		s.got.Write(buf[:n])
		if err != nil {
			s.closed = true
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.err = errors.Join(s.err, fmt.Errorf("read: %w", err))
			}
		}
		close(s.more)
		s.more = make(chan struct{})
		s.mu.Unlock()
		if err != nil {
			close(s.gone)
			return
		}
	}
}

// wait waits until cond holds, the client closes, or the deadline passes.
func (s *scripted) wait(cond func() bool) bool {
	for {
		s.mu.Lock()
		ok, closed, more := cond(), s.closed, s.more
		s.mu.Unlock()
		if ok {
			return true
		}
		if closed {
			return false
		}
		select {
		case <-more:
		case <-time.After(time.Until(s.deadline)):
			return false
		}
	}
}

func (s *scripted) play(c net.Conn, st step) error {
	switch {
	case st.send != nil:
		if _, err := c.Write(st.send); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	case st.pause > 0:
		select {
		case <-time.After(st.pause):
		case <-s.gone:
		}
	case st.await > 0:
		if !s.WaitReceived(st.await) {
			s.mu.Lock()
			defer s.mu.Unlock()
			return fmt.Errorf("client sent %q, waited for %d bytes", s.got.Bytes(), st.await)
		}
	case st.eof:
		if err := c.(*net.TCPConn).CloseWrite(); err != nil {
			return fmt.Errorf("close write: %w", err)
		}
	}
	return nil
}
