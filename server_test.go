package telnet_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// serveLoopback serves d on a loopback port. It returns the address and
// a channel that receives what Serve returns.
func serveLoopback(t *testing.T, d *telnet.Daemon) (string, <-chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- d.Serve(l) }()
	return l.Addr().String(), served
}

// startDaemon serves d on a loopback port until the test ends.
func startDaemon(t *testing.T, d *telnet.Daemon) string { return shelltest.Serve(t, d) }

// dial connects a Telnet client to addr, closed at cleanup.
func dial(t *testing.T, addr string) *telnet.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := telnet.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// dialRaw connects a client that speaks no Telnet, closed at cleanup.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// readUntil reads r until the data read ends with want, and returns it
// all.
func readUntil(t *testing.T, r io.Reader, want string) string {
	t.Helper()
	var got []byte
	buf := make([]byte, 512)
	for !bytes.HasSuffix(got, []byte(want)) {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("reading for %q: %v; got %q", want, err, got)
		}
	}
	return string(got)
}

// echoHandler greets, then echoes lines until the client leaves or the
// server shuts down. It has no cancellation code: the Daemon ends its
// Read.
func echoHandler(ctx context.Context, c *telnet.Conn) error {
	io.WriteString(c, "hello\n")
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		if sc.Text() == "panic" {
			panic("asked to")
		}
		fmt.Fprintf(c, "echo: %s\n", sc.Text())
	}
	return sc.Err()
}

func TestDaemonServesHandler(t *testing.T) {
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(echoHandler)}
	addr := startDaemon(t, d)
	for range 3 {
		c := dial(t, addr)
		readUntil(t, c, "hello\n")
		io.WriteString(c, "one\n")
		readUntil(t, c, "echo: one\n")
	}
}

// TestDaemonHandshakeBeforeHandler checks that the handler starts once
// the client's terminal is known.
func TestDaemonHandshakeBeforeHandler(t *testing.T) {
	got := make(chan string, 1)
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		cols, rows := c.WindowSize()
		got <- fmt.Sprintf("%s %dx%d", c.TerminalType(), cols, rows)
		return nil
	})}
	addr := startDaemon(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := telnet.DialContext(ctx, "tcp", addr, telnet.WithTerminalType("vt220"), telnet.WithWindowSize(132, 43))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go io.Copy(io.Discard, c) // the client answers as it reads
	if s := <-got; s != "vt220 132x43" {
		t.Errorf("the handler saw %q, want vt220 132x43", s)
	}
}

func TestDaemonIdleTimeout(t *testing.T) {
	for _, tc := range []struct {
		name      string
		idle      time.Duration
		deadline  time.Duration // the handler's read deadline; 0 for none
		keepAlive bool          // the client sends a byte every 50 ms
		want      error         // what the handler's Read returns
		wire      string        // what the client reads at the end
	}{
		{name: "silent client", idle: 200 * time.Millisecond, want: telnet.ErrIdleTimeout, wire: "\r\nTimeout.\r\n"},
		{name: "deadline first", idle: time.Second, deadline: 200 * time.Millisecond, want: os.ErrDeadlineExceeded},
		{name: "disabled", idle: -1, deadline: 400 * time.Millisecond, want: os.ErrDeadlineExceeded},
		{name: "active client", idle: 200 * time.Millisecond, deadline: 600 * time.Millisecond, keepAlive: true,
			want: os.ErrDeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			type result struct {
				err, cause error
				took       time.Duration
			}
			done := make(chan result, 1)
			d := &telnet.Daemon{
				IdleTimeout: tc.idle,
				Options:     []telnet.Option{telnet.WithNegotiationTimeout(0)},
				Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
					start := time.Now()
					if tc.deadline > 0 {
						c.SetReadDeadline(start.Add(tc.deadline))
					}
					buf := make([]byte, 64)
					var err error
					for err == nil {
						_, err = c.Read(buf)
					}
					done <- result{err, context.Cause(ctx), time.Since(start)}
					io.WriteString(c, "bye\n")
					return err
				}),
			}
			addr := startDaemon(t, d)
			c := dialRaw(t, addr)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			if tc.keepAlive {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tick := time.NewTicker(50 * time.Millisecond)
					defer tick.Stop()
					for {
						select {
						case <-stop:
							return
						case <-tick.C:
							c.Write([]byte{0})
						}
					}
				}()
			}
			r := <-done
			close(stop)
			wg.Wait()
			if !errors.Is(r.err, tc.want) {
				t.Errorf("the handler's Read returned %v after %v, want %v", r.err, r.took, tc.want)
			}
			if tc.want == telnet.ErrIdleTimeout && !errors.Is(r.cause, telnet.ErrIdleTimeout) {
				t.Errorf("context cause %v, want ErrIdleTimeout", r.cause)
			}
			limit := tc.deadline
			if limit == 0 {
				limit = tc.idle
			}
			if r.took < limit-20*time.Millisecond || r.took > limit+time.Second {
				t.Errorf("the Read returned after %v, want about %v", r.took, limit)
			}
			rest, _ := io.ReadAll(c)
			_, data := splitCommands(rest)
			want := tc.wire
			if want == "" {
				want = "bye\r\n"
			}
			if string(data) != want {
				t.Errorf("the client read %q after the offers, want %q", data, want)
			}
		})
	}
}

