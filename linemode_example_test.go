package telnet_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// A server in line mode asks for LINEMODE; a client that does it (BSD
// telnet, or a Go client that accepts the option) edits each line itself
// and sends it whole. Both ends read the agreed mode from their Conn.
func Example_lineMode() {
	d := &telnet.Daemon{
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			fmt.Fprintln(c, "ready")
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				return err
			}
			mode, _ := c.Linemode()
			_, err = fmt.Fprintf(c, "server: MODE %v, line %q\n", mode, line[:len(line)-1])
			return err
		}),
		Options: []telnet.Option{telnet.WithLineMode()},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go d.Serve(l)
	defer d.Shutdown(context.Background())

	c, err := telnet.Dial("tcp", l.Addr().String(), telnet.WithLocalOption(negotiate.Linemode, telnet.Accept))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	r.ReadString('\n') // "ready", after the server's MODE
	mode, _ := c.Linemode()
	fmt.Println("client: MODE", mode)
	fmt.Fprintln(c, "hello") // a line the user edited
	answer, err := r.ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(answer)
	// Output:
	// client: MODE EDIT|TRAPSIG
	// server: MODE EDIT|TRAPSIG, line "hello"
}
