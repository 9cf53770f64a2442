//go:build unix

package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
)

// buildProgram builds this module's program name with the go tool, and
// returns the executable's path.
func buildProgram(t *testing.T, name string) string {
	t.Helper()
	goTool := need(t, "go")
	exe := filepath.Join(t.TempDir(), name)
	build := exec.Command(goTool, "build", "-o", exe, "github.com/telnetkit/telnet/cmd/"+name)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", name, err, out)
	}
	return exe
}

// TestVersion runs both programs, built as a user builds them, with
// --version: each names itself and the module, from the build info.
func TestVersion(t *testing.T) {
	for _, name := range []string{"telnet-server", "telnet-client"} {
		out, err := exec.Command(buildProgram(t, name), "--version").Output()
		if err != nil || !strings.HasPrefix(string(out), name+" github.com/telnetkit/telnet ") {
			t.Errorf("%s --version: %q, %v", name, out, err)
		}
	}
}

// startServerProgram builds this module's telnet-server, runs it on
// 127.0.0.1 with args and returns its address. It is stopped with
// SIGTERM at cleanup.
func startServerProgram(t *testing.T, args ...string) string {
	t.Helper()
	exe := buildProgram(t, "telnet-server")
	cmd := exec.Command(exe, append([]string{"127.0.0.1", "0", "--logfmt", "%(levelname)s %(message)s"}, args...)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/", "LANG=C.UTF-8"}
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := make(chan string, 1)
	logged := make(chan struct{})
	go func() { // reads the log until the program exits
		defer close(logged)
		ready := regexp.MustCompile(`^INFO Server ready on (\S+)$`)
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				addrs <- m[1]
			}
		}
		io.Copy(io.Discard, logs)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		stopped := time.AfterFunc(waitTime, func() { cmd.Process.Kill() })
		<-logged
		cmd.Wait()
		stopped.Stop()
	})
	select {
	case addr := <-addrs:
		return addr
	case <-logged:
		t.Fatal("telnet-server exited before serving")
	case <-time.After(waitTime):
		t.Fatal("telnet-server is not ready")
	}
	return ""
}

// A tap relays one connection to a server and records what goes each
// way, as the wire carries it.
type tap struct {
	mu                 sync.Mutex
	toServer, toClient bytes.Buffer
}

// startTap listens on 127.0.0.1 and relays the first connection to
// server. It returns the address to connect to.
func startTap(t *testing.T, server string) (string, *tap) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tp := &tap{}
	var wg sync.WaitGroup
	var conns []net.Conn
	var connsMu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		client, err := l.Accept()
		if err != nil {
			return
		}
		srv, err := net.Dial("tcp", server)
		if err != nil {
			client.Close()
			return
		}
		connsMu.Lock()
		conns = append(conns, client, srv)
		connsMu.Unlock()
		wg.Add(2)
		go func() { defer wg.Done(); tp.relay(srv, client, &tp.toServer) }()
		go func() { defer wg.Done(); tp.relay(client, srv, &tp.toClient) }()
	}()
	t.Cleanup(func() {
		l.Close()
		connsMu.Lock()
		for _, c := range conns {
			c.Close()
		}
		connsMu.Unlock()
		wg.Wait()
	})
	return l.Addr().String(), tp
}

// relay copies src to dst, recording it in rec, until src ends; then it
// closes dst for writing.
func (tp *tap) relay(dst, src net.Conn, rec *bytes.Buffer) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			tp.mu.Lock()
			rec.Write(buf[:n])
			tp.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if tc, ok := dst.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			return
		}
	}
}

// wire returns what went to the server and to the client so far.
func (tp *tap) wire() (toServer, toClient string) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.toServer.String(), tp.toClient.String()
}

// charsetAccepted returns the name in the first CHARSET ACCEPTED of wire,
// IAC SB CHARSET 2 name IAC SE.
func charsetAccepted(wire string) (string, bool) {
	_, rest, ok := strings.Cut(wire, "\xff\xfa\x2a\x02")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "\xff\xf0")
	return name, ok
}

