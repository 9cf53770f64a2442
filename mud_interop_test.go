//go:build unix

package telnet_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
	"github.com/telnetkit/telnet/negotiate"
)

// serveMUD serves, with GMCP, MSSP and EOR offered, a handler that sends
// its MSSP table, a room with the vitals as GMCP, and a marked prompt,
// then answers each line. The GMCP messages from the client go to gmcp.
func serveMUD(t *testing.T) (host, port string, gmcp <-chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fromClient := make(chan string, 16)
	d := &telnet.Daemon{
		Options: []telnet.Option{
			telnet.WithLocalOption(negotiate.GMCP, telnet.Request),
			telnet.WithLocalOption(negotiate.MSSP, telnet.Request),
			telnet.WithLocalOption(negotiate.EndOfRecord, telnet.Request),
			telnet.WithOnChange(func(_ *telnet.Conn, ch telnet.Change) {
				if pkg, data, err := ch.GMCP(); err == nil {
					fromClient <- pkg + " " + string(data)
				}
			}),
		},
		Handler: telnet.HandlerFunc(func(_ context.Context, c *telnet.Conn) error {
			if c.OptionEnabled(negotiate.Local, negotiate.MSSP) {
				if err := c.SendMSSP(negotiate.MSSPVariable{Name: "NAME", Values: []string{"Goblin Warren"}},
					negotiate.MSSPVariable{Name: "PLAYERS", Values: []string{"1"}}); err != nil {
					return err
				}
			}
			lines := bufio.NewScanner(c)
			for {
				io.WriteString(c, "A damp tunnel.\n")
				err := c.SendGMCP("Char.Vitals", map[string]int{"hp": 40})
				if err != nil && !errors.Is(err, telnet.ErrOptionDisabled) { // TinyFugue refuses GMCP
					return err
				}
				io.WriteString(c, "HP:40> ")
				if err := c.SendPrompt(); err != nil {
					return err
				}
				if !lines.Scan() {
					return lines.Err()
				}
				fmt.Fprintf(c, "you said %q\n", lines.Text())
			}
		}),
	}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	host, port, _ = net.SplitHostPort(l.Addr().String())
	return host, port, fromClient
}

// tinTinScript makes TinTin++ agree to GMCP and MSSP (it answers DONT
// GMCP by default) and show what it receives of them and of prompts.
const tinTinScript = `#event {CATCH IAC WILL GMCP} {#send {\xFF\xFD\xC9\}}
#event {CATCH IAC WILL MSSP} {#send {\xFF\xFD\x46\}}
#event {IAC SB GMCP} {#showme {GMCP %0 %1}}
#event {IAC SB MSSP} {#showme {MSSP %0=%1}}
#event {IAC EOR} {#showme {PROMPT MARKED}}
`

// TestTinTinGMCPAndMSSP has TinTin++ receive a Daemon's MSSP table, its
// GMCP and its prompt marked with EOR, and send GMCP back.
func TestTinTinGMCPAndMSSP(t *testing.T) {
	tt := tmuxtest.Need(t, "/usr/games/tt++")
	host, port, gmcp := serveMUD(t)
	p := tmuxtest.Start(t, 100, 30, "cat >\"$D/s.tin\" <<'EOF'\n"+tinTinScript+"#session peer "+host+" "+port+"\nEOF\n"+
		"cd \"$D\" && HOME=\"$D\" "+tt+" -G -T s.tin\n")
	p.WaitFor("MSSP NAME=Goblin Warren")
	p.WaitFor("MSSP PLAYERS=1")
	p.WaitFor("GMCP Char.Vitals {hp}{40}")
	p.WaitFor("PROMPT MARKED")
	p.WaitFor("HP:40>")
	p.TypeLine(`#send {\xFF\xFA\xC9Core.Supports.Set ["Char 1"]\xFF\xF0\}`)
	select {
	case got := <-gmcp:
		if got != `Core.Supports.Set ["Char 1"]` {
			t.Errorf("GMCP from TinTin++: %q", got)
		}
	case <-time.After(tmuxtest.Timeout):
		t.Fatal("no GMCP from TinTin++")
	}
	p.TypeLine("look")
	p.WaitFor(`you said "look"`)
}

// TestTinyFuguePrompt has TinyFugue, which agrees to EOR, see the
// Daemon's prompt as one: its PROMPT hook fires with the prompt's text.
func TestTinyFuguePrompt(t *testing.T) {
	tf := tmuxtest.Need(t, "tf5")
	host, port, _ := serveMUD(t)
	p := tmuxtest.Start(t, 100, 30, "echo '/def -hPROMPT -p1 marked = /echo PROMPT MARKED [%*]' >\"$D/t.tf\"\n"+
		"cd \"$D\" && HOME=\"$D\" "+tf+" -f\"$D/t.tf\" "+host+" "+port+"\n")
	p.WaitFor("PROMPT MARKED [HP:40>]")
	p.TypeLine("look")
	p.WaitFor(`you said "look"`)
}
