package shells_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells"
)

// The debug shell on a Daemon, and a client that types two commands.
func ExampleDebug() {
	d := &telnet.Daemon{Handler: shells.Debug()}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go d.Serve(l)
	defer d.Shutdown(context.Background())

	c, err := telnet.Dial("tcp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "help\nquit\n")
	session, _ := io.ReadAll(c) // the shell echoes what it reads
	for _, line := range strings.SplitAfter(string(session), "\n") {
		fmt.Printf("%q\n", line)
	}
	// Output:
	// "Ready.\n"
	// "tel:sh> help\n"
	// "quit, writer, slc, linemode, toggle [option|all], reader, proto, dump\n"
	// "tel:sh> quit\n"
	// "Goodbye.\n"
	// ""
}

// A handler that asks a question in character mode: the line reader
// echoes what is typed, erases on Backspace, and ends the line with CR LF,
// so that telnet, PuTTY and netcat users all see what they type.
func ExampleLineReader() {
	greet := func(ctx context.Context, c *telnet.Conn) error {
		lr := shells.NewLineReader(c, 80)
		io.WriteString(c, "name? ")
		name, err := lr.ReadLine()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c, "hello, %s\r\n", name)
		return err
	}
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(greet)}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go d.Serve(l)
	defer d.Shutdown(context.Background())

	c, err := telnet.Dial("tcp", l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "bobx\x7f\n") // a typo, then Backspace
	session, _ := io.ReadAll(c)
	fmt.Printf("%q\n", session)
	// Output:
	// "name? bobx\b \b\nhello, bob\n"
}

// A server for the open Internet: people only, at most 100 at a time.
func ExampleRobotCheck() {
	d := &telnet.Daemon{
		Addr:        ":6023",
		Handler:     shells.RobotCheck(shells.Debug(), nil),
		MaxConns:    100,
		BusyHandler: shells.Busy(),
	}
	log.Fatal(d.ListenAndServe())
}

// A login shell for each connection, as telnetd gives: the shell gets the
// client's terminal type and window size, and the bytes a terminal sends.
func ExamplePty() {
	sh := shells.Pty("/bin/bash", "--login")
	sh.Env = []string{"PATH=/usr/bin:/bin", "HOME=/home/guest", "USER=guest"}
	sh.ClientEnv = []string{"COLORTERM"}
	d := &telnet.Daemon{
		Addr:    "localhost:6023",
		Handler: sh,
		Options: []telnet.Option{telnet.WithRawLineEndings()},
	}
	log.Fatal(d.ListenAndServe())
}
