package telnet

import (
	"bufio"
	"context"
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
