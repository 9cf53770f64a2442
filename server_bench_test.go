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

// The Daemon benchmarks move bulk data (no IAC) over loopback between a
// raw client and a server side that is, in the same run: the raw accepted
// net.Conn, a Conn from telnet.Listen, and the Conn a Daemon gives its
// handler, idle timeout on. The ratios to the raw one are the costs of the
// Conn and of serving.

const daemonBenchChunk = 32 << 10

func benchPayload() []byte { return bytes.Repeat([]byte("0123456789abcdef"), daemonBenchChunk/16) }

// A direction is a benchmark's data flow: what the server side does with
// its connection, and what the client does meanwhile.
type direction struct {
	server func(b *testing.B, c net.Conn) error
	client func(b *testing.B, c net.Conn)
}

// toServer: the client sends, the server reads.
var toServer = direction{
	server: func(b *testing.B, c net.Conn) error { return readAll(c, int64(b.N)*daemonBenchChunk) },
	client: func(b *testing.B, c net.Conn) { writeAll(b, c) },
}

// toClient: the server writes, the client reads.
var toClient = direction{
	server: func(b *testing.B, c net.Conn) error { writeAll(b, c); return nil },
	client: func(b *testing.B, c net.Conn) { readAll(c, int64(b.N)*daemonBenchChunk) },
}

func writeAll(b *testing.B, w io.Writer) {
	payload := benchPayload()
	for range b.N {
		if _, err := w.Write(payload); err != nil {
			return
		}
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

// run connects a client to addr and times the transfer, until the
// server side reports on done.
func (d direction) run(b *testing.B, addr string, done <-chan error) {
	b.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.SetBytes(daemonBenchChunk)
	b.ReportAllocs()
	b.ResetTimer()
	go d.client(b, c)
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// accepted runs the server side on the first connection l accepts.
func (d direction) accepted(b *testing.B, l net.Listener) <-chan error {
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		done <- d.server(b, c)
	}()
	return done
}

func (d direction) raw(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	d.run(b, l.Addr().String(), d.accepted(b, l))
}

func (d direction) conn(b *testing.B) {
	l, err := telnet.Listen("tcp", "127.0.0.1:0", telnet.WithNegotiationTimeout(0))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	d.run(b, l.Addr().String(), d.accepted(b, l))
}

func (d direction) daemon(b *testing.B) {
	done := make(chan error, 1)
	daemon := &telnet.Daemon{
		IdleTimeout: time.Minute,
		Options:     []telnet.Option{telnet.WithNegotiationTimeout(0)},
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			done <- d.server(b, c)
			return nil
		}),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go daemon.Serve(l)
	defer daemon.Shutdown(context.Background())
	d.run(b, l.Addr().String(), done)
}

func BenchmarkDaemonReadRaw(b *testing.B)   { toServer.raw(b) }
func BenchmarkDaemonReadConn(b *testing.B)  { toServer.conn(b) }
func BenchmarkDaemonRead(b *testing.B)      { toServer.daemon(b) }
func BenchmarkDaemonWriteRaw(b *testing.B)  { toClient.raw(b) }
func BenchmarkDaemonWriteConn(b *testing.B) { toClient.conn(b) }
func BenchmarkDaemonWrite(b *testing.B)     { toClient.daemon(b) }
