package telnet_test

// The README's examples, compiled and run here; TestREADME checks that
// every Go block of the README is found, word for word, in this file.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells"
)

// main is the README's first server, as a program's main; the examples
// run serveLines on a free port.
func main() {
	l, err := telnet.Listen("tcp", "127.0.0.1:6023", telnet.WithLineMode())
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(serveLines(l))
}

// serveLines greets each client and answers each line it types.
func serveLines(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			tc := c.(*telnet.Conn)
			tc.Handshake(context.Background()) // or let the first Read or Write do it
			cols, rows := tc.WindowSize()
			fmt.Fprintf(c, "hello %s, your window is %dx%d\n", tc.TerminalType(), cols, rows)
			sc := bufio.NewScanner(c) // every kind of Enter reads as "\n"
			for sc.Scan() {
				fmt.Fprintf(c, "you said %q\n", sc.Text()) // "\n" is sent as CR LF
			}
		}()
	}
}

// askName is the README's character-mode handler: the server echoes and
// edits, through shells.LineReader.
func askName(ctx context.Context, c *telnet.Conn) error {
	lr := shells.NewLineReader(c, 80)
	io.WriteString(c, "name? ")
	name, err := lr.ReadLine() // echoed as typed; Backspace erases
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c, "hello, %s\n", name)
	return err
}

// readmeDaemonMain serves askName, as a program's main.
func readmeDaemonMain() {
	d := &telnet.Daemon{Addr: "127.0.0.1:6023", Handler: telnet.HandlerFunc(askName)}
	log.Fatal(d.ListenAndServe())
}

// readmeClient is the README's client.
func readmeClient() {
	c, err := telnet.Dial("tcp", "127.0.0.1:6023",
		telnet.WithTerminalType("xterm-256color"), telnet.WithWindowSize(120, 40))
	if err != nil {
		log.Fatal(err)
	}
	io.Copy(os.Stdout, c) // application data only; IAC sequences never leak
}

// readmeNewListener is the README's one line for an existing server.
func readmeNewListener() net.Listener {
	l, err := net.Listen("tcp", ":6023")
	if err != nil {
		log.Fatal(err)
	}
	l = telnet.NewListener(l) // the rest of the server is unchanged
	return l
}

// The README's first server in line mode: the client edits the line (a
// typo and Backspace here), and the server reads it clean.
func ExampleWithLineMode() {
	l, err := telnet.Listen("tcp", "127.0.0.1:0", telnet.WithLineMode())
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	go serveLines(l)

	c, err := telnet.Dial("tcp", l.Addr().String(), telnet.WithTerminalType("xterm"), telnet.WithWindowSize(100, 30))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	greeting, _ := r.ReadString('\n')
	fmt.Print(greeting)
	io.WriteString(c, "hello\n") // what a client in line mode sends: the finished line
	answer, _ := r.ReadString('\n')
	fmt.Print(answer)
	// Output:
	// hello xterm, your window is 100x30
	// you said "hello"
}

// The README's character-mode handler, with a client that types a typo
// and Backspace.
func Example_lineReader() {
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(askName)}
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
	io.WriteString(c, "bobx\x7f\n")
	session, _ := io.ReadAll(c)
	fmt.Println(strings.ReplaceAll(string(session), "x\b \b", "")) // what the screen shows
	// Output:
	// name? bob
	// hello, bob
}

var _ = []any{main, readmeDaemonMain, readmeClient, readmeNewListener}

// TestREADME checks that every Go block of the README stands, word for
// word (indentation aside), in this file, where it is compiled and run.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	code := dedent(string(src))
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 5 {
		t.Fatalf("%d Go blocks in the README, want the 5 examples at least", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(code, dedent(b[1])) {
			t.Errorf("this README block is not in readme_example_test.go:\n%s", b[1])
		}
	}
}

// dedent removes the indentation of every line of s.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t ")
	}
	return strings.Join(lines, "\n")
}
