package main

import (
	"bufio"
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// waitTime bounds every wait of the tests.
const waitTime = 5 * time.Second

// A peer is the server's end of one connection, driven by a test: it
// sends what the test says and collects the lines the client sends.
type peer struct {
	t     *testing.T
	c     *telnet.Conn
	lines chan string // each line received, without its end
	sizes chan [2]int // each window size received
	cmds  chan negotiate.Command
	done  chan struct{} // closed when the client has closed
}

// A lineServer is a Telnet server on 127.0.0.1 whose connections the
// test drives as peers.
type lineServer struct {
	addr  string
	conns chan *telnet.Conn
}

// startServer starts a Telnet server on 127.0.0.1 with the given
// options. It is closed at cleanup, with the connections not accepted.
func startServer(t *testing.T, opts ...telnet.Option) *lineServer {
	t.Helper()
	l, err := telnet.Listen("tcp", "127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	s := &lineServer{addr: l.Addr().String(), conns: make(chan *telnet.Conn, 8)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			select {
			case s.conns <- c.(*telnet.Conn):
			default:
				c.Close() // more than a test accepts
			}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		close(s.conns)
		for c := range s.conns {
			c.Close()
		}
	})
	return s
}

// accept returns the next connection, negotiated, as a peer that reads
// its lines until the cleanup closes it.
func (s *lineServer) accept(t *testing.T) *peer {
	t.Helper()
	var c *telnet.Conn
	select {
	case c = <-s.conns:
	case <-time.After(waitTime):
		t.Fatal("no connection")
	}
	p := &peer{t: t, c: c, lines: make(chan string, 64), sizes: make(chan [2]int, 1),
		cmds: make(chan negotiate.Command, 64), done: make(chan struct{})}
	c.OnChange(p.changed)
	go p.readLines()
	t.Cleanup(func() {
		c.Close()
		<-p.done
	})
	if err := c.Handshake(context.Background()); err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	return p
}

// changed passes on the window sizes and commands the client sends.
func (p *peer) changed(ch telnet.Change) {
	switch ch.Kind {
	case telnet.ChangeWindowSize:
		select { // a wake-up: expectSize reads the size itself
		case p.sizes <- [2]int{}:
		default:
		}
	case telnet.ChangeCommand:
		select {
		case p.cmds <- ch.Command:
		default:
			p.t.Errorf("command %v dropped", ch.Command)
		}
	}
}

// readLines reads lines until the connection ends.
func (p *peer) readLines() {
	defer close(p.done)
	sc := bufio.NewScanner(p.c)
	for sc.Scan() {
		p.lines <- sc.Text()
	}
}

// send writes s to the client.
func (p *peer) send(s string) {
	p.t.Helper()
	if _, err := p.c.Write([]byte(s)); err != nil {
		p.t.Fatalf("server write: %v", err)
	}
}

// setEcho says WILL ECHO or WONT ECHO.
func (p *peer) setEcho(on bool) {
	p.t.Helper()
	var err error
	if on {
		err = p.c.EnableOption(negotiate.Local, negotiate.Echo)
	} else {
		err = p.c.DisableOption(negotiate.Local, negotiate.Echo)
	}
	if err != nil {
		p.t.Fatal(err)
	}
}

// expectLine waits for the next line the client sends.
func (p *peer) expectLine(want string) {
	p.t.Helper()
	select {
	case got, ok := <-p.lines:
		if !ok {
			p.t.Fatalf("the client closed; want the line %q", want)
		}
		if got != want {
			p.t.Fatalf("server got the line %q, want %q", got, want)
		}
	case <-time.After(waitTime):
		p.t.Fatalf("no line %q from the client", want)
	}
}

// expectSize waits for the client to report the window size.
func (p *peer) expectSize(cols, rows int) {
	p.t.Helper()
	deadline := time.After(waitTime)
	for {
		if c, r := p.c.WindowSize(); c == cols && r == rows {
			return
		}
		select {
		case <-p.sizes:
		case <-deadline:
			c, r := p.c.WindowSize()
			p.t.Fatalf("window size %dx%d, want %dx%d", c, r, cols, rows)
		}
	}
}

// expectClosed waits for the client to close the connection.
func (p *peer) expectClosed() {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitTime):
		p.t.Fatal("the client did not close the connection")
	}
}

// A screenRecorder is the screen of a session under test: it passes
// each write to the test goroutine, which alone keeps what was seen.
type screenRecorder struct {
	writes chan []byte
	seen   []byte
}

func newScreenRecorder() *screenRecorder { return &screenRecorder{writes: make(chan []byte, 1024)} }

func (r *screenRecorder) Write(p []byte) (int, error) {
	r.writes <- bytes.Clone(p)
	return len(p), nil
}

// String returns all that was written so far.
func (r *screenRecorder) String() string {
	for {
		select {
		case p := <-r.writes:
			r.seen = append(r.seen, p...)
		default:
			return string(r.seen)
		}
	}
}

// waitFor waits until the screen shows want after index from, and
// returns the index just past it.
func (r *screenRecorder) waitFor(t *testing.T, want string, from int) int {
	t.Helper()
	deadline := time.After(waitTime)
	for {
		if i := strings.Index(string(r.seen[from:]), want); i >= 0 {
			return from + i + len(want)
		}
		select {
		case p := <-r.writes:
			r.seen = append(r.seen, p...)
		case <-deadline:
			t.Fatalf("no %q on the screen after %d: %q", want, from, r.String())
		}
	}
}
