//go:build unix

package telnet_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/tmuxtest"
	"github.com/telnetkit/telnet/negotiate"
)

// roomText is a screen of MUD text, long enough for compression to show.
var roomText = strings.Repeat("A damp tunnel slopes down to the north; a goblin guard watches you.\n", 40)

// serveCompressedRoom serves, with MCCP offered, a handler that sends
// roomText, then answers each line with "you said" and the line. It
// reports on mccp whether MCCP2 and MCCP3 were agreed.
func serveCompressedRoom(t *testing.T) (host, port string, mccp <-chan [2]bool) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	agreed := make(chan [2]bool, 1)
	d := &telnet.Daemon{
		Options: []telnet.Option{telnet.WithCompression(), telnet.WithLineMode()},
		Handler: telnet.HandlerFunc(func(_ context.Context, c *telnet.Conn) error {
			agreed <- [2]bool{c.OptionEnabled(negotiate.Local, negotiate.MCCP2), c.OptionEnabled(negotiate.Local, negotiate.MCCP3)}
			fmt.Fprint(c, roomText+"end of room\n")
			sc := bufio.NewScanner(c)
			for sc.Scan() {
				fmt.Fprintf(c, "you said %q\n", sc.Text())
			}
			return sc.Err()
		}),
	}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	host, port, _ = net.SplitHostPort(l.Addr().String())
	return host, port, agreed
}

// mccpTotals matches a line of TinTin++'s #info mccp.
var mccpTotals = regexp.MustCompile(`#INFO (MCCP[23]): TOTAL IN: +(\d+) TOTAL OUT: +(\d+)`)

// TestTinTinMCCP has TinTin++, a MUD client, take MCCP2 and MCCP3 from a
// Daemon: the room shows whole, a typed line reaches the handler through
// MCCP3, and TinTin++'s own totals show the room came compressed.
func TestTinTinMCCP(t *testing.T) {
	tt := tmuxtest.Need(t, "/usr/games/tt++")
	host, port, agreed := serveCompressedRoom(t)
	p := tmuxtest.Start(t, 100, 30, "cd \"$D\" && HOME=\"$D\" "+tt+" -G -T -e '#session peer "+host+" "+port+"'\n")
	p.WaitFor("end of room")
	if got := <-agreed; got != [2]bool{true, true} {
		t.Fatalf("MCCP2, MCCP3 agreed: %v", got)
	}
	p.TypeLine("look at the goblin")
	p.WaitFor(`you said "look at the goblin"`)
	p.TypeLine("#info mccp")
	screen := p.WaitFor("#INFO MCCP3")
	totals := make(map[string][2]int)
	for _, m := range mccpTotals.FindAllStringSubmatch(screen, -1) {
		in, _ := strconv.Atoi(m[2])
		out, _ := strconv.Atoi(m[3])
		totals[m[1]] = [2]int{in, out}
	}
	if mccp2 := totals["MCCP2"]; mccp2[1] < len(roomText) || mccp2[0]*4 > mccp2[1] {
		t.Errorf("MCCP2 totals in/out %v: want at least the room out, and a quarter of it in", mccp2)
	}
	if mccp3 := totals["MCCP3"]; mccp3[1] < len("look at the goblin") {
		t.Errorf("MCCP3 totals in/out %v: want the typed line in", mccp3)
	}
}

// TestTinyFugueMCCP has TinyFugue take MCCP2 from a Daemon: the room it
// shows came compressed (the Daemon saw MCCP2 on), and a line typed goes
// back.
func TestTinyFugueMCCP(t *testing.T) {
	tf := tmuxtest.Need(t, "tf5")
	host, port, agreed := serveCompressedRoom(t)
	p := tmuxtest.Start(t, 100, 30, "cd \"$D\" && HOME=\"$D\" "+tf+" -n -q "+host+" "+port+"\n")
	p.WaitFor("end of room")
	if got := <-agreed; !got[0] {
		t.Fatalf("MCCP2 not agreed with TinyFugue: %v", got)
	}
	p.TypeLine("look at the goblin")
	p.WaitFor(`you said "look at the goblin"`)
}
