//go:build linux

package shells_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// ptySessionsEnv sets how many abusive sessions TestPtyContainment runs;
// the full run is 300.
const ptySessionsEnv = "TELNET_PTY_SESSIONS"

// An abuse is one way a client ends a session badly.
type abuse struct {
	name    string
	program []string // the session's program, a job-control shell
	typed   string   // what the client types once the shell answers
	end     func(c *shelltest.Client)
}

// reset closes the connection with a TCP reset, as the kernel does for a
// client killed with unread data.
func reset(c *shelltest.Client) {
	c.NetConn().(*net.TCPConn).SetLinger(0)
	c.Close()
}

func halfClose(c *shelltest.Client) { c.NetConn().(*net.TCPConn).CloseWrite() }

var abuses = []abuse{
	{"rst, bg job ignoring SIGHUP", []string{"/bin/sh", "-i"}, "(trap '' HUP; exec sleep 1000) &\r", reset},
	{"half-close, fg job ignoring SIGHUP", []string{"/bin/sh", "-i"}, "trap '' HUP; sleep 1000\r", halfClose},
	{"killed client while yes runs", []string{"/bin/bash", "--norc", "-i"}, "yes\r", reset},
	{"bash, fg and bg jobs ignoring SIGHUP", []string{"/bin/bash", "--norc", "-i"},
		"trap '' HUP; sleep 1000 & sleep 1000 | cat\r", reset},
	{"nohup job, shell exits", []string{"/bin/sh", "-i"}, "nohup sleep 1000 >/dev/null 2>&1 & exit\r", func(c *shelltest.Client) {}},
	{"stopped job", []string{"/bin/bash", "--norc", "-i"}, "trap '' HUP; sleep 1000 &\rkill -STOP %1\r", halfClose},
}

// TestPtyContainment runs many abusive pty sessions, and checks that
// afterwards no process of any session is left, zombies included, that
// the server has as many descriptors open as before, and that the slots
// of the fork limit serve new sessions.
func TestPtyContainment(t *testing.T) {
	sessions := 36
	if s := os.Getenv(ptySessionsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("%s=%q: want a count", ptySessionsEnv, s)
		}
		sessions = n
	}
	const limit = 12
	var open atomic.Int32 // connections not yet closed
	// A client takes a slot of the limit before it connects, and the
	// server gives it back when the connection is closed.
	slots := make(chan struct{}, limit)
	d := &telnet.Daemon{
		MaxConns: limit,
		Options:  []telnet.Option{telnet.WithRawLineEndings()},
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			// The abuse to come is the first line the client sends,
			// read a byte at a time: the rest is the shell's.
			var line []byte
			for b := make([]byte, 1); len(line) == 0 || line[len(line)-1] != '\r'; {
				if _, err := c.Read(b); err != nil {
					return err
				}
				line = append(line, b[0])
			}
			a := abuses[0]
			for _, b := range abuses {
				if b.name == strings.TrimSpace(string(line)) {
					a = b
				}
			}
			p := shells.Pty(a.program[0], a.program[1:]...)
			p.Env = []string{shells.DefaultPtyPath, "PS1=$ ", "HOME=/"}
			p.HangupGrace = 300 * time.Millisecond
			return p.ServeTelnet(ctx, c)
		}),
		ConnState: func(c *telnet.Conn, s telnet.ConnState) {
			switch s {
			case telnet.StateNew:
				open.Add(1)
			case telnet.StateClosed:
				open.Add(-1)
				select {
				case <-slots:
				default:
				}
			}
		},
	}
	addr := shelltest.Serve(t, d)
	fdsBefore := openFDs(t)
	start := time.Now()

	var mu sync.Mutex
	sids := make(map[int]string) // the session of each program, and its abuse
	var wg sync.WaitGroup
	for i := range sessions {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := abuses[i%len(abuses)]
			c := shelltest.Dial(t, addr)
			defer c.Close()
			c.Send(t, a.name+"\r")
			c.Send(t, "echo SID=$$ END$((6*7))\r")
			m := c.WaitFor(t, " END42\r\n", shelltest.Timeout)
			sid := regexp.MustCompile(`SID=(\d+) END42\r\n$`).FindStringSubmatch(m)
			if sid == nil {
				t.Errorf("%s: no session ID in %q", a.name, m)
				return
			}
			n, _ := strconv.Atoi(sid[1])
			mu.Lock()
			sids[n] = a.name
			mu.Unlock()
			c.Send(t, a.typed)
			time.Sleep(50 * time.Millisecond) // the jobs start
			a.end(c)
			// The server ends the session; the client reads until the
			// close, as a real one does, unless it is gone.
			c.Rest(t)
		}()
	}
	wg.Wait()

	deadline := time.Now().Add(5 * time.Second)
	for open.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := open.Load(); n > 0 {
		t.Fatalf("%d connections still open", n)
	}
	left := sessionProcesses(sids)
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		left = sessionProcesses(sids)
	}
	for _, p := range left {
		t.Errorf("left behind: %s", p)
	}
	if len(sids) != sessions {
		t.Errorf("%d sessions started, want %d", len(sids), sessions)
	}
	if fds := openFDs(t); fds != fdsBefore {
		t.Errorf("the server has %d descriptors open, %d before", fds, fdsBefore)
	}
	t.Logf("%d abusive sessions in %v", sessions, time.Since(start).Round(time.Millisecond))

	// Every slot of the limit serves a session again.
	var clients []*shelltest.Client
	for range limit {
		c := shelltest.Dial(t, addr)
		c.Send(t, abuses[0].name+"\r")
		clients = append(clients, c)
	}
	for _, c := range clients {
		c.Send(t, "echo $((6*7))\r")
		c.WaitFor(t, "42\r\n$ ", shelltest.Timeout)
	}
}

