//go:build unix

package main

// Tests of the program on a real terminal: it runs in a tmux pane, the
// test types with send-keys and reads the screen with capture-pane. The
// servers are busybox telnetd, running a shell, and Telnet servers of the
// test, all on 127.0.0.1.
//
// A program missing (tmux, busybox with telnetd) skips the test, unless
// TELNET_INTEROP=1 is set, as CI does: then it fails.

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
	"github.com/telnetkit/telnet/negotiate"
	tshells "github.com/telnetkit/telnet/shells"
)

// need returns the path of a program, or skips the test (fails it when
// TELNET_INTEROP=1).
func need(t *testing.T, name string) string { t.Helper(); return tmuxtest.Need(t, name) }

// clientCommand is the shell command line that runs the program with
// args.
func clientCommand(t *testing.T, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"env", runMainEnv + "=1", exe}
	for _, a := range args {
		words = append(words, tmuxtest.ShellQuote(a))
	}
	return strings.Join(words, " ")
}

// A pane is a tmux pane, with what these tests read of the remote shell
// and of the files the script writes.
type pane struct {
	*tmuxtest.Pane
	t *testing.T
}

// startPane runs script (sh) in a new tmux pane of cols x rows.
func startPane(t *testing.T, cols, rows int, script string) *pane {
	t.Helper()
	return &pane{tmuxtest.Start(t, cols, rows, script), t}
}

// shellSize runs stty size in the remote shell until it shows rows and
// cols: the keys typed right after a resize may reach the server before
// the new size does, as with any Telnet client.
func (p *pane) shellSize(rows, cols int) {
	p.t.Helper()
	want := fmt.Sprintf("%d %d\n", rows, cols)
	for range 10 {
		p.TypeLine("stty size")
		if _, ok := p.Shows(want, waitTime/10); ok {
			return
		}
	}
	p.t.Fatalf("stty size does not show %q:\n%s", want, p.Capture())
}

// file returns the contents of a file the script wrote, waiting for it.
func (p *pane) file(name string) string {
	p.t.Helper()
	deadline := time.Now().Add(waitTime)
	for {
		b, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err == nil && len(b) > 0 {
			return string(b)
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the script did not write %s", name)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sizeFields matches the window size in the output of stty -a, which
// changes when a test resizes the window.
var sizeFields = regexp.MustCompile(`rows \d+; columns \d+;`)

// checkRestored checks that the terminal settings the script saved in
// $D/before and $D/after are the same, window size aside.
func (p *pane) checkRestored() {
	p.t.Helper()
	p.WaitFor("stty saved")
	before := sizeFields.ReplaceAllString(p.file("before"), "")
	after := sizeFields.ReplaceAllString(p.file("after"), "")
	if before != after {
		p.t.Errorf("terminal not restored:\nbefore: %s\nafter:  %s", before, after)
	}
}

// sessionScript is a script that saves the terminal settings, runs the
// client with args, shows its exit status and saves the settings again.
func sessionScript(t *testing.T, args ...string) string {
	// The flags of standard input's open file show whether it was left
	// non-blocking, which would break the shell.
	save := "{ stty -a; grep flags /proc/self/fdinfo/0 2>/dev/null; } > $D/"
	return save + "before\n" +
		"echo $$ > $D/pid\n" +
		clientCommand(t, args...) + "\n" +
		"echo exit=$?\n" +
		save + "after\n" +
		"echo stty saved\n"
}

// startBusyboxTelnetd runs busybox telnetd with a shell, on 127.0.0.1,
// and returns its address. The prompt is "bb$ ".
func startBusyboxTelnetd(t *testing.T) string {
	t.Helper()
	bb := need(t, "busybox")
	if out, _ := exec.Command(bb, "--list").Output(); !slices.Contains(strings.Fields(string(out)), "telnetd") {
		tmuxtest.SkipOrFail(t, "%s has no telnetd (install busybox-static)", bb)
	}
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		_, port, _ := net.SplitHostPort(addr)
		cmd := exec.Command(bb, "telnetd", "-F", "-f", "/dev/null", "-p", port, "-b", "127.0.0.1", "-l", "/bin/sh")
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/", "PS1=bb$ ", "TERM=dumb"}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-exited
		})
		for deadline := time.Now().Add(waitTime); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			select {
			case <-exited:
			default:
				if c, err := net.Dial("tcp", addr); err == nil {
					c.Close()
					return addr
				}
				continue
			}
			break
		}
		t.Logf("busybox telnetd on %s: %s; trying another port", addr, stderr.String())
	}
	t.Fatal("busybox telnetd does not start")
	return ""
}

