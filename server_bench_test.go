package telnet_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
)

// The Daemon benchmarks compare a handler reading bulk data through the
// Conn a Daemon gives it, idle timeout on, with a server reading the raw
// accepted net.Conn, in the same run: the ratio is the cost of serving.

const daemonBenchChunk = 32 << 10

// benchReceive makes a client send b.N chunks of text with no IAC, and
// returns when the server side has read them all through read.
func benchReceive(b *testing.B, addr string, read <-chan error) {
	b.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	payload := bytes.Repeat([]byte("0123456789abcdef"), daemonBenchChunk/16)
	b.SetBytes(daemonBenchChunk)
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for range b.N {
			if _, err := c.Write(payload); err != nil {
				return
			}
		}
	}()
	if err := <-read; err != nil {
		b.Fatal(err)
	}
}

// readAll reads n bytes from r in chunks.
func readAll(r io.Reader, n int64) error {
	buf := make([]byte, daemonBenchChunk)
	for n > 0 {
		m, err := r.Read(buf)
		if err != nil {
			return err
		}
		n -= int64(m)
	}
	return nil
}

// acceptAndRead accepts one connection on l and reads b.N chunks from it.
func acceptAndRead(b *testing.B, l net.Listener) <-chan error {
	read := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			read <- err
			return
		}
		defer c.Close()
		read <- readAll(c, int64(b.N)*daemonBenchChunk)
	}()
	return read
}

func BenchmarkDaemonReadRaw(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	benchReceive(b, l.Addr().String(), acceptAndRead(b, l))
}

// BenchmarkDaemonReadConn reads through a Conn without a Daemon, to tell
// the cost of the Conn from that of serving.
func BenchmarkDaemonReadConn(b *testing.B) {
	l, err := telnet.Listen("tcp", "127.0.0.1:0", telnet.WithNegotiationTimeout(0))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	benchReceive(b, l.Addr().String(), acceptAndRead(b, l))
}

func BenchmarkDaemonRead(b *testing.B) {
	read := make(chan error, 1)
	d := &telnet.Daemon{
		IdleTimeout: time.Minute,
		Options:     []telnet.Option{telnet.WithNegotiationTimeout(0)},
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			read <- readAll(c, int64(b.N)*daemonBenchChunk)
			return nil
		}),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go d.Serve(l)
	defer d.Shutdown(context.Background())
	benchReceive(b, l.Addr().String(), read)
}
