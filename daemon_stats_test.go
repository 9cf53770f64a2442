package telnet

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"
)

func TestDaemonStats(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	d := &Daemon{
		Handler: HandlerFunc(func(ctx context.Context, c *Conn) error {
			c.Write([]byte("hello\n"))
			<-release
			_, err := c.Read(make([]byte, 10)) // until the idle timeout
			return err
		}),
		MaxConns:    1,
		IdleTimeout: 300 * time.Millisecond,
	}
	go d.Serve(l)
	defer d.Close()

	first, err := Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if line, err := bufio.NewReader(first).ReadString('\n'); err != nil || line != "hello\n" {
		t.Fatalf("first client read %q, %v", line, err)
	}
	// The second finds the server full, with no BusyHandler: closed.
	second, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := second.Read(make([]byte, 10)); err == nil {
		t.Error("the second connection was served")
	}
	if s := d.Stats(); s.Open != 1 || s.Accepted != 2 || s.Refused != 1 || s.Busy != 0 || s.BytesIn == 0 || s.BytesOut == 0 {
		t.Errorf("while serving: %+v", s)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for d.Stats().Open > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s := d.Stats(); s.Open != 0 || s.IdleTimeouts != 1 {
		t.Errorf("after the idle timeout: %+v", s)
	}
}

// TestDaemonVectoredWrite checks that a Daemon's connection keeps the
// Conn's vectored writes, and that what they send arrives whole and is
// counted.
func TestDaemonVectoredWrite(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	payload := pairedPayload(1024, 1<<20) // an IAC every KiB
	vectored := make(chan bool, 1)
	d := &Daemon{
		Handler: HandlerFunc(func(ctx context.Context, c *Conn) error {
			vectored <- isVectored(c.conn)
			_, err := c.Write(payload)
			return err
		}),
		Options: []Option{WithRawLineEndings()},
	}
	go d.Serve(l)
	defer d.Close()
	c, err := Dial("tcp", l.Addr().String(), WithRawLineEndings())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c) // the client answers the negotiation as it reads
	if err != nil {
		t.Fatal(err)
	}
	if !<-vectored {
		t.Error("the Daemon's connection hides the vectored writes of TCP")
	}
	if !bytes.Equal(got, payload) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(payload))
	}
	if out := d.Stats().BytesOut; out < int64(len(payload)+len(payload)/1024) {
		t.Errorf("BytesOut %d, fewer than the %d bytes of the escaped data", out, len(payload)+len(payload)/1024)
	}
}