// TestDaemonIdleTimeoutWriting checks that a handler writing to a client
// that reads nothing sees its Write fail after the idle timeout, and that
// a write deadline of its own still works.
func TestDaemonIdleTimeoutWriting(t *testing.T) {
	for _, tc := range []struct {
		name     string
		deadline time.Duration // the handler's write deadline; 0 for none
		want     error
	}{
		{"stalled", 0, telnet.ErrIdleTimeout},
		{"deadline first", 100 * time.Millisecond, os.ErrDeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const idle = 300 * time.Millisecond
			type result struct {
				err, cause error
				stalled    time.Duration // from the last successful Write
			}
			done := make(chan result, 1)
			addr := startDaemon(t, &telnet.Daemon{
				IdleTimeout: idle,
				Options:     []telnet.Option{telnet.WithNegotiationTimeout(0)},
				Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
					chunk := bytes.Repeat([]byte("x"), 64<<10)
					last := time.Now()
					var err error
					for err == nil {
						if tc.deadline > 0 {
							c.SetWriteDeadline(time.Now().Add(tc.deadline))
						}
						if _, err = c.Write(chunk); err == nil {
							last = time.Now()
						}
					}
					done <- result{err, context.Cause(ctx), time.Since(last)}
					return err
				}),
			})
			c := dialRaw(t, addr) // reads nothing
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the handler's Write never failed")
			}
			if !errors.Is(r.err, tc.want) {
				t.Errorf("Write returned %v, want %v", r.err, tc.want)
			}
			limit := idle
			if tc.deadline > 0 {
				limit = tc.deadline
			} else if !errors.Is(r.cause, telnet.ErrIdleTimeout) {
				t.Errorf("context cause %v, want ErrIdleTimeout", r.cause)
			}
			if r.stalled < limit-20*time.Millisecond || r.stalled > limit+time.Second {
				t.Errorf("the Write failed after %v, want about %v", r.stalled, limit)
			}
			c.Close()
		})
	}
}

// splitCommands splits what a raw client reads into the leading
// three-byte negotiations and the rest.
func splitCommands(b []byte) (commands, rest []byte) {
	i := 0
	for i+3 <= len(b) && b[i] == 0xff && b[i+1] >= 0xfb && b[i+1] <= 0xfe {
		i += 3
	}
	return b[:i], b[i:]
}

func TestDaemonMaxConns(t *testing.T) {
	busy := telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		_, err := io.WriteString(c, "busy\n")
		return err
	})
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(echoHandler), MaxConns: 2, BusyHandler: busy}
	addr := startDaemon(t, d)
	first, second := dial(t, addr), dial(t, addr)
	readUntil(t, first, "hello\n")
	readUntil(t, second, "hello\n")

	third := dial(t, addr)
	if got := readUntil(t, third, "\n"); got != "busy\n" {
		t.Errorf("the third client read %q, want busy", got)
	}
	if _, err := third.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the busy connection stays open: %v", err)
	}

	first.Close()
	// The first handler returns once it reads the end of its client.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c := dial(t, addr)
		if got := readUntil(t, c, "\n"); got == "hello\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no slot after a client left")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDaemonMaxConnsWithoutBusyHandler checks that a connection beyond
