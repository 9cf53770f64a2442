package telnet_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/telnetkit/telnet"
)

// A Daemon serves each connection with a Handler, after the handshake:
// the terminal type and window size are known when it starts.
func ExampleDaemon() {
	d := &telnet.Daemon{
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			cols, rows := c.WindowSize()
			fmt.Fprintf(c, "Hello, %s %dx%d!\n", c.TerminalType(), cols, rows)
			return nil
		}),
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go d.Serve(l)
	defer d.Shutdown(context.Background())

	c, err := telnet.Dial("tcp", l.Addr().String(), telnet.WithTerminalType("xterm"), telnet.WithWindowSize(100, 30))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	greeting, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(greeting)
	// Output: Hello, xterm 100x30!
}

// A program serves until SIGINT or SIGTERM, then lets the handlers say
// goodbye before it exits.
func ExampleDaemon_Shutdown() {
	d := &telnet.Daemon{
		Addr:        "localhost:6023",
		IdleTimeout: 10 * time.Minute,
		Logger:      slog.Default(),
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			io.WriteString(c, "Type away; I echo.\n")
			// At shutdown, the Read blocked in Copy returns
			// ErrServerClosed: no code here watches ctx.
			_, err := io.Copy(c, c)
			if errors.Is(err, telnet.ErrServerClosed) {
				io.WriteString(c, "\nThe server is going down.\n")
			}
			return err
		}),
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- d.ListenAndServe() }()
	select {
	case err := <-served:
		log.Fatal(err) // the address is in use, say
	case <-ctx.Done():
	}
	shutdownCtx, cancelShutdown := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelShutdown()
	if err := d.Shutdown(shutdownCtx); err != nil {
		log.Print(err)
	}
	if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
		log.Print(err)
	}
}

// A chat server: what one client says goes to every client, through
// Conns. ConnState counts who comes and goes.
func ExampleDaemon_Conns() {
	d := &telnet.Daemon{
		ConnState: func(c *telnet.Conn, s telnet.ConnState) {
			log.Printf("%s: %s", c.RemoteAddr(), s)
		},
	}
	d.Handler = telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		io.WriteString(c, "Welcome to the chat.\n")
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			for other := range d.Conns() {
				fmt.Fprintf(other, "%s: %s\n", c.RemoteAddr(), sc.Text())
			}
		}
		return sc.Err()
	})
	log.Fatal(d.ListenAndServe())
}
