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
)

// A server that greets each client with what it negotiated, and a client
// that dials it: both are plain net.Conn users.
func ExampleListen() {
	l, err := telnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		tc := c.(*telnet.Conn)
		tc.Handshake(context.Background()) // or let the first Read or Write do it
		cols, rows := tc.WindowSize()
		fmt.Fprintf(c, "hello %s, your window is %dx%d\n", tc.TerminalType(), cols, rows)
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "you said %q\n", strings.TrimSuffix(line, "\n"))
	}()

	c, err := telnet.Dial("tcp", l.Addr().String(),
		telnet.WithTerminalType("xterm-256color"), telnet.WithWindowSize(120, 40))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	greeting, _ := r.ReadString('\n')
	fmt.Print(greeting)
	fmt.Fprintln(c, "bye")
	reply, _ := io.ReadAll(r)
	fmt.Print(string(reply))
	// Output:
	// hello xterm-256color, your window is 120x40
	// you said "bye"
}

// An existing server gains Telnet by wrapping its listener: the rest of
// the program is unchanged.
func ExampleNewListener() {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	l := telnet.NewListener(inner)
	defer l.Close()
	go echo(l)

	c, err := telnet.Dial("tcp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintln(c, "ping")
	line, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(line)
	// Output: ping
}

// echo is an ordinary line echo server over any net.Listener.
func echo(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			sc := bufio.NewScanner(c)
			for sc.Scan() {
				fmt.Fprintln(c, sc.Text())
			}
		}()
	}
}

// A server follows the client's window as it is resized.
func ExampleConn_OnChange() {
	l, err := telnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	sizes := make(chan string)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		tc := c.(*telnet.Conn)
		tc.OnChange(func(ch telnet.Change) {
			if ch.Kind == telnet.ChangeWindowSize {
				cols, rows := tc.WindowSize()
				sizes <- fmt.Sprintf("%dx%d", cols, rows)
			}
		})
		io.Copy(io.Discard, c) // changes are reported while the server reads
	}()

	c, err := telnet.Dial("tcp", l.Addr().String(), telnet.WithWindowSize(80, 24))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	go io.Copy(io.Discard, c) // the client answers the server while it reads
	fmt.Println(<-sizes)
	c.SetWindowSize(132, 43)
	fmt.Println(<-sizes)
	// Output:
	// 80x24
	// 132x43
}
