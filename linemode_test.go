package telnet

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// rawPeer returns the Conn newConn makes of the server end of a loopback
// connection, and the raw client end talking to it.
func rawPeer(t *testing.T, newConn func(net.Conn) *Conn) (*Conn, net.Conn) {
	t.Helper()
	raw, sc := loopback(t)
	c := newConn(sc)
	t.Cleanup(func() { c.Close() })
	return c, raw
}

// TestWithLineMode checks on the wire what a server in line mode offers
// and answers: no WILL SGA among its offers, WONT to a client's DO ECHO
// and DO SGA, and then data with no WILL ECHO before it.
func TestWithLineMode(t *testing.T) {
	const (
		doTTYPE      = "\xff\xfd\x18"
		doNAWS       = "\xff\xfd\x1f"
		doNewEnviron = "\xff\xfd\x27"
		doLinemode   = "\xff\xfd\x22"
		willBinary   = "\xff\xfb\x00"
		willSGA      = "\xff\xfb\x03"
	)
	for _, tc := range []struct {
		name   string
		opts   []Option
		offers string
	}{
		{"character mode", nil, doTTYPE + doNAWS + doNewEnviron + willBinary + willSGA},
		{"line mode", []Option{WithLineMode()}, doTTYPE + doNAWS + doLinemode + doNewEnviron + willBinary},
		// A later option overrides WithLineMode, as any other.
		{"line mode, then SGA", []Option{WithLineMode(), WithLocalOption(negotiate.SGA, Request)},
			doTTYPE + doNAWS + doLinemode + doNewEnviron + willBinary + willSGA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]Option{WithNegotiationTimeout(time.Second)}, tc.opts...)
			server, raw := rawPeer(t, func(c net.Conn) *Conn { return Server(c, opts...) })
			go server.Handshake(context.Background())
			expectBytes(t, raw, tc.offers)
		})
	}

	server, raw := rawPeer(t, func(c net.Conn) *Conn {
		return Server(c, WithLineMode(), WithNegotiationTimeout(time.Second))
	})
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x22\xff\xfd\x27\xff\xfb\x00")
	// A client's answers (no LINEMODE), and its own requests for ECHO
	// and SGA.
	raw.Write([]byte("\xff\xfc\x18\xff\xfc\x1f\xff\xfc\x22\xff\xfc\x27\xff\xfe\x00\xff\xfd\x01\xff\xfd\x03"))
	expectBytes(t, raw, "\xff\xfc\x01\xff\xfc\x03")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, opt := range []negotiate.Option{negotiate.Echo, negotiate.SGA} {
		if server.OptionEnabled(negotiate.Local, opt) {
			t.Errorf("%v enabled at the server", opt)
		}
	}
	go server.Write([]byte("login: "))
	expectBytes(t, raw, "login: ")
	// The client sends a line it edited itself.
	raw.Write([]byte("guest\r\n"))
	buf := make([]byte, 64)
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := server.Read(buf); err != nil || string(buf[:n]) != "guest\n" {
		t.Errorf("Read = %q, %v; want the line", buf[:n], err)
	}
}

// inetutilsSLC is the SLC table inetutils telnet sends after WILL
// LINEMODE, as captured, with its erase character changed to ^H.
var inetutilsSLC = []negotiate.SLCTriplet{
	{Func: negotiate.SLCSynch, Mod: negotiate.SLCNoSupport},
	{Func: negotiate.SLCIP, Mod: negotiate.SLCValue | negotiate.SLCFlushIn | negotiate.SLCFlushOut, Value: 0x03},
	{Func: negotiate.SLCAO, Mod: negotiate.SLCValue, Value: 0x0f},
	{Func: negotiate.SLCAYT, Mod: negotiate.SLCNoSupport},
	{Func: negotiate.SLCAbort, Mod: negotiate.SLCValue | negotiate.SLCFlushIn | negotiate.SLCFlushOut, Value: 0x1c},
	{Func: negotiate.SLCEOF, Mod: negotiate.SLCValue, Value: 0x04},
	{Func: negotiate.SLCSusp, Mod: negotiate.SLCValue | negotiate.SLCFlushIn, Value: 0x1a},
	{Func: negotiate.SLCEC, Mod: negotiate.SLCValue, Value: 0x08},
	{Func: negotiate.SLCEL, Mod: negotiate.SLCValue, Value: 0x15},
}