// The everyday session with a shell on busybox telnetd: a command and
// its output, the window size following the terminal, then each way out:
// ^], the server closing, a signal; each time with the message and exit
// status it calls for, and the terminal as it was.
func TestTmuxBusybox(t *testing.T) {
	addr := startBusyboxTelnetd(t)
	host, port, _ := net.SplitHostPort(addr)
	for _, tt := range []struct {
		name     string
		end      func(p *pane)
		wantExit int
		wantLine string // the message on the screen
	}{
		{"escape", func(p *pane) { p.Keys("C-]") }, exitClosed, "\nConnection closed.\n"},
		{"server exit", func(p *pane) { p.TypeLine("exit") }, exitForeign,
			"\nConnection closed by foreign host.\n"},
		{"signal", func(p *pane) {
			pid, err := strconv.Atoi(strings.TrimSpace(p.file("pid")))
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(findChild(t, pid), syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}, 128 + int(syscall.SIGTERM), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := startPane(t, 80, 24, sessionScript(t, host, port))
			p.WaitFor("Escape character is '^]'.")
			p.WaitFor("bb$ ")
			p.TypeLine("echo hello-$((6*7)); stty size")
			p.WaitFor("hello-42\n24 80\n")
			p.Resize(100, 30)
			p.shellSize(30, 100)
			tt.end(p)
			screen := p.WaitFor(fmt.Sprintf("exit=%d\n", tt.wantExit))
			if !strings.Contains(screen, tt.wantLine) {
				t.Errorf("no %q on the screen:\n%s", tt.wantLine, screen)
			}
			p.checkRestored()
		})
	}
}

// findChild returns the pid of the child process of the shell pid.
func findChild(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		tmuxtest.SkipOrFail(t, "no /proc children list: %v", err)
	}
	fields := strings.Fields(string(b))
	if len(fields) != 1 {
		t.Fatalf("shell %d has children %q, want one", pid, fields)
	}
	child, err := strconv.Atoi(fields[0])
	if err != nil {
		t.Fatal(err)
	}
	return child
}

// The mode follows the server as it turns its echo off and on around a
// password, with a line-mode server and with one that suppresses
// go-ahead; the window size and terminal type reach the server.
func TestTmuxServerPassword(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []telnet.Option
	}{
		{"line mode", []telnet.Option{telnet.WithLocalOption(negotiate.SGA, telnet.Refuse),
			telnet.WithLocalOption(negotiate.Echo, telnet.Refuse)}},
		{"character mode", []telnet.Option{telnet.WithLocalOption(negotiate.Echo, telnet.Refuse)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, tt.opts...)
			host, port, _ := net.SplitHostPort(srv.addr)
			p := startPane(t, 80, 24, sessionScript(t, "--term", "vt220", host, port))
			peer := srv.accept(t)
			if got := peer.c.TerminalType(); got != "vt220" {
				t.Errorf("terminal type %q, want vt220", got)
			}
			peer.expectSize(80, 24)

			peer.send("login: ")
			p.WaitFor("login: ")
			p.TypeLine("joe")
			peer.expectLine("joe")
			p.WaitFor("login: joe\n")

			peer.setEcho(true)
			peer.send("Password: ")
			p.WaitFor("Password: ")
			p.TypeLine("secret")
			peer.expectLine("secret")
			peer.setEcho(false)
			peer.send("\r\nwelcome\r\n$ ")
			screen := p.WaitFor("welcome")
			if strings.Contains(screen, "secret") {
				t.Errorf("the password was shown:\n%s", screen)
			}
			p.TypeLine("ls")
			peer.expectLine("ls")
			p.WaitFor("$ ls\n")

			p.Resize(90, 20)
			peer.expectSize(90, 20)
			peer.c.Close()
			p.WaitFor("Connection closed by foreign host.\nexit=1")
			p.checkRestored()
		})
	}
}

// With standard input a file, the client is a pipe: the file's lines go
// to the server, the server's output comes out with "\n" line endings and
// no message, and the client ends when the server closes.
func TestPipeFromFile(t *testing.T) {
	srv := startServer(t)
	input := filepath.Join(t.TempDir(), "input")
	if err := os.WriteFile(input, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdin, err := os.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	host, port, _ := net.SplitHostPort(srv.addr)
	prog := startProgram(t, stdin, host, port)
	peer := srv.accept(t)
	peer.expectLine("one")
	peer.expectLine("two")
	peer.send("first\r\nsecond\n")
	peer.c.Close()
	code, stdout, stderr := prog.wait()
	if code != exitForeign || stdout != "first\nsecond\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q", code, stdout, stderr, exitForeign, "first\nsecond\n")
	}
}

// A script piped to busybox telnetd's shell, as people use nc.
func TestPipeBusybox(t *testing.T) {
	addr := startBusyboxTelnetd(t)
	host, port, _ := net.SplitHostPort(addr)
	code, stdout, stderr := startProgram(t, strings.NewReader("echo result=$((6*7))\nexit\n"), host, port).wait()
	if code != exitForeign || !strings.Contains(stdout, "result=42\n") {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and result=42", code, stdout, stderr, exitForeign)
	}
}

