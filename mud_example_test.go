package telnet_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// A MUD server: it offers GMCP and MSSP and compresses with MCCP2, sends
// its status table to the client (or to a MUD listing's crawler), the
// player's vitals as GMCP next to the room's text, and marks each prompt
// so that MUD clients show it apart. The client here is a Go MUD client
// that takes all of it.
func Example_mudServer() {
	mud := &telnet.Daemon{
		Options: []telnet.Option{
			telnet.WithCompression(),
			telnet.WithLocalOption(negotiate.GMCP, telnet.Request),
			telnet.WithLocalOption(negotiate.MSSP, telnet.Request),
			telnet.WithLocalOption(negotiate.EndOfRecord, telnet.Request),
		},
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			if c.OptionEnabled(negotiate.Local, negotiate.MSSP) {
				c.SendMSSP(negotiate.MSSPVariable{Name: "NAME", Values: []string{"Goblin Warren"}},
					negotiate.MSSPVariable{Name: "PLAYERS", Values: []string{"1"}})
			}
			commands := bufio.NewScanner(c)
			for hp := 40; ; hp -= 7 {
				io.WriteString(c, "A damp tunnel slopes down to the north.\n")
				c.SendGMCP("Char.Vitals", map[string]int{"hp": hp, "maxhp": 40}) // an error when GMCP is off
				fmt.Fprintf(c, "HP:%d> ", hp)
				c.SendPrompt() // IAC EOR, or IAC GA for MUD clients without EOR
				if !commands.Scan() || commands.Text() == "quit" {
					io.WriteString(c, "Bye.\n")
					return commands.Err()
				}
			}
		}),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go mud.Serve(l)
	defer mud.Shutdown(context.Background())

	// The client: what it receives besides the text comes as changes,
	// reported while it reads.
	var got []string
	c, err := telnet.Dial("tcp", l.Addr().String(),
		telnet.WithCompression(),
		telnet.WithRemoteOption(negotiate.GMCP, telnet.Accept),
		telnet.WithRemoteOption(negotiate.MSSP, telnet.Accept),
		telnet.WithOnChange(func(_ *telnet.Conn, ch telnet.Change) {
			if pkg, data, err := ch.GMCP(); err == nil {
				got = append(got, fmt.Sprintf("GMCP %s %s", pkg, data))
			}
			if table, err := ch.MSSP(); err == nil {
				got = append(got, fmt.Sprintf("MSSP %v", table))
			}
			if ch.Kind == telnet.ChangeCommand && ch.Command == negotiate.EOR {
				got = append(got, "end of prompt")
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var text strings.Builder
	buf := make([]byte, 1024)
	for !strings.HasSuffix(text.String(), "> ") {
		n, err := c.Read(buf)
		if err != nil {
			log.Fatal(err)
		}
		text.Write(buf[:n])
	}
	io.WriteString(c, "quit\n")
	rest, _ := io.ReadAll(c)
	fmt.Print(text.String() + string(rest))
	for _, g := range got {
		fmt.Println(g)
	}
	fmt.Println("compressed:", c.OptionEnabled(negotiate.Remote, negotiate.MCCP2))
	// Output:
	// A damp tunnel slopes down to the north.
	// HP:40> Bye.
	// MSSP [{NAME [Goblin Warren]} {PLAYERS [1]}]
	// GMCP Char.Vitals {"hp":40,"maxhp":40}
	// end of prompt
	// compressed: true
}