// linemodeMessages reads from raw until it has n LINEMODE messages from
// the server, and returns them as traces show them.
func linemodeMessages(t *testing.T, raw net.Conn, n int) []string {
	t.Helper()
	e := negotiate.New(negotiate.Config{})
	var got []string
	buf := make([]byte, 1024)
	raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	for len(got) < n {
		k, err := raw.Read(buf)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		e.Feed(buf[:k])
		for _, ev := range e.Events() {
			if ev.Kind == negotiate.EventSubnegotiation && ev.Option == negotiate.Linemode {
				msg, err := negotiate.ParseLinemode(ev.Data)
				if err != nil {
					t.Fatalf("bad LINEMODE from the server: %v", err)
				}
				got = append(got, msg.String())
			}
		}
	}
	return got
}

func TestServerLinemode(t *testing.T) {
	changes := newChangeLog()
	server, raw := rawPeer(t, func(c net.Conn) *Conn {
		return Server(c, WithLineMode(), WithNegotiationTimeout(0), WithOnChange(changes.add))
	})
	server.Handshake(t.Context())
	// inetutils telnet: WILL LINEMODE and its table at once, split here
	// in the middle of the table.
	msg := append([]byte("\xff\xfb\x22"), negotiate.AppendSubnegotiation(nil, negotiate.Linemode,
		negotiate.AppendLinemodeSLC(nil, inetutilsSLC...))...)
	raw.Write(msg[:11])
	time.Sleep(10 * time.Millisecond)
	raw.Write(msg[11:])
	changes.wait(t, server, ChangeLinemode, 0) // the client's table changed EC
	got := linemodeMessages(t, raw, 2)
	if got[0] != "MODE EDIT|TRAPSIG" {
		t.Errorf("first LINEMODE message %q, want MODE EDIT|TRAPSIG", got[0])
	}
	// The character the client changed is taken and acknowledged; those
	// equal to the server's need no answer.
	if !strings.Contains(got[1], "EC VALUE|ACK 0x08") || strings.Contains(got[1], "IP ") {
		t.Errorf("SLC answer %q", got[1])
	}
	raw.Write(negotiate.AppendSubnegotiation(nil, negotiate.Linemode,
		negotiate.AppendLinemodeMode(nil, negotiate.LinemodeEdit|negotiate.LinemodeTrapSig|negotiate.LinemodeAck)))
	changes.wait(t, server, ChangeLinemode, 0)
	if mode, ok := server.Linemode(); !ok || mode != negotiate.LinemodeEdit|negotiate.LinemodeTrapSig {
		t.Errorf("Linemode() = %v, %v", mode, ok)
	}
	slc, ok := server.SLC()
	if tr := slc.Get(negotiate.SLCEC); !ok || tr.Value != 0x08 || slc.Get(negotiate.SLCAYT).Mod.Level() != negotiate.SLCNoSupport {
		t.Errorf("SLC() EC %v, AYT %v, %v", tr, slc.Get(negotiate.SLCAYT), ok)
	}
	// The client edits: a whole line, and ^C as IAC IP.
	raw.Write([]byte("ls -l\r\n\xff\xf4"))
	buf := make([]byte, 64)
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := server.Read(buf); err != nil || string(buf[:n]) != "ls -l\n" {
		t.Errorf("Read = %q, %v", buf[:n], err)
	}
	changes.wait(t, server, ChangeCommand, 0)
	// The server asks for character mode; the client agrees.
	if err := server.RequestLinemode(0); err != nil {
		t.Fatal(err)
	}
	if got := linemodeMessages(t, raw, 1); got[0] != "MODE 0" {
		t.Errorf("RequestLinemode(0) sent %q", got)
	}
	raw.Write(negotiate.AppendSubnegotiation(nil, negotiate.Linemode, negotiate.AppendLinemodeMode(nil, negotiate.LinemodeAck)))
	changes.wait(t, server, ChangeLinemode, 0)
	if mode, ok := server.Linemode(); !ok || mode != 0 {
		t.Errorf("after MODE ACK: Linemode() = %v, %v", mode, ok)
	}
	// A bad LINEMODE payload is logged and changes nothing.
	raw.Write([]byte("\xff\xfa\x22\x01\xff\xf0\xff\xfa\x22\x09\xff\xf0x"))
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := server.Read(buf); err != nil || string(buf[:n]) != "x" {
		t.Errorf("after bad payloads: %q, %v", buf[:n], err)
	}
}