// the limit is closed at once.
func TestDaemonMaxConnsWithoutBusyHandler(t *testing.T) {
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(echoHandler), MaxConns: 1}
	addr := startDaemon(t, d)
	readUntil(t, dial(t, addr), "hello\n")
	c := dialRaw(t, addr)
	got, err := io.ReadAll(c)
	if err != nil || len(got) != 0 {
		t.Errorf("the extra client read %q, %v; want nothing and EOF", got, err)
	}
}

func TestDaemonRecoversPanic(t *testing.T) {
	var logs shelltest.Transcript
	d := &telnet.Daemon{
		Handler: telnet.HandlerFunc(echoHandler),
		Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
	}
	addr := startDaemon(t, d)
	calm, wild := dial(t, addr), dial(t, addr)
	readUntil(t, calm, "hello\n")
	readUntil(t, wild, "hello\n")
	io.WriteString(wild, "panic\n")
	if rest, err := io.ReadAll(wild); err != nil || len(rest) != 0 {
		t.Errorf("after the panic the client read %q, %v; want EOF", rest, err)
	}
	io.WriteString(calm, "still there?\n")
	readUntil(t, calm, "echo: still there?\n")
	if _, ok := logs.Line(`msg="telnet: handler panicked"`, `panic="asked to"`, "server_test.go"); !ok {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
}

func TestDaemonDisconnectCancelsContext(t *testing.T) {
	cause := make(chan error, 1)
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		io.Copy(io.Discard, c)
		<-ctx.Done()
		cause <- context.Cause(ctx)
		return nil
	})}
	addr := startDaemon(t, d)
	c := dial(t, addr)
	c.Write([]byte("x")) // the handshake ends with the first data
	c.Close()
	select {
	case err := <-cause:
		// EOF, or a reset when the client left the offers unread.
		if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("context cause %v, want EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the context was not cancelled")
	}
}

func TestDaemonShutdown(t *testing.T) {
	before := runtime.NumGoroutine()
	var returned atomic.Int32
	causes := make(chan error, 3)
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		defer returned.Add(1)
		err := echoHandler(ctx, c)
		causes <- context.Cause(ctx)
		io.WriteString(c, "server stopping\n")
		return err
	})}
	addr, served := serveLoopback(t, d)
	var clients []*telnet.Conn
	for range 3 {
		c := dial(t, addr)
		readUntil(t, c, "hello\n")
		clients = append(clients, c)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := returned.Load(); n != 3 {
		t.Errorf("%d handlers returned before Shutdown, want 3", n)
	}
	if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
		t.Errorf("Serve returned %v", err)
	}
	for range 3 {
		if err := <-causes; !errors.Is(err, telnet.ErrServerClosed) {
			t.Errorf("context cause %v, want ErrServerClosed", err)
		}
	}
	for _, c := range clients {
		// The handler said goodbye, and the connection is closed.
		if rest, err := io.ReadAll(c); err != nil || string(rest) != "server stopping\n" {
			t.Errorf("client read %q, %v", rest, err)
		}
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the listener still accepts")
	}
	if err := d.ListenAndServe(); !errors.Is(err, telnet.ErrServerClosed) {
		t.Errorf("ListenAndServe after Shutdown: %v", err)
	}
	waitGoroutines(t, before)
}

