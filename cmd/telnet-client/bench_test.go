package main

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/telnetkit/telnet"
)

// benchChunk is what the server writes at a time.
const benchChunk = 32 << 10

// serveBulk accepts one connection on 127.0.0.1 and writes n chunks of
// text with no IAC to it, then closes it. It returns the address.
func serveBulk(b *testing.B, n int) string {
	b.Helper()
	addr, accepted := rawServer(b)
	chunk := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz \xc9\xcd\xbb\r\n"), benchChunk/48)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var c net.Conn
		select {
		case c = <-accepted:
		case <-stop:
			return // no client came
		}
		defer c.Close()
		for range n {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}()
	b.Cleanup(func() { close(stop); <-done })
	return addr
}

// BenchmarkOutput measures what the server sends reaching the screen:
// through a plain TCP connection (the baseline), and through the
// client's session, in raw mode with UTF-8 (bytes untouched), in line
// mode (bare LF given its CR) and with CP437 decoded to UTF-8.
func BenchmarkOutput(b *testing.B) {
	b.Run("raw-tcp", func(b *testing.B) {
		b.SetBytes(int64(len(bytes.Repeat([]byte("x"), benchChunk/48*48))))
		c, err := net.Dial("tcp", serveBulk(b, b.N))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		buf := make([]byte, 32<<10)
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{c}, buf); err != nil {
			b.Fatal(err)
		}
	})
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"session-raw-utf8", []string{"--raw-mode"}},
		{"session-line-utf8", []string{"--line-mode"}},
		{"session-raw-cp437", []string{"--raw-mode", "--encoding", "cp437"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(benchChunk / 48 * 48))
			o, err := parseArgs(append(bc.args, "h"), func(string) string { return "" })
			if err != nil {
				b.Fatal(err)
			}
			log := slog.New(slog.DiscardHandler)
			conn, err := telnet.Dial("tcp", serveBulk(b, b.N), dialOptions(o, func(string) string { return "" }, log, &fakeTerminal{}, 80, 24)...)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			s := newSession(o, conn, &fakeTerminal{}, log)
			s.screen = newScreen(io.Discard)
			s.updateState()
			if r := s.readServer(); r.end != endForeign || r.err != nil {
				b.Fatalf("ended with %+v", r)
			}
		})
	}
}