func TestLinemodeNeedsAServerAndTheOption(t *testing.T) {
	client, server := pair(t, nil, nil)
	for _, c := range []*Conn{client, server} {
		if err := c.RequestLinemode(negotiate.LinemodeEdit); !errors.Is(err, ErrNoLinemode) {
			t.Errorf("RequestLinemode without LINEMODE: %v", err)
		}
		if _, ok := c.Linemode(); ok {
			t.Error("Linemode() is on")
		}
		if slc, ok := c.SLC(); ok || slc != *negotiate.DefaultSLC() {
			t.Errorf("SLC() without LINEMODE: %v", ok)
		}
	}
}

// pumpUntil reads from every Conn, dropping no data (it fails the test on
// any), until ok holds.
func pumpUntil(t *testing.T, ok func() bool, conns ...*Conn) {
	t.Helper()
	buf := make([]byte, 256)
	for deadline := time.Now().Add(5 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatal("the Conns did not agree in time")
		}
		for _, c := range conns {
			c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
			if n, err := c.Read(buf); n > 0 {
				t.Fatalf("unexpected data %q", buf[:n])
			} else if err != nil && !isDeadline(err) {
				t.Fatal(err)
			}
		}
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Time{})
	}
}

// Two Conns agree on LINEMODE: the client takes the mode the server asks
// for, both end with the same special characters, and the server's later
// requests are followed.
func TestClientLinemode(t *testing.T) {
	edit := negotiate.LinemodeEdit | negotiate.LinemodeTrapSig
	client, server := pair(t, []Option{WithLocalOption(negotiate.Linemode, Accept)}, []Option{WithLineMode()})
	agreed := func(want negotiate.LinemodeMode) func() bool {
		return func() bool {
			cm, cok := client.Linemode()
			sm, sok := server.Linemode()
			return cok && sok && cm == want && sm == want
		}
	}
	pumpUntil(t, agreed(edit), client, server)
	cs, _ := client.SLC()
	ss, _ := server.SLC()
	if cs != ss {
		t.Errorf("the ends disagree on SLC:\nclient %v\nserver %v", &cs, &ss)
	}
	if err := client.RequestLinemode(0); !errors.Is(err, ErrNoLinemode) {
		t.Errorf("a client's RequestLinemode: %v", err)
	}
	if err := server.RequestLinemode(negotiate.LinemodeTrapSig); err != nil {
		t.Fatal(err)
	}
	pumpUntil(t, agreed(negotiate.LinemodeTrapSig), client, server)
	// A client that does not accept LINEMODE refuses it.
	plain, server2 := pair(t, nil, []Option{WithLineMode()})
	pumpUntil(t, func() bool { return !server2.OptionEnabled(negotiate.Remote, negotiate.Linemode) }, plain, server2)
	if _, ok := server2.Linemode(); ok {
		t.Error("LINEMODE on with a client that does not accept it")
	}
}

