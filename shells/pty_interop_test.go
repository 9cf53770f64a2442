//go:build linux

package shells_test

import (
	"net"
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
)

// TestPtyLinemodeBSDClients runs the pty shell with inetutils telnet and
// netkit telnet, the clients that do LINEMODE, in a tmux pane: with a
// server that asks for line mode, and with a character-mode server the
// client turns to line mode ("mode line" at its prompt), through the
// scene of tmuxtest.LinemodeShell.
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
			tmuxtest.LinemodeShell(t, pane, "pty> ")
		})
	}
}

// TestPtyLinemodeBash runs bash, whose line editor reads each key, with
// inetutils telnet on a line-mode server, through the scene of
// tmuxtest.LinemodeBash.
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
	tmuxtest.LinemodeBash(t, pane, "bash> ")
}