// waitGoroutines waits until no more goroutines run than before, or
// fails the test.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestDaemonShutdownDeadline checks that Shutdown returns its context's
// error when it ends first, without waiting for a handler that ignores
// everything, and closes the connection left.
func TestDaemonShutdownDeadline(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration // 0: a context cancelled before the call
		want    error
	}{
		{"expired", 0, context.Canceled},
		{"expires", 200 * time.Millisecond, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			returned := make(chan struct{})
			d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
				defer close(returned)
				io.WriteString(c, "hello\n")
				<-release // ignores its context and its connection
				return nil
			})}
			addr, served := serveLoopback(t, d)
			c := dial(t, addr)
			readUntil(t, c, "hello\n")

			ctx, cancel := context.WithCancel(context.Background())
			if tc.timeout > 0 {
				ctx, cancel = context.WithTimeout(context.Background(), tc.timeout)
			} else {
				cancel()
			}
			defer cancel()
			start := time.Now()
			if err := d.Shutdown(ctx); !errors.Is(err, tc.want) {
				t.Errorf("Shutdown returned %v, want %v", err, tc.want)
			}
			if took := time.Since(start); took > tc.timeout+500*time.Millisecond {
				t.Errorf("Shutdown took %v with a context of %v", took, tc.timeout)
			}
			if rest, err := io.ReadAll(c); len(rest) != 0 || (err != nil && !errors.Is(err, syscall.ECONNRESET)) {
				t.Errorf("the client read %q, %v; want its connection closed", rest, err)
			}
			if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
				t.Errorf("Serve returned %v", err)
			}
			close(release)
			<-returned
		})
	}
}

func TestDaemonClose(t *testing.T) {
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		io.WriteString(c, "hello\n")
		_, err := io.Copy(io.Discard, c)
		return err
	})}
	addr, served := serveLoopback(t, d)
	c := dial(t, addr)
	readUntil(t, c, "hello\n")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
		t.Errorf("Serve returned %v", err)
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("the client's connection was not closed: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown after Close: %v", err)
	}
}

// TestDaemonServeTelnetListener checks that the options of a listener
// from telnet.Listen apply, and that Options may not be given as well.
func TestDaemonServeTelnetListener(t *testing.T) {
	lines := make(chan string, 1)
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		line, err := bufio.NewReader(c).ReadString('\n')
		lines <- line
		return err
	})}
	l, err := telnet.Listen("tcp", "127.0.0.1:0", telnet.WithRawLineEndings(), telnet.WithNegotiationTimeout(0))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- d.Serve(l) }()
	c := dialRaw(t, l.Addr().String())
	io.WriteString(c, "raw\r\n")
	if got := <-lines; got != "raw\r\n" {
		t.Errorf("the handler read %q, want the raw line ending", got)
	}
	d.Close()
	<-served

	d2 := &telnet.Daemon{Handler: d.Handler, Options: []telnet.Option{telnet.WithRawLineEndings()}}
	l2, err := telnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := d2.Serve(l2); !errors.Is(err, telnet.ErrListenerOptions) {
		t.Errorf("Serve with options twice: %v", err)
	}
	var d3 telnet.Daemon
	l3, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := d3.Serve(l3); !errors.Is(err, telnet.ErrNoHandler) {
		t.Errorf("Serve without a handler: %v", err)
	}
}

// TestDaemonLoggerFromContext checks that a handler logs through the
// daemon's logger, with the client's address.
func TestDaemonLoggerFromContext(t *testing.T) {
	var logs shelltest.Transcript
	done := make(chan struct{})
	d := &telnet.Daemon{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			defer close(done)
			telnet.LoggerFromContext(ctx).Info("from the handler")
			return nil
		}),
	}
	addr := startDaemon(t, d)
	c := dial(t, addr)
	go io.Copy(io.Discard, c) // the client answers the offers as it reads
	<-done
	if _, ok := logs.Line(`msg="from the handler"`, "peer="+c.LocalAddr().String()); !ok {
		t.Errorf("no line from the handler with the client's address in the log:\n%s", logs.String())
	}
	if l := telnet.LoggerFromContext(context.Background()); l == nil {
		t.Error("LoggerFromContext returned nil")
	}
}