// The client answers the server's FORWARDMASK and keeps the mask.
func TestClientForwardMask(t *testing.T) {
	client, raw := rawPeer(t, func(c net.Conn) *Conn {
		return Client(c, WithLocalOption(negotiate.Linemode, Accept), WithNegotiationTimeout(0))
	})
	raw.Write([]byte("\xff\xfd\x22"))
	mask := negotiate.NewForwardMask('\t', 0x1b)
	raw.Write(negotiate.AppendSubnegotiation(nil, negotiate.Linemode,
		negotiate.AppendLinemodeMode(nil, negotiate.LinemodeEdit)))
	raw.Write(negotiate.AppendSubnegotiation(nil, negotiate.Linemode,
		negotiate.AppendLinemodeForwardMask(nil, negotiate.DO, mask)))
	pumpUntil(t, func() bool { return client.ForwardMask() == mask }, client)
	got := linemodeMessages(t, raw, 3)
	want := []string{"SLC", "MODE EDIT|ACK", "WILL FORWARDMASK"}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("message %d from the client %q, want %s...", i, got[i], want[i])
		}
	}
	raw.Write(negotiate.AppendSubnegotiation(nil, negotiate.Linemode,
		negotiate.AppendLinemodeForwardMask(nil, negotiate.DONT, negotiate.ForwardMask{})))
	pumpUntil(t, func() bool { return client.ForwardMask() == negotiate.ForwardMask{} }, client)
	if got := linemodeMessages(t, raw, 1); got[0] != "WONT FORWARDMASK" {
		t.Errorf("answer to DONT FORWARDMASK %q", got[0])
	}
}

// A client that sends special characters without end and reads nothing
// gets its connection closed, with the server's answers bounded, as for
// any request it does not read the answers to.
func TestLinemodeFloodNeverRead(t *testing.T) {
	server, raw := rawPeer(t, func(c net.Conn) *Conn {
		return Server(c, WithLineMode(), WithNegotiationTimeout(0))
	})
	var burst []byte
	for i := range 2000 {
		// Each table changes EC, which the server acknowledges.
		burst = negotiate.AppendSubnegotiation(burst, negotiate.Linemode, negotiate.AppendLinemodeSLC(nil,
			negotiate.SLCTriplet{Func: negotiate.SLCEC, Mod: negotiate.SLCValue, Value: byte(1 + i%2)}))
	}
	go func() {
		raw.Write([]byte("\xff\xfb\x22")) // WILL LINEMODE
		// Until the server closes: the kernel's buffers hold megabytes.
		for {
			if _, err := raw.Write(burst); err != nil {
				return
			}
		}
	}()
	if err := readFlooded(t, server, 3*time.Second); !errors.Is(err, ErrUnreadReplies) {
		t.Errorf("Read = %v, want ErrUnreadReplies", err)
	}
}

// The server's FORWARDMASK reaches the client, and an empty one withdraws
// it.
func TestRequestForwardMask(t *testing.T) {
	client, server := pair(t, []Option{WithLocalOption(negotiate.Linemode, Accept)}, []Option{WithLineMode()})
	pumpUntil(t, func() bool { _, ok := server.Linemode(); return ok }, client, server)
	mask := negotiate.NewForwardMask(0x02, '\t')
	if err := server.RequestForwardMask(mask); err != nil {
		t.Fatal(err)
	}
	if server.ForwardMask() != mask {
		t.Error("the server does not report the mask it asked for")
	}
	pumpUntil(t, func() bool { return client.ForwardMask() == mask }, client, server)
	if err := server.RequestForwardMask(negotiate.ForwardMask{}); err != nil {
		t.Fatal(err)
	}
	pumpUntil(t, func() bool { return client.ForwardMask() == negotiate.ForwardMask{} }, client, server)
	if err := client.RequestForwardMask(mask); !errors.Is(err, ErrNoLinemode) {
		t.Errorf("a client's RequestForwardMask: %v", err)
	}
}
