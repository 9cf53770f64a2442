package compat_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/telnetkit/telnet/compat"
)

// serve runs a one-connection server on 127.0.0.1 for an example, and
// returns its port and a function that waits for it to finish.
func serve(handle func(c net.Conn)) (port int, wait func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		handle(c)
	}()
	return ln.Addr().(*net.TCPAddr).Port, func() { <-done }
}

// A login script, as it is written with Python's telnetlib:
//
//	tn = telnetlib.Telnet(host, port, 5)
//	tn.read_until(b"login: ")
//	tn.write(b"guest\r\n")
//	print(tn.read_until(b"$ ").decode())
//	tn.close()
func Example() {
	port, wait := serve(func(c net.Conn) {
		io.WriteString(c, "Debian GNU/Linux 12\r\nlogin: ")
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "Welcome, %s\n$ ", strings.TrimSpace(line))
	})
	defer wait()

	tn, err := compat.Dial("127.0.0.1", port, 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	defer tn.Close()
	if _, err := tn.ReadUntil([]byte("login: "), compat.NoTimeout); err != nil {
		log.Fatal(err)
	}
	tn.Write([]byte("guest\r\n"))
	out, err := tn.ReadUntil([]byte("$ "), compat.NoTimeout)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", out)
	// Output:
	// Welcome, guest
	// $
}

// Expect waits for whichever prompt comes.
func ExampleTelnet_Expect() {
	port, wait := serve(func(c net.Conn) { io.WriteString(c, "Last login: today\r\nPassword for bob: ") })
	defer wait()

	tn, err := compat.Dial("127.0.0.1", port, 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	defer tn.Close()
	prompts := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^login: $`),
		regexp.MustCompile(`Password for (\w+): $`),
	}
	i, m, _, err := tn.Expect(prompts, 2*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("prompt %d, user %s\n", i, m[1])
	// Output: prompt 1, user bob
}

// The callback does all the negotiation: here it agrees to send the
// terminal type, answers the server's request for it, and refuses the
// rest, as Python's default does.
func ExampleTelnet_SetOptionNegotiationCallback() {
	var got []byte
	port, wait := serve(func(c net.Conn) {
		c.Write([]byte{compat.IAC, compat.DO, compat.TTYPE, compat.IAC, compat.DO, compat.NAWS})
		buf := make([]byte, 6)
		io.ReadFull(c, buf) // the two answers
		got = append(got, buf...)
		c.Write([]byte{compat.IAC, compat.SB, compat.TTYPE, 1, compat.IAC, compat.SE, 'o', 'k'})
		buf = make([]byte, 11)
		io.ReadFull(c, buf) // IAC SB TTYPE IS "VT100" IAC SE
		got = append(got, buf...)
	})

	tn := new(compat.Telnet)
	tn.SetOptionNegotiationCallback(func(conn net.Conn, cmd, opt byte) {
		switch {
		case cmd == compat.DO && opt == compat.TTYPE:
			conn.Write([]byte{compat.IAC, compat.WILL, compat.TTYPE})
		case cmd == compat.DO || cmd == compat.DONT:
			conn.Write([]byte{compat.IAC, compat.WONT, opt})
		case cmd == compat.WILL || cmd == compat.WONT:
			conn.Write([]byte{compat.IAC, compat.DONT, opt})
		case cmd == compat.SE:
			if sb := tn.ReadSBData(); len(sb) == 2 && sb[0] == compat.TTYPE && sb[1] == 1 {
				conn.Write(append([]byte{compat.IAC, compat.SB, compat.TTYPE, 0}, "VT100\xff\xf0"...))
			}
		}
	})
	if err := tn.Open("127.0.0.1", port, 5*time.Second); err != nil {
		log.Fatal(err)
	}
	defer tn.Close()
	data, err := tn.ReadUntil([]byte("ok"), 2*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	wait()
	fmt.Printf("data %q\nsent % x\n", data, got)
	// Output:
	// data "ok"
	// sent ff fb 18 ff fc 1f ff fa 18 00 56 54 31 30 30 ff f0
}

// NewTelnet runs the client over any connection, here one end of a pipe.
func ExampleNewTelnet() {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		server.Write([]byte("a\xff\xffb\x00c\r\n"))
	}()
	tn := compat.NewTelnet(client, time.Second)
	defer tn.Close()
	data, err := tn.ReadAll()
	fmt.Printf("%q %v\n", data, err)
	// Output: "a\xffbc\r\n" <nil>
}

// The eager and lazy reads never wait: they return what has arrived,
// possibly nothing, and io.EOF only once the connection has ended and
// everything was read. Scripts poll with them.
func ExampleTelnet_ReadVeryEager() {
	port, wait := serve(func(c net.Conn) {
		io.WriteString(c, "first part, ")
		io.Copy(io.Discard, c) // until the client closes
	})
	defer wait()
	tn, err := compat.Dial("127.0.0.1", port, 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	defer tn.Close()
	fmt.Printf("lazy: %q\n", must(tn.ReadVeryLazy())) // reads nothing from the connection
	var data []byte
	for len(data) == 0 {
		data = must(tn.ReadVeryEager())
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Printf("eager: %q\n", data)
	fmt.Printf("eager again: %q\n", must(tn.ReadVeryEager()))
	tn.Close()
	_, err = tn.ReadVeryEager()
	fmt.Println("after close:", err)
	// Output:
	// lazy: ""
	// eager: "first part, "
	// eager again: ""
	// after close: EOF
}

func must(p []byte, err error) []byte {
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Interact copies the session to out and lines of in to the server, as
// Python's interact does with the terminal; os.Stdin and os.Stdout are
// the usual arguments.
func ExampleTelnet_Interact() {
	port, wait := serve(func(c net.Conn) {
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "you typed %q\n", line)
	})
	defer wait()
	tn, err := compat.Dial("127.0.0.1", port, 5*time.Second)
	if err != nil {
		log.Fatal(err)
	}
	defer tn.Close()
	in, typing, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	defer typing.Close()
	typing.WriteString("uptime\n")
	if err := tn.Interact(in, os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// you typed "uptime\n"
	// *** Connection closed by remote host ***
}