// TestDaemonIdleSlotStarvation checks that clients sending only protocol
// cannot hold the slots of a full server: two attackers, one sending
// IAC NOP, the other dribbling bytes into a subnegotiation that never
// ends, lose their slots at the idle timeout, and a new client gets a
// real session within the idle timeout and a second.
func TestDaemonIdleSlotStarvation(t *testing.T) {
	const idle = 1500 * time.Millisecond
	busy := telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		_, err := io.WriteString(c, "busy\n")
		return err
	})
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(echoHandler), MaxConns: 2, BusyHandler: busy, IdleTimeout: idle}
	addr := startDaemon(t, d)

	type attack struct {
		name        string
		first, each []byte
	}
	attacks := []attack{
		{"nop", nil, []byte{0xff, 0xf1}},                   // IAC NOP
		{"open SB", []byte{0xff, 0xfa, 0x18}, []byte{'x'}}, // IAC SB TTYPE x x x ...
	}
	start := time.Now()
	ended := make(chan string, len(attacks))
	for _, a := range attacks {
		c := dialRaw(t, addr)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		go func() {
			// The server's offers are read and never answered.
			var got []byte
			buf := make([]byte, 256)
			for {
				n, err := c.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					_, data := splitCommands(got)
					ended <- fmt.Sprintf("%s: %q, %v", a.name, data, err)
					return
				}
			}
		}()
		go func() {
			c.Write(a.first)
			tick := time.NewTicker(500 * time.Millisecond)
			defer tick.Stop()
			for range tick.C {
				if _, err := c.Write(a.each); err != nil {
					return
				}
			}
		}()
	}
	// Both slots are taken now.
	probe := dial(t, addr)
	if got := readUntil(t, probe, "\n"); got != "busy\n" {
		t.Fatalf("a third client read %q while the attackers hold the slots, want busy", got)
	}

	for {
		c := dial(t, addr)
		if got := readUntil(t, c, "\n"); got == "hello\n" {
			io.WriteString(c, "real\n")
			readUntil(t, c, "echo: real\n")
			break
		}
		c.Close()
		if time.Since(start) > idle+time.Second {
			t.Fatalf("no session %v after the attack started, with an idle timeout of %v", time.Since(start), idle)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("a session after %v", time.Since(start).Round(time.Millisecond))
	for range attacks {
		select {
		case s := <-ended:
			if !strings.Contains(s, `"\r\nTimeout.\r\n", EOF`) {
				t.Errorf("attacker's end: %s; want the notice and EOF", s)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("an attacker's connection stays open")
		}
	}
}

// TestDaemonIdleNotice checks what a client idle too long is told.
func TestDaemonIdleNotice(t *testing.T) {
	for _, tc := range []struct {
		name   string
		notice []byte
		want   string
	}{
		{"default", nil, "\r\nTimeout.\r\n"},
		{"none", []byte{}, ""},
		{"custom", []byte("\r\nToo slow \xff.\r\n"), "\r\nToo slow \xff\xff.\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := startDaemon(t, &telnet.Daemon{
				IdleTimeout: 100 * time.Millisecond,
				IdleNotice:  tc.notice,
				Options:     []telnet.Option{telnet.WithNegotiationTimeout(0)},
				Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
					_, err := io.Copy(io.Discard, c)
					return err
				}),
			})
			got, err := io.ReadAll(dialRaw(t, addr))
			if _, data := splitCommands(got); err != nil || string(data) != tc.want {
				t.Errorf("the client read %q, %v; want %q", data, err, tc.want)
			}
		})
	}
}

// TestDaemonCancelsHandlers checks that handlers written without any
// cancellation code end promptly at Shutdown, whether blocked reading a
// silent client or writing to a client that reads nothing, and that
// their Read and Write return ErrServerClosed.
func TestDaemonCancelsHandlers(t *testing.T) {
	errs := make(chan error, 4)
	d := &telnet.Daemon{Options: []telnet.Option{telnet.WithNegotiationTimeout(0)}, Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		first, _, _ := bufio.NewReader(c).ReadLine()
		var err error
		switch string(first) {
		case "scan":
			sc := bufio.NewScanner(c)
			for sc.Scan() {
			}
			err = sc.Err()
		case "copy":
			_, err = io.Copy(io.Discard, c)
		case "flood":
			chunk := bytes.Repeat([]byte("y"), 64<<10)
			for err == nil {
				_, err = c.Write(chunk)
			}
		case "goodbye":
			_, err = io.Copy(io.Discard, c)
			if _, werr := io.WriteString(c, "goodbye\n"); werr != nil {
				err = werr
			}
		}
		errs <- err
		return err
	})}
	addr, served := serveLoopback(t, d)
	var goodbye net.Conn
	for _, mode := range []string{"scan", "copy", "flood", "goodbye"} {
		c := dialRaw(t, addr)
		io.WriteString(c, mode+"\n")
		if mode == "goodbye" {
			goodbye = c
		}
	}
	time.Sleep(200 * time.Millisecond) // the flood fills the buffers

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := d.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("Shutdown took %v", took)
	}
	for range 4 {
		if err := <-errs; !errors.Is(err, telnet.ErrServerClosed) {
			t.Errorf("a handler ended with %v, want ErrServerClosed", err)
		}
	}
	rest, err := io.ReadAll(goodbye)
	if _, rest := splitCommands(rest); err != nil || string(rest) != "goodbye\r\n" {
		t.Errorf("the reading client got %q, %v; want the goodbye and EOF", rest, err)
	}
	<-served
}

