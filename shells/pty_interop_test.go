//go:build linux

package shells_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
)

// TestPtyLinemodeBSDClients runs the pty shell with inetutils telnet and
// netkit telnet, the clients that do LINEMODE, in a tmux pane: with a
// server that asks for line mode, and with a character-mode server the
// client turns to line mode ("mode line" at its prompt). In both, the
// client edits each line (Backspace works) and shows it once, ^C
// interrupts sleep, and stty in the session shows the kill character of
// the client's terminal, agreed with SLC.
func TestPtyLinemodeBSDClients(t *testing.T) {
	inetutils := tmuxtest.Need(t, "inetutils-telnet")
	netkit := tmuxtest.Need(t, "telnet-ssl")
	for _, tc := range []struct {
		name, client string
		lineMode     bool
		prompt       string // the client's own, for "mode line"
	}{
		{"inetutils, line-mode server", tmuxtest.ShellQuote(inetutils), true, ""},
		{"inetutils, mode line", tmuxtest.ShellQuote(inetutils), false, "inetutils-telnet> "},
		{"netkit, line-mode server", tmuxtest.ShellQuote(netkit) + " -z nossl", true, ""},
		{"netkit, mode line", tmuxtest.ShellQuote(netkit) + " -z nossl", false, "telnet-ssl> "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := shells.Pty("/bin/sh")
			p.Env = []string{shells.DefaultPtyPath, "PS1=pty> "}
			p.LineMode = tc.lineMode
			var opts []telnet.Option
			if tc.lineMode {
				opts = append(opts, telnet.WithLineMode())
			}
			d, addr, _ := servePtyDaemon(t, p, opts...)
			host, port, _ := net.SplitHostPort(addr)
			pane := tmuxtest.Start(t, 80, 24, "stty kill ^X; "+tc.client+" "+host+" "+port+"\n")
			pane.WaitFor("pty> ")
			if tc.prompt != "" {
				pane.Keys("C-]")
				pane.WaitFor(tc.prompt)
				pane.TypeLine("mode line")
			}
			// What is typed before the client edits goes in the modes
			// between, as it would for a person as quick.
			waitUntil(t, "the client edits", func() bool {
				for c := range d.Conns() {
					mode, _ := c.Linemode()
					return mode&negotiate.LinemodeEdit != 0 && !c.OptionEnabled(negotiate.Local, negotiate.Echo)
				}
				return false
			})
			pane.TypeLine("echo A$((6*7))")
			screen := pane.WaitFor("A42")
			if n := strings.Count(screen, "echo A$((6*7))"); n != 1 {
				t.Errorf("the command line shows %d times:\n%s", n, screen)
			}
			if !strings.Contains(screen, "echo A$((6*7))\nA42") {
				t.Errorf("the output does not start its line:\n%s", screen)
			}
			pane.Type("echo abcx")
			pane.WaitFor("echo abcx")
			pane.Keys("BSpace")
			pane.WaitGone("abcx")
			pane.TypeLine("d")
			if screen := pane.WaitFor("echo abcd\nabcd\n"); strings.Count(screen, "abcd") != 2 {
				t.Errorf("want the edited line and its output, each once:\n%s", screen)
			}
			pane.TypeLine("stty -a | grep -o ' kill = [^;]*'")
			pane.WaitFor("kill = ^X")
			pane.TypeLine("sleep 20; echo not interrupted")
			time.Sleep(300 * time.Millisecond)
			prompts := strings.Count(pane.Capture(), "pty> ")
			pane.Keys("C-c")
			// The client flushes what was typed after ^C (SLC IP has
			// FLUSHIN): the next line waits for the shell's prompt.
			waitUntil(t, "a prompt after ^C", func() bool { return strings.Count(pane.Capture(), "pty> ") > prompts })
			pane.TypeLine("echo B$((6*7))")
			if screen := pane.WaitFor("B42"); strings.Count(screen, "not interrupted") != 1 {
				t.Errorf("^C did not interrupt sleep:\n%s", screen)
			}
		})
	}
}

// TestPtyLinemodeBash runs bash, whose line editor reads each key, with
// inetutils telnet on a line-mode server: at the prompt the client sends
// keys as typed and the history works (Up); cat gets lines the client
// edited; a password read with read -s is never shown.
func TestPtyLinemodeBash(t *testing.T) {
	inetutils := tmuxtest.Need(t, "inetutils-telnet")
	bash := tmuxtest.Need(t, "bash")
	p := shells.Pty(bash, "--norc", "--noprofile")
	p.Env = []string{shells.DefaultPtyPath, "PS1=bash> "}
	p.LineMode = true
	addr, _ := servePty(t, p, telnet.WithLineMode())
	host, port, _ := net.SplitHostPort(addr)
	pane := tmuxtest.Start(t, 80, 24, tmuxtest.ShellQuote(inetutils)+" "+host+" "+port+"\n")
	pane.WaitFor("bash> ")
	pane.TypeLine("echo A$((6*7))")
	pane.WaitFor("A42")
	pane.Keys("Up")
	pane.Keys("Enter")
	if screen, ok := pane.Shows("A42\nbash> echo A$((6*7))\nA42", tmuxtest.Timeout); !ok {
		t.Errorf("Up did not bring the last line back:\n%s", screen)
	}
	pane.TypeLine("cat")
	time.Sleep(300 * time.Millisecond) // cat starts, the client turns to editing
	pane.Type("lime onx")
	pane.Keys("BSpace")
	pane.TypeLine("e")
	pane.Keys("C-d")
	if screen := pane.WaitFor("lime one\nlime one\n"); strings.Count(screen, "lime one") != 2 {
		t.Errorf("want the edited line and cat's copy, each once:\n%s", screen)
	}
	pane.TypeLine("read -s -p 'pw: ' P; echo; echo got=$P")
	pane.WaitFor("pw: ")
	pane.TypeLine("hunter2")
	if screen := pane.WaitFor("got=hunter2"); strings.Count(screen, "hunter2") != 1 {
		t.Errorf("the password was shown as typed:\n%s", screen)
	}
}
