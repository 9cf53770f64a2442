package main

import (
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/shells/shelltest"
)

// netcat runs nc to addr with its input written by the test. nc exits
// once the server has closed and its input is closed.
func netcat(t *testing.T, addr string) (*process, io.WriteCloser) {
	t.Helper()
	nc := needProgram(t, "nc", "netcat")
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(nc, host, port)
	cmd.Env = clientEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	return startCommand(t, cmd), stdin
}

// The negotiation the server opens with, as netcat shows it: DO TTYPE,
// NAWS, NEW-ENVIRON and CHARSET (for --encoding), WILL BINARY and SGA.
const offers = "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfd\x2a\xff\xfb\x00\xff\xfb\x03"

// TestForkLimit checks that the connection beyond --pty-fork-limit gets
// the busy shell.
func TestForkLimit(t *testing.T) {
	t.Parallel()
	addr, logs := startServer(t, "--pty-fork-limit", "1", "--connect-maxwait", "0.2")
	shelltest.Dial(t, addr).Expect(t, "Ready.\r\ntel:sh> ")

	p, stdin := netcat(t, addr)
	p.out.Expect(t, offers+"Machine is busy, do not touch! ")
	io.WriteString(stdin, "let me in\r\n")
	p.out.Expect(t, "\r\nYou hear a distant explosion... ")
	hangUp(t, p, stdin, "\r\n")
	if _, ok := logs.Line(`msg="shells: busy shell: input"`, ` n=1 line="let me in"`); !ok {
		t.Errorf("the input is not in the log:\n%s", logs)
	}
}

// hangUp sends the last line, which the server answers with CR LF before
// it closes, and waits for netcat to exit.
func hangUp(t *testing.T, p *process, stdin io.WriteCloser, line string) {
	t.Helper()
	io.WriteString(stdin, line)
	p.out.Expect(t, "\r\n")
	stdin.Close()
	p.wait(t)
}

// TestRobotCheckNetcat checks that netcat, which renders nothing and so
// answers no cursor position request, fails the robot check and meets the
// robot shell.
func TestRobotCheckNetcat(t *testing.T) {
	t.Parallel()
	addr, logs := startServer(t, "--robot-check", "--connect-maxwait", "0.2")
	p, stdin := netcat(t, addr)
	p.out.Expect(t, offers+"\x1b[6n")
	// The check waits 5 seconds for the answer.
	if got := p.out.WaitFor(t, "[yn] ", 10*time.Second); got != "Do robots dream of electric sheep? [yn] " {
		t.Errorf("got %q", got)
	}
	io.WriteString(stdin, "no\r\n") // netcat refused the server's echo
	p.out.Expect(t, "\r\nHave you ever wondered, who are the windowmakers? ")
	hangUp(t, p, stdin, "who?\r\n")
	if _, ok := logs.Line(`msg="shells: robot denied"`, `answers="[no who?]"`); !ok {
		t.Errorf("the answers are not in the log:\n%s", logs)
	}
}

// A tmuxSession is a program running in a detached tmux window: a real
// terminal, which answers cursor position requests and renders wide
// characters two columns wide.
type tmuxSession struct {
	tmux, socket, config string
}

func startTmux(t *testing.T, cols, rows int, env []string, argv ...string) *tmuxSession {
	t.Helper()
	dir := t.TempDir()
	s := &tmuxSession{tmux: needProgram(t, "tmux"), socket: dir + "/tmux", config: dir + "/tmux.conf"}
	// The window stays when the program exits, for its last words.
	if err := os.WriteFile(s.config, []byte("set -g remain-on-exit on\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"new-session", "-d", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), "--"}, argv...)
	cmd := s.command(args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { s.command("kill-server").Run() })
	return s
}

func (s *tmuxSession) command(args ...string) *exec.Cmd {
	return exec.Command(s.tmux, append([]string{"-u", "-f", s.config, "-S", s.socket}, args...)...)
}

// screen returns the text of the window.
func (s *tmuxSession) screen(t *testing.T) string {
	t.Helper()
	out, err := s.command("capture-pane", "-p").Output()
	if err != nil {
		t.Fatalf("tmux capture-pane: %v", err)
	}
	return string(out)
}

// waitScreen waits until the window shows want.
func (s *tmuxSession) waitScreen(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(shelltest.Timeout)
	for !strings.Contains(s.screen(t), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the screen does not show %q:\n%s", want, s.screen(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// typeLine types s and Enter.
func (s *tmuxSession) typeLine(t *testing.T, line string) {
	t.Helper()
	if out, err := s.command("send-keys", "-l", "--", line).CombinedOutput(); err != nil {
		t.Fatalf("tmux send-keys: %v: %s", err, out)
	}
	if out, err := s.command("send-keys", "Enter").CombinedOutput(); err != nil {
		t.Fatalf("tmux send-keys: %v: %s", err, out)
	}
}

// TestRobotCheckTmux checks that a person's terminal passes the robot
// check: Debian's telnet in tmux gets the debug shell, and the wide
// character is erased.
func TestRobotCheckTmux(t *testing.T) {
	t.Parallel()
	telnet := needProgram(t, "inetutils-telnet", "telnet")
	addr, logs := startServer(t, "--robot-check", "--loglevel", "debug")
	host, port, _ := net.SplitHostPort(addr)
	s := startTmux(t, 80, 24, clientEnv("LANG=C.UTF-8", "TERM=xterm"), telnet, "-c", host, port)
	s.waitScreen(t, "Ready.\ntel:sh>") // capture-pane trims the blank
	logs.WaitFor(t, `msg="shells: robot check passed"`, shelltest.Timeout)
	if screen := s.screen(t); strings.Contains(screen, "\u231a") {
		t.Errorf("the wide character is still on the screen:\n%s", screen)
	}
	s.typeLine(t, "quit")
	s.waitScreen(t, "Goodbye.")
}
