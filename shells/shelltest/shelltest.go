// Package shelltest helps test Telnet handlers, as net/http/httptest
// helps test HTTP ones: [Serve] runs a [telnet.Daemon] on a loopback port
// for the length of a test, [Dial] connects a client that shows the
// server's bytes as they are on the wire, and a [Transcript] collects what
// a client reads, so that a test can wait for a prompt and compare what
// came before it:
//
//	func TestGreeting(t *testing.T) {
//		addr := shelltest.Serve(t, &telnet.Daemon{Handler: shells.Debug()})
//		c := shelltest.Dial(t, addr)
//		c.Expect(t, "Ready.\r\ntel:sh> ")
//		c.Send(t, "quit\r\n")
//		c.Expect(t, "quit\r\nGoodbye.\r\n")
//	}
package shelltest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
)

// Timeout bounds every wait of this package, so that no test hangs.
const Timeout = 10 * time.Second

// Serve serves d on a free port of 127.0.0.1 and returns the address. At
// the end of the test it shuts d down, and fails the test if the
// handlers do not return within Timeout or Serve ends with an error other
// than [telnet.ErrServerClosed].
func Serve(t testing.TB, d *telnet.Daemon) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- d.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		if err := d.Shutdown(ctx); err != nil {
			t.Errorf("shelltest: Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
			t.Errorf("shelltest: Serve: %v", err)
		}
	})
	return l.Addr().String()
}

// Logger returns a logger that writes to the test's log under go test
// -v, at debug level, and discards otherwise.
func Logger(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(logWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// A Client is a Telnet client connection whose data is recorded in a
// Transcript as it arrives. It is an [io.Writer] to the server: Write
// sends, as [Client.Send] does. Reading the Conn directly would take data
// from the Transcript; read the Transcript instead.
type Client struct {
	*telnet.Conn
	*Transcript
}

// Write writes p to the server; both embedded types have a Write, and
// this one says which is meant.
func (c *Client) Write(p []byte) (int, error) { return c.Conn.Write(p) }

// Dial connects a Telnet client to addr. It leaves line endings as they
// are on the wire ([telnet.WithRawLineEndings]) and sends no environment
// unless opts say otherwise. Its deadline is twice Timeout, and it is
// closed at the end of the test.
func Dial(t testing.TB, addr string, opts ...telnet.Option) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	opts = append([]telnet.Option{telnet.WithRawLineEndings(), telnet.WithEnv(nil)}, opts...)
	c, err := telnet.DialContext(ctx, "tcp", addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(2 * Timeout))
	return &Client{Conn: c, Transcript: Record(t, c)}
}

// Close closes the connection; the Transcript ends once the reading
// does.
func (c *Client) Close() error { return c.Conn.Close() }

// Send writes s to the server, or fails the test.
func (c *Client) Send(t testing.TB, s string) {
	t.Helper()
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatalf("shelltest: sending %q: %v", s, err)
	}
}

// Record copies r into a new Transcript until r fails, and closes the
// Transcript then. At the end of the test it closes r and waits for the
// copy to end.
func Record(t testing.TB, r io.ReadCloser) *Transcript {
	tr := new(Transcript)
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(tr, r)
		tr.Close()
	}()
	t.Cleanup(func() {
		r.Close()
		select {
		case <-done:
		case <-time.After(Timeout):
			t.Errorf("shelltest: reading did not end after the reader was closed")
		}
	})
	return tr
}

// A Transcript is a buffer written by one goroutine and waited on by
// another: everything written to it, read up to a mark. A test waits for
// some text with WaitFor or Expect, which move the mark past it. The zero
// value is an empty transcript, ready to use.
type Transcript struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	mark   int
	closed bool
	more   chan struct{} // closed and replaced at each change
}

// changedLocked wakes the waiters.
func (tr *Transcript) changedLocked() {
	if tr.more != nil {
		close(tr.more)
	}
	tr.more = make(chan struct{})
}

// Write appends p to the transcript.
func (tr *Transcript) Write(p []byte) (int, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.buf.Write(p)
	tr.changedLocked()
	return len(p), nil
}

// Close marks the end of the transcript: nothing more will be written.
func (tr *Transcript) Close() error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.closed = true
	tr.changedLocked()
	return nil
}

// String returns all that was written.
func (tr *Transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.buf.String()
}

// Line returns the first complete line written that holds every one of
// parts, such as a log line with a message and an attribute, and whether
// there is one.
func (tr *Transcript) Line(parts ...string) (string, bool) {
	for line := range strings.Lines(tr.String()) {
		if !strings.HasSuffix(line, "\n") {
			break
		}
		if !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(line, p) }) {
			return line, true
		}
	}
	return "", false
}

// wait calls found with what follows the mark each time the transcript
// changes, until it returns true. It fails the test after timeout, or if
// the transcript ends first.
func (tr *Transcript) wait(t testing.TB, timeout time.Duration, what string, found func(after []byte, closed bool) bool) {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		tr.mu.Lock()
		if tr.more == nil {
			tr.more = make(chan struct{})
		}
		after, closed, more := tr.buf.Bytes()[tr.mark:], tr.closed, tr.more
		if found(after, closed) {
			tr.mu.Unlock()
			return
		}
		tr.mu.Unlock()
		if closed {
			t.Fatalf("shelltest: the transcript ended without %s; got %q", what, after)
		}
		select {
		case <-more:
		case <-timer.C:
			t.Fatalf("shelltest: no %s after %v; got %q", what, timeout, after)
		}
	}
}

// WaitFor waits until want follows the mark, moves the mark past it, and
// returns what was between. It fails the test after timeout.
func (tr *Transcript) WaitFor(t testing.TB, want string, timeout time.Duration) string {
	t.Helper()
	var got string
	tr.wait(t, timeout, strconv.Quote(want), func(after []byte, _ bool) bool {
		i := bytes.Index(after, []byte(want))
		if i < 0 {
			return false
		}
		got = string(after[:i+len(want)])
		tr.mark += i + len(want)
		return true
	})
	return got
}

// Expect waits for want as WaitFor does, within Timeout, and fails the
// test unless what followed the mark is exactly want.
func (tr *Transcript) Expect(t testing.TB, want string) {
	t.Helper()
	if got := tr.WaitFor(t, want, Timeout); got != want {
		t.Errorf("shelltest: got %q, want %q", got, want)
	}
}

// Rest waits for the end of the transcript, within Timeout, and returns
// what follows the mark, moving the mark to the end.
func (tr *Transcript) Rest(t testing.TB) string {
	t.Helper()
	var rest string
	tr.wait(t, Timeout, "end", func(after []byte, closed bool) bool {
		if closed {
			rest = string(after)
			tr.mark += len(after)
		}
		return closed
	})
	return rest
}
