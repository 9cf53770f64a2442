//go:build unix

package telnet_test

import (
	"net"
	"strings"
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
)

// TestREADMEClients runs the README's two servers against inetutils
// telnet, and the line-mode one against netcat too, in a tmux pane, and
// types as a person would: the typed text shows as it is typed,
// Backspace erases it from the screen, and the server gets the line
// clean.
func TestREADMEClients(t *testing.T) {
	telnetProgram := tmuxtest.Need(t, "inetutils-telnet")
	nc := tmuxtest.Need(t, "nc")
	lineMode := func(t *testing.T) net.Addr {
		l, err := telnet.Listen("tcp", "127.0.0.1:0", telnet.WithLineMode())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go serveLines(l)
		return l.Addr()
	}
	for _, tc := range []struct {
		name   string
		client string
		serve  func(t *testing.T) net.Addr
		prompt string
		answer string // to "abcd"
	}{
		{"line mode", telnetProgram, lineMode, "your window is 80x24", `you said "abcd"`},
		// netcat answers no negotiation: the greeting comes after the
		// handshake's wait, and the terminal shows the offers as bytes.
		{"line mode, netcat", nc, lineMode, "your window is 0x0", `you said "abcd"`},
		{"character mode", telnetProgram, func(t *testing.T) net.Addr {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			d := &telnet.Daemon{Handler: telnet.HandlerFunc(askName)}
			go d.Serve(l)
			t.Cleanup(func() { d.Close() })
			return l.Addr()
		}, "name? ", "hello, abcd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			host, port, _ := net.SplitHostPort(tc.serve(t).String())
			p := tmuxtest.Start(t, 80, 24, tmuxtest.ShellQuote(tc.client)+" "+host+" "+port+"\n")
			p.WaitFor(tc.prompt)
			p.Type("abcx")
			p.WaitFor("abcx")
			p.Keys("BSpace")
			if screen := p.WaitGone("abcx"); !strings.Contains(screen, tc.prompt+"abc") &&
				!strings.Contains(screen, "\nabc") {
				t.Fatalf("Backspace erased more than the x:\n%s", screen)
			}
			p.Type("d")
			p.Keys("Enter")
			screen := p.WaitFor(tc.answer)
			if strings.Count(screen, "abcd") != 2 {
				t.Errorf("want the typed line and the answer, each with abcd, once:\n%s", screen)
			}
		})
	}
}
