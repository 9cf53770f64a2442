//go:build linux

package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// shellOutput types a command line and returns what the shell printed
// between two markers it computes, so that the echo of the line does not
// count.
func shellOutput(t *testing.T, term *terminal, command string) string {
	t.Helper()
	term.typeLine(t, "echo BEGIN$((6*7)); "+command+"; echo END$((6*7))")
	term.WaitFor(t, "BEGIN42\r\n", shelltest.Timeout)
	return strings.TrimSuffix(term.WaitFor(t, "END42\r\n", shelltest.Timeout), "END42\r\n")
}

// TestPtyExecClients runs --pty-exec /bin/sh for Debian's telnet and
// busybox telnet on a 100x30 terminal: the shell sees the window and
// terminal type the client negotiated, follows a resize, and its output
// comes back. inetutils sends Enter as a bare CR in BINARY mode, busybox
// as CR LF without BINARY: each must run a command line once.
func TestPtyExecClients(t *testing.T) {
	for _, tc := range []struct {
		name    string
		argv    func(t *testing.T) []string
		resizes bool // busybox has no SIGWINCH handler
	}{
		{"inetutils", func(t *testing.T) []string {
			return []string{needProgram(t, "inetutils-telnet", "telnet"), "-c"}
		}, true},
		{"busybox", func(t *testing.T) []string { return []string{needProgram(t, "busybox"), "telnet"} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv := tc.argv(t)
			addr, logs := startServer(t, "--pty-exec", "/bin/sh")
			host, port, _ := net.SplitHostPort(addr)
			term := onPTY(t, 100, 30, clientEnv("TERM=xterm"), append(argv, host, port)...)
			logs.WaitFor(t, `msg="shells: program started"`, shelltest.Timeout)
			got := shellOutput(t, term, "stty size; echo $TERM $COLUMNS $LINES; echo $((6*7))")
			if got != "30 100\r\nxterm 100 30\r\n42\r\n" {
				t.Errorf("the shell printed %q", got)
			}
			// One Enter, one command line: an empty second one would
			// print a second prompt before the next command.
			term.typeLine(t, "echo ONE$((1))")
			term.WaitFor(t, "ONE1\r\n", shelltest.Timeout)
			term.typeLine(t, "echo TWO$((2))")
			if got := term.WaitFor(t, "TWO2\r\n", shelltest.Timeout); strings.Count(got, "# ")+strings.Count(got, "$ ") != 1 {
				t.Errorf("one prompt expected between two commands: %q", got)
			}
			if tc.resizes {
				if err := pty.Setsize(term.tty, &pty.Winsize{Cols: 120, Rows: 40}); err != nil {
					t.Fatal(err)
				}
				deadline := time.Now().Add(shelltest.Timeout)
				for shellOutput(t, term, "stty size") != "40 120\r\n" {
					if time.Now().After(deadline) {
						t.Fatal("the resize did not reach the shell")
					}
				}
			}
			term.typeLine(t, "exit 7")
			term.WaitFor(t, "onnection closed", shelltest.Timeout)
			deadline := time.Now().Add(shelltest.Timeout)
			for {
				if _, ok := logs.Line(`msg="shells: program ended"`, `status="exit status 7"`); ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no exit status in the log:\n%s", logs)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// TestPtyExecBashLogin runs the documentation's command line
// telnet-server --pty-exec /bin/bash -- --login.
func TestPtyExecBashLogin(t *testing.T) {
	bash := needProgram(t, "bash")
	addr, _ := startServer(t, "--pty-exec", bash, "--", "--login")
	c := shelltest.Dial(t, addr)
	c.Send(t, "shopt -q login_shell && echo LOGIN$((1+1))\r")
	c.WaitFor(t, "LOGIN2\r\n", shelltest.Timeout)
	c.Send(t, "exit\r")
	c.Rest(t)
}

// TestRobotCheckForkLimitPty runs the documentation's command line
// telnet-server --robot-check --pty-fork-limit 4 --pty-exec /bin/sh: a
// person's terminal gets the shell, and the fifth connection the busy
// shell.
func TestRobotCheckForkLimitPty(t *testing.T) {
	t.Parallel()
	telnet := needProgram(t, "inetutils-telnet", "telnet")
	addr, logs := startServer(t, "--robot-check", "--pty-fork-limit", "4", "--pty-exec", "/bin/sh")
	host, port, _ := net.SplitHostPort(addr)
	s := startTmux(t, 80, 24, clientEnv("LANG=C.UTF-8", "TERM=xterm"), telnet, "-c", host, port)
	// What is typed during the check is dropped: wait for the shell.
	logs.WaitFor(t, `msg="shells: program started"`, shelltest.Timeout)
	s.typeLine(t, "echo TOTAL$((40+2))")
	s.waitScreen(t, "TOTAL42")
	for range 3 { // they sit in the robot check
		shelltest.Dial(t, addr).WaitFor(t, "\x1b[6n", shelltest.Timeout)
	}
	shelltest.Dial(t, addr).Expect(t, "Machine is busy, do not touch! ")
}
