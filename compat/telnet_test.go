package compat_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/compat"
)

// dial connects a compat client to the server and closes it at cleanup.
func dial(t *testing.T, srv *scripted, timeout time.Duration) *compat.Telnet {
	t.Helper()
	tn, err := compat.Dial("127.0.0.1", srv.Port(), timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tn.Close() })
	return tn
}

// within runs f in a goroutine and fails the test if it takes longer
// than d, in which case it calls unblock; it returns once f has returned.
func within(t *testing.T, d time.Duration, unblock func(), f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Errorf("still running after %v", d)
		unblock()
		<-done
	}
}

func TestCloseEndsABlockedRead(t *testing.T) {
	tests := []struct {
		name string
		read func(tn *compat.Telnet) ([]byte, error)
		want string // what the blocked call returns: what was queued
	}{
		{"ReadUntil", func(tn *compat.Telnet) ([]byte, error) { return tn.ReadUntil([]byte("zz"), compat.NoTimeout) }, "abc"},
		{"ReadSome", func(tn *compat.Telnet) ([]byte, error) { return tn.ReadSome() }, ""},
		{"ReadAll", func(tn *compat.Telnet) ([]byte, error) { return tn.ReadAll() }, "abc"},
		{"Expect", func(tn *compat.Telnet) ([]byte, error) {
			_, _, text, err := tn.Expect([]*regexp.Regexp{regexp.MustCompile("zz")}, compat.NoTimeout)
			return text, err
		}, "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startScripted(t, steps(send(tt.want)))
			tn := dial(t, srv, 0)
			var got []byte
			var err error
			time.AfterFunc(100*time.Millisecond, func() { tn.Close() })
			within(t, 5*time.Second, srv.Disconnect, func() { got, err = tt.read(tn) })
			if string(got) != tt.want || err != nil {
				t.Errorf("%s = %q, %v; want %q, nil", tt.name, got, err, tt.want)
			}
			if _, err := tn.ReadVeryLazy(); err != io.EOF {
				t.Errorf("then ReadVeryLazy: %v, want io.EOF", err)
			}
			if tn.Conn() != nil {
				t.Error("Conn is not nil after Close")
			}
		})
	}
}

func TestNotConnected(t *testing.T) {
	var tn compat.Telnet
	if _, err := tn.Write([]byte("x")); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("Write: %v", err)
	}
	if _, err := tn.ReadSome(); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("ReadSome: %v", err)
	}
	if _, err := tn.ReadVeryEager(); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("ReadVeryEager: %v", err)
	}
	if _, err := tn.ReadUntil([]byte("x"), 0); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("ReadUntil: %v", err)
	}
	if _, _, _, err := tn.Expect(nil, 0); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("Expect: %v", err)
	}
	if err := tn.Interact(strings.NewReader(""), io.Discard); !errors.Is(err, compat.ErrNotConnected) {
		t.Errorf("Interact: %v", err)
	}
	if got, err := tn.ReadVeryLazy(); got != nil || err != nil { // Python returns b''
		t.Errorf("ReadVeryLazy = %q, %v", got, err)
	}
	if tn.Conn() != nil {
		t.Error("Conn is not nil")
	}

	// Open twice fails; Open after Close connects again.
	srv1 := startScripted(t, steps(send("one"), eof()))
	srv2 := startScripted(t, steps(send("two"), eof()))
	if err := tn.Open("127.0.0.1", srv1.Port(), time.Second); err != nil {
		t.Fatal(err)
	}
	if err := tn.Open("127.0.0.1", srv2.Port(), time.Second); !errors.Is(err, compat.ErrConnected) {
		t.Errorf("second Open: %v", err)
	}
	if got, err := tn.ReadAll(); string(got) != "one" || err != nil {
		t.Errorf("ReadAll = %q, %v", got, err)
	}
	tn.Close()
	if err := tn.Open("127.0.0.1", srv2.Port(), time.Second); err != nil {
		t.Fatal(err)
	}
	if got, err := tn.ReadAll(); string(got) != "two" || err != nil {
		t.Errorf("ReadAll after reopening = %q, %v", got, err)
	}
	tn.Close()
}

func TestOpenFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if _, err := compat.Dial("127.0.0.1", port, time.Second); err == nil || !strings.HasPrefix(err.Error(), "compat: open: ") {
		t.Errorf("Dial to a closed port: %v", err)
	}
}

func TestCallbackCannotRead(t *testing.T) {
	conn := newMemConn([]byte("a\xff\xfd\x01b\xff\xfa\x18\x01\xff\xf0c"))
	tn := compat.NewTelnet(conn, 0)
	var errs []error
	var sb []byte
	tn.SetOptionNegotiationCallback(func(c net.Conn, cmd, opt byte) {
		_, err := tn.ReadSome()
		errs = append(errs, err)
		_, err = tn.ReadUntil([]byte("x"), 0)
		errs = append(errs, err)
		_, _, _, err = tn.Expect(nil, 0)
		errs = append(errs, err)
		if cmd == compat.SE {
			sb = tn.ReadSBData()
		}
		if _, err := tn.Write([]byte{opt}); err != nil {
			t.Error(err)
		}
	})
	got, err := tn.ReadAll()
	if string(got) != "abc" || err != nil {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	if len(errs) != 9 {
		t.Fatalf("%d errors, want 9 (three calls)", len(errs))
	}
	for _, err := range errs {
		if !errors.Is(err, compat.ErrInCallback) {
			t.Errorf("read in the callback: %v", err)
		}
	}
	if string(sb) != "\x18\x01" {
		t.Errorf("ReadSBData in the callback = %q", sb)
	}
	// The callback's writes, with IAC doubled by Write, and no refusal.
	if w := conn.Written(); string(w) != "\x01\x00\x00" {
		t.Errorf("written %q", w)
	}
}

func TestDebugOutput(t *testing.T) {
	conn := newMemConn([]byte("a\xff\xfd\x01"), []byte("\xff\xf1"))
	tn := compat.NewTelnet(conn, 0)
	var out bytes.Buffer
	tn.SetDebugOutput(&out)
	tn.Msg("not printed at level %d", 0)
	tn.SetDebugLevel(1)
	tn.Write([]byte("x\xff"))
	tn.ReadAll()
	tn.Msg("100%")
	want := `Telnet(mem,23): send "x\xff\xff"
Telnet(mem,23): recv "a\xff\xfd\x01"
Telnet(mem,23): IAC DO 1
Telnet(mem,23): recv "\xff\xf1"
Telnet(mem,23): IAC 241 not recognized
Telnet(mem,23): recv ""
Telnet(mem,23): 100%
`
	if out.String() != want {
		t.Errorf("debug output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestReadEagerStopsAtTheFirstRead(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 100<<10/16)
	tn := compat.NewTelnet(newMemConn(bytes.Clone(big)), 0)
	first, err := tn.ReadEager()
	if err != nil || len(first) == 0 || len(first) >= len(big) {
		t.Fatalf("ReadEager returned %d bytes, %v; want one read's worth of %d", len(first), err, len(big))
	}
	rest, err := tn.ReadVeryEager()
	if err != nil || !bytes.Equal(append(first, rest...), big) {
		t.Fatalf("ReadVeryEager returned %d bytes, %v; want the remaining %d", len(rest), err, len(big)-len(first))
	}
	if _, err := tn.ReadVeryEager(); err != io.EOF {
		t.Errorf("at end of file: %v", err)
	}
}

func TestTimeouts(t *testing.T) {
	srv := startScripted(t, steps(send("abc"), awaitBytes(1), send("\xff\xfd\x01def"), eof()))
	tn := dial(t, srv, 100*time.Millisecond)
	if got, err := tn.ReadUntil([]byte("a"), time.Second); string(got) != "a" || err != nil {
		t.Fatalf("ReadUntil = %q, %v", got, err)
	}
	start := time.Now()
	_, err := tn.ReadAll()
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadAll: %v, want a timeout", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("ReadAll: %v is not a net.Error with Timeout", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
		t.Errorf("ReadAll timed out after %v, want about 100ms", d)
	}
	if got, err := tn.ReadVeryLazy(); string(got) != "bc" || err != nil {
		t.Errorf("ReadVeryLazy after the timeout = %q, %v; the data must stay queued", got, err)
	}
	i, m, text, err := tn.Expect([]*regexp.Regexp{regexp.MustCompile("d(e)f")}, 0)
	if i != -1 || m != nil || len(text) != 0 || err != nil {
		t.Errorf("Expect with timeout 0 = %d, %q, %q, %v; want -1 and nothing", i, m, text, err)
	}
	if _, err := tn.Write([]byte("!")); err != nil {
		t.Fatal(err)
	}
	i, m, text, err = tn.Expect([]*regexp.Regexp{regexp.MustCompile("x"), regexp.MustCompile("d(e)f")}, 2*time.Second)
	if i != 1 || fmt.Sprintf("%q", m) != `["def" "e"]` || string(text) != "def" || err != nil {
		t.Errorf("Expect = %d, %q, %q, %v", i, m, text, err)
	}
	tn.Close()
	if got := srv.Received(t); string(got) != "!\xff\xfc\x01" {
		t.Errorf("server received %q", got)
	}
}

// TestReadUntilMatch checks the Go-style ReadUntil: a match, then a
// timeout reported as os.ErrDeadlineExceeded with the data so far, then
// end of file as io.ErrUnexpectedEOF and io.EOF.
func TestReadUntilMatch(t *testing.T) {
	srv := startScripted(t, steps(send("login: "), awaitBytes(1), send("sh$ "), eof()))
	tn := dial(t, srv, compat.NoTimeout)
	if got, err := tn.ReadUntilMatch([]byte(": "), time.Second); string(got) != "login: " || err != nil {
		t.Fatalf("ReadUntilMatch = %q, %v", got, err)
	}
	start := time.Now()
	got, err := tn.ReadUntilMatch([]byte("Password: "), 100*time.Millisecond)
	if len(got) != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("ReadUntilMatch = %q, %v; want nothing and a timeout", got, err)
	}
	if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
		t.Errorf("the timeout came after %v, want about 100ms", d)
	}
	// Python's way, for the same wait: no error.
	if got, err := tn.ReadUntil([]byte("Password: "), 0); len(got) != 0 || err != nil {
		t.Errorf("ReadUntil = %q, %v; want nothing and no error", got, err)
	}
	if _, err := tn.Write([]byte("guest\n")); err != nil {
		t.Fatal(err)
	}
	got, err = tn.ReadUntilMatch([]byte("Password: "), 5*time.Second)
	if string(got) != "sh$ " || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("ReadUntilMatch at end of file = %q, %v; want the data and io.ErrUnexpectedEOF", got, err)
	}
	if got, err := tn.ReadUntilMatch([]byte("x"), time.Second); len(got) != 0 || err != io.EOF {
		t.Errorf("ReadUntilMatch after end of file = %q, %v; want io.EOF", got, err)
	}
}

// TestNewTelnetOverPipe runs a client over a net.Pipe, which compat cannot
// poll: the eager reads wait a moment for it instead.
func TestNewTelnetOverPipe(t *testing.T) {
	client, server := net.Pipe()
	tn := compat.NewTelnet(client, time.Second)
	t.Cleanup(func() { tn.Close() })
	got := make(chan []byte, 1)
	go func() {
		defer server.Close()
		server.SetDeadline(time.Now().Add(5 * time.Second))
		server.Write([]byte("hello\xff\xfd\x01"))
		buf := make([]byte, 3)
		io.ReadFull(server, buf)
		got <- buf
	}()
	if data, err := tn.ReadUntil([]byte("hello"), 5*time.Second); string(data) != "hello" || err != nil {
		t.Fatalf("ReadUntil = %q, %v", data, err)
	}
	if reply := <-got; string(reply) != "\xff\xfc\x01" {
		t.Errorf("reply %q", reply)
	}
	if data, err := tn.ReadAll(); len(data) != 0 || err != nil {
		t.Errorf("ReadAll = %q, %v", data, err)
	}
	if _, err := tn.ReadVeryEager(); err != io.EOF {
		t.Errorf("ReadVeryEager at end of file: %v", err)
	}
}