// This module's two programs, both with --encoding=cp437, on a real
// terminal: they agree on the character set with CHARSET, the wire
// carries CP437 both ways, and the terminal shows the box drawing of a
// program that writes UTF-8, and of what is typed, as it should be.
func TestTmuxServerProgramCP437(t *testing.T) {
	need(t, "tmux")
	server := startServerProgram(t, "--encoding=cp437", "--pty-exec", "/bin/sh", "--", "-c",
		`printf '%s\n' '╔═╗ box'; exec cat`)
	addr, tp := startTap(t, server)
	host, port, _ := net.SplitHostPort(addr)
	p := startPane(t, 80, 24, sessionScript(t, "--encoding=cp437", host, port))
	p.WaitFor("╔═╗ box\n")
	p.TypeLine("╚═╝ typed")
	p.WaitFor("╚═╝ typed\n╚═╝ typed\n") // the terminal's echo, then cat
	p.Keys("C-]")
	p.WaitFor("Connection closed.\nexit=0\n")
	p.checkRestored()

	toServer, toClient := tp.wire()
	name, ok := charsetAccepted(toServer)
	if !ok {
		t.Fatalf("no CHARSET ACCEPTED from the client: %q", toServer)
	}
	if _, canonical, err := charset.Lookup(name); err != nil || canonical != "IBM437" {
		t.Errorf("the client accepted %q, want CP437", name)
	}
	// The terminal's LANG, C.UTF-8, goes with the codeset of the wire: a
	// server takes LANG's over CHARSET's.
	if !strings.Contains(toServer, "LANG\x01C.IBM437") {
		t.Errorf("no LANG=C.IBM437 in the client's environment: %q", toServer)
	}
	if !strings.Contains(toClient, "\xc9\xcd\xbb box") || !strings.Contains(toServer, "\xc8\xcd\xbc typed") ||
		!strings.Contains(toClient, "\xc8\xcd\xbc typed") {
		t.Errorf("no CP437 box drawing on the wire:\nto the server %q\nto the client %q", toServer, toClient)
	}
	if strings.Contains(toServer+toClient, "\xe2\x95") {
		t.Error("UTF-8 box drawing on the wire")
	}
}

// This module's two programs with MCCP, on a real terminal: the server
// offers it with --compression, the client takes both directions, and
// what each side sends after its SB is compressed yet shown and run as
// typed.
func TestTmuxServerProgramCompression(t *testing.T) {
	need(t, "tmux")
	server := startServerProgram(t, "--compression", "--pty-exec", "/bin/sh", "--", "-c",
		`printf '%s\n' 'compressed hello'; exec cat`)
	addr, tp := startTap(t, server)
	host, port, _ := net.SplitHostPort(addr)
	p := startPane(t, 80, 24, sessionScript(t, host, port))
	p.WaitFor("compressed hello\n")
	p.TypeLine("typed back")
	p.WaitFor("typed back\ntyped back\n") // the terminal's echo, then cat
	p.Keys("C-]")
	p.WaitFor("Connection closed.\nexit=0\n")

	toServer, toClient := tp.wire()
	for _, w := range []struct{ name, wire, sb, text string }{
		{"to the client", toClient, "\xff\xfa\x56\xff\xf0", "compressed hello"},
		{"to the server", toServer, "\xff\xfa\x57\xff\xf0", "typed back"},
	} {
		_, after, ok := strings.Cut(w.wire, w.sb)
		if !ok {
			t.Errorf("%s: no SB starting compression in %q", w.name, w.wire)
			continue
		}
		// The stream stops where the capture does: read what it holds.
		zr, err := zlib.NewReader(strings.NewReader(after))
		if err != nil {
			t.Errorf("%s: no zlib stream after the SB: %v", w.name, err)
			continue
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Contains(plain, []byte(w.text)) {
			t.Errorf("%s: %q not in the stream: %q", w.name, w.text, plain)
		}
	}
}
