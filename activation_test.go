//go:build unix

package telnet

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestActivationListeners passes a listening socket to a child process
// as a service manager does (descriptor 3, LISTEN_FDS=1, LISTEN_PID set
// by the shell that becomes the child), and connects to the child's
// server through it.
func TestActivationListeners(t *testing.T) {
	if os.Getenv("TELNET_TEST_ACTIVATED") == "1" {
		serveActivated()
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := l.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command("sh", "-c", `LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=telnet exec "$0" -test.run='^TestActivationListeners$'`, os.Args[0])
	cmd.Env = append(os.Environ(), "TELNET_TEST_ACTIVATED=1")
	cmd.ExtraFiles = []*os.File{f}
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	// The socket listens already: no wait for the child to start.
	c, err := Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if want := "activated, LISTEN_FDS=\n"; line != want {
		t.Errorf("child says %q, %v; want %q\n%s", line, err, want, out)
	}
}

// serveActivated is the child of TestActivationListeners: it serves one
// connection on the socket it was passed, and says what it got.
func serveActivated() {
	ls, err := ActivationListeners()
	if err != nil || len(ls) != 1 {
		fmt.Println("activation:", ls, err)
		os.Exit(1)
	}
	if again, _ := ActivationListeners(); again != nil {
		fmt.Println("the sockets were taken twice")
		os.Exit(1)
	}
	done := make(chan struct{})
	d := &Daemon{Handler: HandlerFunc(func(ctx context.Context, c *Conn) error {
		defer close(done)
		_, err := fmt.Fprintf(c, "activated, LISTEN_FDS=%s\n", os.Getenv("LISTEN_FDS"))
		return err
	})}
	go d.Serve(ls[0])
	<-done
	d.Shutdown(context.Background())
	os.Exit(0)
}
