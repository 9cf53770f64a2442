//go:build unix

package telnet

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestInteropHAProxy(t *testing.T) {
	haproxy := needProgram(t, "haproxy")
	for _, send := range []string{"send-proxy", "send-proxy-v2"} {
		t.Run(send, func(t *testing.T) {
			inner, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			// The Daemon says where it thinks each client is.
			d := &Daemon{Handler: HandlerFunc(func(ctx context.Context, c *Conn) error {
				_, err := fmt.Fprintf(c, "you are %s\n", c.RemoteAddr())
				return err
			})}
			go d.Serve(NewProxyListener(inner, netip.MustParsePrefix("127.0.0.1/32")))
			t.Cleanup(func() { d.Close() })

			front := freePort(t)
			cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
			conf := fmt.Sprintf(`global
	maxconn 100
defaults
	mode tcp
	timeout connect 5s
	timeout client 30s
	timeout server 30s
frontend telnet
	bind 127.0.0.1:%d
	default_backend telnets
backend telnets
	server s1 %s %s
`, front, inner.Addr(), send)
			if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(haproxy, "-db", "-f", cfg)
			out := &strings.Builder{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

			var c *Conn
			for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
				if c, err = Dial("tcp", fmt.Sprintf("127.0.0.1:%d", front)); err == nil {
					break
				}
				if time.Since(start) > 10*time.Second {
					t.Fatalf("haproxy not listening: %v\n%s", err, out)
				}
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				t.Fatalf("read: %v\n%s", err, out)
			}
			if want := "you are " + c.LocalAddr().String() + "\n"; line != want {
				t.Errorf("server says %q, want %q", line, want)
			}
		})
	}
}