// openFDs returns how many descriptors the test process has open.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // the directory being read
}

// sessionProcesses describes the processes, zombies included, whose
// session is one of sids.
func sessionProcesses(sids map[int]string) []string {
	ents, _ := os.ReadDir("/proc")
	var found []string
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 4 {
			continue
		}
		if sid, _ := strconv.Atoi(f[3]); sids[sid] != "" {
			found = append(found, fmt.Sprintf("pid %s %s state %s of session %d (%s)",
				e.Name(), stat[:i+1], f[0], sid, sids[sid]))
		}
	}
	return found
}

// TestPtyInheritedDescriptors starts a server process that inherited a
// descriptor without close-on-exec, as after "exec 7>secret" in a shell,
// and checks that its sessions' programs do not have it.
func TestPtyInheritedDescriptors(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		return
	}
	secret := filepath.Join(t.TempDir(), "secret")
	f, err := os.Create(secret)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPtyServerHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	cmd.ExtraFiles = []*os.File{nil, nil, nil, nil, f} // descriptor 7
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close() // the helper's cue to stop
		cmd.Wait()
	})
	if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/7", cmd.Process.Pid)); err != nil || target != secret {
		t.Fatalf("the server's descriptor 7 is %q, %v; want the secret", target, err)
	}
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	c := shelltest.Dial(t, strings.TrimSpace(addr))
	pid := strings.TrimSpace(runCommand(t, c, "echo $$"))
	ents, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) < 3 {
		t.Errorf("the shell has %d descriptors", len(ents))
	}
	for _, e := range ents {
		target, _ := os.Readlink("/proc/" + pid + "/fd/" + e.Name())
		if n, _ := strconv.Atoi(e.Name()); n > 2 && target != "/dev/tty" && !strings.HasPrefix(target, "/dev/pts/") {
			t.Errorf("the session's shell has descriptor %s: %s", e.Name(), target)
		}
	}
}

// helperEnv makes TestPtyServerHelper serve.
const helperEnv = "SHELLS_PTY_SERVER_HELPER"

// TestPtyServerHelper is the server of TestPtyInheritedDescriptors, in a
// process of its own: it prints its address, and serves a shell until
// its standard input closes. Run as a test, it does nothing.
func TestPtyServerHelper(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &telnet.Daemon{Handler: shells.Pty("/bin/sh"), Options: []telnet.Option{telnet.WithRawLineEndings()}}
	go d.Serve(l)
	fmt.Println(l.Addr())
	os.Stdin.Read(make([]byte, 1))
	d.Close()
}

// TestPtyUserAndDir checks that the program runs as User, with that
// account's groups, on a terminal of its own, in Dir. Changing user takes root, as CI runs.
func TestPtyUserAndDir(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("running a program as another user takes root")
	}
	dir := t.TempDir()
	// nobody may enter it: the test's directories are root's, 0700.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := shells.Pty("/bin/sh")
	p.User, p.Dir = "nobody", dir
	addr, _ := servePty(t, p)
	c := shelltest.Dial(t, addr)
	want := fmt.Sprintf("65534 65534 %s 65534\r\n", dir)
	if got := runCommand(t, c, "echo $(id -u) $(id -g) $(pwd) $(stat -c %u $(tty))"); got != want {
		t.Errorf("the program says %q, want %q", got, want)
	}

	p = shells.Pty("/bin/sh")
	p.User = "no-such-user-here"
	addr, logs := servePty(t, p)
	shelltest.Dial(t, addr).Rest(t)
	waitLine(t, logs, `msg="telnet: handler failed"`, "no-such-user-here")
}