// TestDaemonLingeringClose checks that a client that keeps sending after
// the server's last line sees that line and an orderly close (EOF), not
// a reset for the bytes the handler left unread; behind a PROXY listener
// too.
func TestDaemonLingeringClose(t *testing.T) {
	t.Run("tcp", func(t *testing.T) { testLingeringClose(t, false) })
	t.Run("proxy", func(t *testing.T) { testLingeringClose(t, true) })
}

func testLingeringClose(t *testing.T, proxy bool) {
	d := &telnet.Daemon{
		Options: []telnet.Option{telnet.WithNegotiationTimeout(0)},
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			time.Sleep(100 * time.Millisecond) // the client's lines pile up unread
			_, err := io.WriteString(c, "game over\n")
			return err
		}),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if proxy {
		l = telnet.NewProxyListener(l, netip.MustParsePrefix("127.0.0.1/32"))
	}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	for range 5 {
		c := dialRaw(t, addr)
		if proxy {
			io.WriteString(c, "PROXY TCP4 203.0.113.7 127.0.0.1 4242 23\r\n")
		}
		stop := make(chan struct{})
		sent := make(chan struct{})
		go func() {
			defer close(sent)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := io.WriteString(c, "move north\r\n"); err != nil {
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
		got, err := io.ReadAll(c)
		close(stop)
		<-sent
		if _, data := splitCommands(got); err != nil || string(data) != "game over\r\n" {
			t.Errorf("the client read %q, %v; want the last line and EOF", data, err)
		}
		c.Close()
	}
}

// TestDaemonConnState checks the ConnState hook and Conns.
func TestDaemonConnState(t *testing.T) {
	var mu sync.Mutex
	states := make(map[*telnet.Conn][]telnet.ConnState)
	closed := make(chan struct{}, 4)
	d := &telnet.Daemon{
		Handler: telnet.HandlerFunc(echoHandler),
		ConnState: func(c *telnet.Conn, s telnet.ConnState) {
			mu.Lock()
			states[c] = append(states[c], s)
			mu.Unlock()
			if s == telnet.StateClosed {
				closed <- struct{}{}
			}
		},
	}
	addr := startDaemon(t, d)
	a, b := dial(t, addr), dial(t, addr)
	readUntil(t, a, "hello\n")
	readUntil(t, b, "hello\n")

	n := 0
	for c := range d.Conns() {
		fmt.Fprintf(c, "news %d\n", n)
		n++
	}
	if n != 2 {
		t.Fatalf("Conns yielded %d connections, want 2", n)
	}
	got := readUntil(t, a, "\n") + readUntil(t, b, "\n")
	if !strings.Contains(got, "news 0\n") || !strings.Contains(got, "news 1\n") {
		t.Errorf("the clients read %q, want both news", got)
	}

	a.Close()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("no StateClosed after the client left")
	}
	n = 0
	for range d.Conns() {
		n++
	}
	if n != 1 {
		t.Errorf("Conns yielded %d connections after one left, want 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	var seq []string
	for _, s := range states {
		seq = append(seq, fmt.Sprint(s))
	}
	slices.Sort(seq)
	if want := []string{"[new active closed]", "[new active]"}; !slices.Equal(seq, want) {
		t.Errorf("states %q, want %q", seq, want)
	}
}