// startInetutilsTelnetd serves one connection on 127.0.0.1 with GNU
// inetutils telnetd running a shell, started on the accepted socket as
// inetd would, and returns the address.
func startInetutilsTelnetd(t *testing.T) string {
	t.Helper()
	telnetd := need(t, "/usr/sbin/telnetd")
	if out, _ := exec.Command(telnetd, "--version").CombinedOutput(); !bytes.Contains(out, []byte("inetutils")) {
		tmuxtest.SkipOrFail(t, "%s is not GNU inetutils telnetd", telnetd)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan *exec.Cmd, 1)
	go func() {
		defer close(served)
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		f, err := c.(*net.TCPConn).File()
		if err != nil {
			t.Errorf("the socket's file: %v", err)
			return
		}
		defer f.Close()
		cmd := exec.Command(telnetd, "-h", "-E", "/bin/sh")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, f
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/"}
		if err := cmd.Start(); err != nil {
			t.Errorf("starting telnetd: %v", err)
			return
		}
		served <- cmd
	}()
	t.Cleanup(func() {
		l.Close()
		if cmd := <-served; cmd != nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return l.Addr().String()
}

// GNU telnetd negotiates much more than busybox: the terminal type, the
// environment, binary mode (where Enter goes as a bare CR) and LINEMODE,
// which the client takes and telnetd turns off again for character mode.
func TestTmuxInetutils(t *testing.T) {
	addr := startInetutilsTelnetd(t)
	host, port, _ := net.SplitHostPort(addr)
	p := startPane(t, 80, 24, sessionScript(t, "--term", "vt220", host, port))
	p.WaitFor("Escape character is '^]'.")
	p.TypeLine("PS1='gnu$ '") // telnetd passes no environment to the shell
	p.WaitFor("gnu$ ")
	p.TypeLine("echo TERM=$TERM; stty size")
	p.WaitFor("TERM=vt220\n24 80\n")
	p.Resize(120, 40)
	p.shellSize(40, 120)
	p.TypeLine("exit")
	p.WaitFor("Connection closed by foreign host.\nexit=1\n")
	p.checkRestored()
}

// A piped line reaches a shell's read once, whatever the mode: GNU
// telnetd agrees to BINARY, where a terminal sends Enter as a bare CR, and
// a CR LF would read as two lines.
func TestPipeInetutilsRead(t *testing.T) {
	addr := startInetutilsTelnetd(t)
	host, port, _ := net.SplitHostPort(addr)
	// The script waits until telnetd has agreed to BINARY, as one piped
	// to a login would, and sleeps before it exits: telnetd ends the
	// session when the shell exits, and drops the output it has not sent
	// yet.
	script := "read A\nhello there\nread B\nsecond\necho \"got=$A/$B\"\nsleep 1\nexit\n"
	code, stdout, stderr := startProgram(t, strings.NewReader(script), "--connect-minwait", "0.5", host, port).wait()
	if code != exitForeign || !strings.Contains(stdout, "got=hello there/second") {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and got=hello there/second", code, stdout, stderr, exitForeign)
	}
}

// The same against this project's pty shell, which agrees to BINARY both
// ways as GNU telnetd does.
func TestPipePtyShellRead(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &telnet.Daemon{Handler: tshells.Pty("/bin/sh")}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	script := "read A\nhello there\nread B\nsecond\necho \"got=$A/$B\"\nexit\n"
	code, stdout, stderr := startProgram(t, strings.NewReader(script), host, port).wait()
	if code != exitForeign || !strings.Contains(stdout, "got=hello there/second") {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and got=hello there/second", code, stdout, stderr, exitForeign)
	}
}

// servePtyLinemode serves program with args on a pty shell that asks for
// LINEMODE, and returns its host and port.
func servePtyLinemode(t *testing.T, prompt, program string, args ...string) (host, port string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sh := tshells.Pty(program, args...)
	sh.Env = []string{tshells.DefaultPtyPath, "PS1=" + prompt}
	sh.LineMode = true
	d := &telnet.Daemon{Handler: sh, Options: []telnet.Option{telnet.WithLineMode(), telnet.WithRawLineEndings()}}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	host, port, _ = net.SplitHostPort(l.Addr().String())
	return host, port
}

// Against a pty shell that asks for LINEMODE, the client edits each line
// with its terminal's characters (here the kill character ^X), through
// the scene of tmuxtest.LinemodeShell, and gives the terminal back as it
// was.
func TestTmuxLinemodePty(t *testing.T) {
	host, port := servePtyLinemode(t, "lm$ ", "/bin/sh")
	p := startPane(t, 80, 24, "stty kill ^X\n"+sessionScript(t, host, port))
	p.WaitFor("lm$ ")
	tmuxtest.LinemodeShell(t, p.Pane, "lm$ ")
	p.TypeLine("exit")
	p.WaitFor("exit=1")
	p.checkRestored()
}

// Against bash on a pty shell that asks for LINEMODE, the client follows
// the modes bash switches between, through the scene of
// tmuxtest.LinemodeBash.
func TestTmuxLinemodeBash(t *testing.T) {
	host, port := servePtyLinemode(t, "bash> ", need(t, "bash"), "--norc", "--noprofile")
	p := startPane(t, 80, 24, sessionScript(t, host, port))
	p.WaitFor("bash> ")
	tmuxtest.LinemodeBash(t, p.Pane, "bash> ")
	p.TypeLine("exit")
	p.WaitFor("exit=1")
	p.checkRestored()
}
