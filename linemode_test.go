package telnet

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// rawPeer returns a Conn made by newConn over a loopback TCP connection,
// and the raw other end, closed at cleanup.
func rawPeer(t *testing.T, newConn func(net.Conn) *Conn) (*Conn, net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	raw, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c := newConn(sc)
	t.Cleanup(func() { raw.Close(); c.Close() })
	return c, raw
}

// readExactly reads len(want) bytes from raw and compares them to want.
func readExactly(t *testing.T, raw net.Conn, want string) {
	t.Helper()
	raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	got := make([]byte, len(want))
	if n, err := io.ReadFull(raw, got); err != nil {
		t.Fatalf("reading %q: %v (got %q)", want, err, got[:n])
	}
	if string(got) != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// TestWithLineMode checks on the wire what a server in line mode offers
// and answers: no WILL SGA among its offers, WONT to a client's DO ECHO
// and DO SGA, and then data with no WILL ECHO before it.
func TestWithLineMode(t *testing.T) {
	const (
		doTTYPE      = "\xff\xfd\x18"
		doNAWS       = "\xff\xfd\x1f"
		doNewEnviron = "\xff\xfd\x27"
		willBinary   = "\xff\xfb\x00"
		willSGA      = "\xff\xfb\x03"
	)
	for _, tc := range []struct {
		name   string
		opts   []Option
		offers string
	}{
		{"character mode", nil, doTTYPE + doNAWS + doNewEnviron + willBinary + willSGA},
		{"line mode", []Option{WithLineMode()}, doTTYPE + doNAWS + doNewEnviron + willBinary},
		// A later option overrides WithLineMode, as any other.
		{"line mode, then SGA", []Option{WithLineMode(), WithLocalOption(negotiate.SGA, Request)},
			doTTYPE + doNAWS + doNewEnviron + willBinary + willSGA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]Option{WithNegotiationTimeout(time.Second)}, tc.opts...)
			server, raw := rawPeer(t, func(c net.Conn) *Conn { return Server(c, opts...) })
			go server.Handshake(context.Background())
			readExactly(t, raw, tc.offers)
		})
	}

	server, raw := rawPeer(t, func(c net.Conn) *Conn {
		return Server(c, WithLineMode(), WithNegotiationTimeout(time.Second))
	})
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	readExactly(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00")
	// inetutils telnet's answers, and its own requests for ECHO and SGA.
	raw.Write([]byte("\xff\xfc\x18\xff\xfc\x1f\xff\xfc\x27\xff\xfe\x00\xff\xfd\x01\xff\xfd\x03"))
	readExactly(t, raw, "\xff\xfc\x01\xff\xfc\x03")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, opt := range []negotiate.Option{negotiate.Echo, negotiate.SGA} {
		if server.OptionEnabled(negotiate.Local, opt) {
			t.Errorf("%v enabled at the server", opt)
		}
	}
	go server.Write([]byte("login: "))
	readExactly(t, raw, "login: ")
	// The client sends a line it edited itself.
	raw.Write([]byte("guest\r\n"))
	buf := make([]byte, 64)
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := server.Read(buf); err != nil || string(buf[:n]) != "guest\n" {
		t.Errorf("Read = %q, %v; want the line", buf[:n], err)
	}
}
