package telnet_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// greeter serves connections that greet the client with what it
// reported, until stop is called.
func greeter() (addr string, stop func()) {
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		cols, rows := c.WindowSize()
		_, err := fmt.Fprintf(c, "hello %s %dx%d, LANG=%s\n", c.TerminalType(), cols, rows, c.Env()["LANG"])
		return err
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go d.Serve(l)
	return l.Addr().String(), func() { d.Shutdown(context.Background()) }
}

// A client tells the server its terminal, window size and environment;
// Read returns the server's text only, "\n" for its CR LF.
func ExampleDial() {
	addr, stop := greeter()
	defer stop()

	c, err := telnet.Dial("tcp", addr,
		telnet.WithTerminalType("xterm-256color"),
		telnet.WithWindowSize(132, 43),
		telnet.WithEnv(map[string]string{"LANG": "en_US.UTF-8"}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(line)
	fmt.Println("server echoes:", c.OptionEnabled(negotiate.Remote, negotiate.Echo))
	// Output:
	// hello xterm-256color 132x43, LANG=en_US.UTF-8
	// server echoes: true
}

// Client makes a Telnet client of a connection made some other way (a
// proxy, TLS, a pipe); Handshake runs the negotiation at once, within
// the context's deadline, where otherwise the first Read or Write would.
func ExampleClient() {
	addr, stop := greeter()
	defer stop()

	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	c := telnet.Client(raw, telnet.WithTerminalType("vt100"), telnet.WithWindowSize(80, 24), telnet.WithEnv(nil))
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Handshake(ctx); err != nil {
		log.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(line)
	// Output:
	// hello vt100 80x24, LANG=
}
