package telnet

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// loopback returns the two ends of a TCP connection on 127.0.0.1.
func loopback(t *testing.T) (client, server net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := l.Accept()
		ch <- result{c, err}
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { client.Close(); r.c.Close() })
	return client, r.c
}

// pair returns a Telnet client and server connected over loopback, with
// the server's handshake done.
func pair(t *testing.T, clientOpts, serverOpts []Option) (*Conn, *Conn) {
	t.Helper()
	cc, sc := loopback(t)
	return handshakeBoth(t, Client(cc, clientOpts...), Server(sc, serverOpts...))
}

// handshakeBoth runs the server's handshake while the client reads, so
// that neither end has protocol left to read when it returns.
func handshakeBoth(t testing.TB, client, server *Conn) (*Conn, *Conn) {
	t.Helper()
	// The client answers only while it reads: read in the background
	// until the server's handshake is done.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- server.Handshake(ctx) }()
	pump(t, client, done)
	return client, server
}

// pump reads from c until done delivers, failing on data or error.
func pump(t testing.TB, c *Conn, done <-chan error) {
	t.Helper()
	buf := make([]byte, 1024)
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("handshake: %v", err)
			}
			c.SetReadDeadline(time.Time{})
			return
		default:
		}
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		n, err := c.Read(buf)
		if n > 0 {
			t.Fatalf("unexpected data during handshake: %q", buf[:n])
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) && !isDeadline(err) {
			t.Fatalf("read during handshake: %v", err)
		}
	}
}

func isDeadline(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestHandshakeBetweenClientAndServer(t *testing.T) {
	client, server := pair(t,
		[]Option{WithTerminalType("XTERM-256COLOR"), WithWindowSize(132, 43),
			WithEnv(map[string]string{"LANG": "en_US.UTF-8", "USER": "alice"})},
		nil)
	client.SetReadDeadline(time.Time{})

	if got := server.TerminalType(); got != "XTERM-256COLOR" {
		t.Errorf("terminal type %q", got)
	}
	if cols, rows := server.WindowSize(); cols != 132 || rows != 43 {
		t.Errorf("window %dx%d", cols, rows)
	}
	if env := server.Env(); env["LANG"] != "en_US.UTF-8" || env["USER"] != "alice" || len(env) != 2 {
		t.Errorf("env %v", env)
	}
	for _, tc := range []struct {
		side negotiate.Side
		opt  negotiate.Option
		want bool
	}{
		{negotiate.Local, negotiate.Echo, true},
		{negotiate.Local, negotiate.SGA, true},
		{negotiate.Local, negotiate.Binary, true},
		{negotiate.Remote, negotiate.Binary, true},
		{negotiate.Remote, negotiate.NAWS, true},
		{negotiate.Remote, negotiate.TTYPE, true},
		{negotiate.Remote, negotiate.Echo, false},
	} {
		if got := server.OptionEnabled(tc.side, tc.opt); got != tc.want {
			t.Errorf("server %v %v enabled %v, want %v", tc.side, tc.opt, got, tc.want)
		}
	}
	if !client.OptionEnabled(negotiate.Remote, negotiate.Echo) {
		t.Errorf("client does not see the server's echo")
	}

	// Data both ways, 0xFF included.
	msg := []byte("hello \xff world\n")
	go func() {
		if _, err := client.Write(msg); err != nil {
			t.Error(err)
		}
	}()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(server, got); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("server read %q, %v", got, err)
	}
	go server.Write([]byte("bye\xff\r\n"))
	got = make([]byte, 5)
	if _, err := io.ReadFull(client, got); err != nil || string(got) != "bye\xff\n" {
		t.Errorf("client read %q, %v", got, err)
	}

	// A resize reaches the server.
	changed := make(chan struct{}, 1)
	server.cfg.onChange = func(_ *Conn, ch Change) {
		if ch.Kind == ChangeWindowSize {
			changed <- struct{}{}
		}
	}
	if err := client.SetWindowSize(100, 30); err != nil {
		t.Fatal(err)
	}
	go client.Write([]byte("x"))
	if _, err := server.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	<-changed
	if cols, rows := server.WindowSize(); cols != 100 || rows != 30 {
		t.Errorf("window after resize %dx%d", cols, rows)
	}
}

// rawServer returns a Telnet server and the raw client end talking to it.
func rawServer(t *testing.T, opts ...Option) (raw net.Conn, server *Conn) {
	t.Helper()
	server, raw = rawPeer(t, func(c net.Conn) *Conn { return Server(c, opts...) })
	return raw, server
}

// expectBytes reads from raw until it has len(want) bytes.
func expectBytes(t *testing.T, raw net.Conn, want string) {
	t.Helper()
	raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(raw, got); err != nil {
		t.Fatalf("reading %q: %v (got %q)", want, err, got)
	}
	if string(got) != want {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

func TestServerOffersInOneWrite(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(time.Second))
	go server.Handshake(context.Background())
	// DO TTYPE, DO NAWS, DO NEW-ENVIRON, WILL BINARY, WILL SGA.
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03")
}

func TestServerWithSilentClient(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(100*time.Millisecond))
	go raw.Write([]byte("hello\r\n")) // netcat: data, and no answer
	start := time.Now()
	buf := make([]byte, 64)
	n, err := server.Read(buf)
	if err != nil || string(buf[:n]) != "hello\n" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 2*time.Second {
		t.Errorf("data path opened after %v, want the negotiation wait", d)
	}
	if _, err := server.Write([]byte("hi\n")); err != nil {
		t.Fatal(err)
	}
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03hi\r\n")
}

// TestServerScripted plays a telnetlib3-like client byte by byte.
func TestServerScripted(t *testing.T) {
	raw, server := rawServer(t)
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03")
	// Agree to all; the window size comes at once, with a 0xFF in it.
	raw.Write([]byte("\xff\xfd\x00\xff\xfd\x03\xff\xfb\x18\xff\xfb\x1f\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0\xff\xfb\x27"))
	// The server asks for binary from us, and for the terminal type.
	expectBytes(t, raw, "\xff\xfd\x00\xff\xfa\x18\x01\xff\xf0")
	raw.Write([]byte("\xff\xfb\x00\xff\xfa\x18\x00xterm\xff\xf0"))
	expectBytes(t, raw, "\xff\xfa\x18\x01\xff\xf0")
	raw.Write([]byte("\xff\xfa\x18\x00xterm\xff\xf0"))
	// The cycle ends at the repeat: then the environment and echo.
	expectBytes(t, raw, "\xff\xfa\x27\x01\x00USER\x00LOGNAME\x00DISPLAY\x00LANG\x00TERM\x00TERM_PROGRAM"+
		"\x00COLUMNS\x00LINES\x00COLORTERM\x00EDITOR\x00IPADDRESS\x00\x03\xff\xf0\xff\xfb\x01")
	raw.Write([]byte("\xff\xfa\x27\x00\x00TERM\x01xterm\x00USER\xff\xf0\xff\xfd\x01"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if cols, rows := server.WindowSize(); cols != 255 || rows != 24 {
		t.Errorf("window %dx%d", cols, rows)
	}
	if got, env := server.TerminalType(), server.Env(); got != "xterm" || len(env) != 1 || env["TERM"] != "xterm" {
		t.Errorf("terminal %q env %v", got, env)
	}
}

func TestServerSkipsEchoForMUDClients(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(300*time.Millisecond))
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03")
	raw.Write([]byte("\xff\xfc\x00\xff\xfe\x03\xff\xfb\x18\xff\xfc\x1f\xff\xfc\x27"))
	for _, name := range []string{"TINTIN++", "xterm", "MTTS 783"} {
		expectBytes(t, raw, "\xff\xfa\x18\x01\xff\xf0")
		raw.Write([]byte("\xff\xfa\x18\x00" + name + "\xff\xf0"))
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if server.OptionEnabled(negotiate.Local, negotiate.Echo) {
		t.Error("echo enabled for a MUD client")
	}
	go server.Write([]byte("x"))
	expectBytes(t, raw, "x") // no WILL ECHO before the data
	if got := server.TerminalTypes(); strings.Join(got, ",") != "TINTIN++,xterm,MTTS 783" {
		t.Errorf("terminal types %q", got)
	}
	if got := server.TerminalType(); got != "xterm" {
		t.Errorf("terminal type %q", got)
	}
}

// TestReadLineEndings sends every kind of Enter real clients send, in NVT
// mode, and reads lines with bufio.Scanner.
func TestReadLineEndings(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0))
	go raw.Write([]byte("crnul\r\x00crlf\r\nlf\nbare cr\r"))
	sc := bufio.NewScanner(server)
	var lines []string
	for i := 0; i < 4 && sc.Scan(); i++ {
		lines = append(lines, sc.Text())
	}
	if strings.Join(lines, "|") != "crnul|crlf|lf|bare cr" {
		t.Errorf("lines %q", lines)
	}
}

func TestReadCRNULSplit(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0))
	server.Handshake(context.Background())
	raw.Write([]byte("a\r"))
	buf := make([]byte, 10)
	n, _ := server.Read(buf)
	raw.Write([]byte("\x00b"))
	m, _ := server.Read(buf[n:])
	if got := string(buf[:n+m]); got != "a\nb" {
		t.Errorf("read %q, want %q", got, "a\nb")
	}
}

func TestWriteNVT(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		wire   string
	}{
		{"LF", []string{"a\nb"}, "a\r\nb"},
		{"CRLF", []string{"a\r\nb"}, "a\r\nb"},
		{"bare CR", []string{"a\rb"}, "a\r\x00b"},
		{"IAC", []string{"\xff\xff"}, "\xff\xff\xff\xff"},
		{"CR then LF", []string{"a\r", "\nb"}, "a\r\nb"},
		{"CR then text", []string{"a\r", "b"}, "a\r\x00b"},
		{"plain", []string{"plain text"}, "plain text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, server := rawServer(t, WithNegotiationTimeout(0),
				WithLocalOption(negotiate.Binary, Refuse), WithLocalOption(negotiate.SGA, Refuse),
				WithRemoteOption(negotiate.TTYPE, Refuse), WithRemoteOption(negotiate.NAWS, Refuse),
				WithRemoteOption(negotiate.NewEnviron, Refuse))
			for _, w := range tc.writes {
				n, err := server.Write([]byte(w))
				if n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			expectBytes(t, raw, tc.wire)
		})
	}
}

func TestWriteModes(t *testing.T) {
	for _, tc := range []struct {
		mode    writeMode
		afterCR bool
		in      string
		wire    string
	}{
		{writeRaw, false, "a\nb\rc\xff", "a\nb\rc\xff\xff"},
		{writeBinaryText, false, "a\nb\rc\r\nd\xff", "a\r\nb\rc\r\nd\xff\xff"},
		{writeBinaryText, true, "\nx", "\nx"},
		{writeNVT, false, "a\nb\rc\r\nd\xff", "a\r\nb\r\x00c\r\nd\xff\xff"},
		{writeNVT, true, "x", "\x00x"},
		{writeNVT, true, "\nx", "\nx"},
		{writeNVT, false, "end\r", "end\r"},
	} {
		// changes may be cautious, never wrong.
		if tc.in != tc.wire && !tc.mode.changes([]byte(tc.in), tc.afterCR) {
			t.Errorf("mode %d: changes(%q) = false", tc.mode, tc.in)
		}
		got, _ := tc.mode.append(nil, []byte(tc.in), tc.afterCR)
		if string(got) != tc.wire {
			t.Errorf("mode %d after CR %v: %q encodes as %q, want %q", tc.mode, tc.afterCR, tc.in, got, tc.wire)
		}
		// Cut anywhere, the wire sent, then what sent says is owed, then
		// the rest of the input encoded is the whole wire.
		for wire := 0; wire <= len(tc.wire); wire++ {
			n, owed, cr := tc.mode.sent([]byte(tc.in), wire, tc.afterCR)
			rest, _ := tc.mode.append(nil, []byte(tc.in[n:]), cr)
			if got := tc.wire[:wire] + string(owed) + string(rest); got != tc.wire {
				t.Errorf("mode %d: cut after %d wire bytes of %q: resumed as %q, want %q", tc.mode, wire, tc.in, got, tc.wire)
			}
		}
	}
}

func TestFoldLineEnds(t *testing.T) {
	for _, tc := range []struct {
		reads []string
		want  string
	}{
		{[]string{"a\r\nb\r\x00c\rd\ne"}, "a\nb\nc\nd\ne"},
		{[]string{"a\r", "\nb"}, "a\nb"},
		{[]string{"a\r", "\x00b"}, "a\nb"},
		{[]string{"a\r", "b"}, "a\nb"},
		{[]string{"a\r", "\r", "\n"}, "a\n\n"},
		{[]string{"\r\n\r\n"}, "\n\n"},
		{[]string{"no line end"}, "no line end"},
	} {
		c := &Conn{}
		var got []byte
		for _, r := range tc.reads {
			buf := []byte(r)
			got = append(got, buf[:c.foldLineEnds(buf)]...)
		}
		if string(got) != tc.want {
			t.Errorf("%q reads as %q, want %q", tc.reads, got, tc.want)
		}
	}
}

// TestReadNeverEmpty sends protocol alone, then data: Read must not
// return 0, nil in between.
func TestReadNeverEmpty(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0))
	server.Handshake(context.Background())
	go func() {
		raw.Write([]byte("\xff\xf1"))
		time.Sleep(20 * time.Millisecond)
		raw.Write([]byte("\xff\xfa\x18\x00x\xff\xf0"))
		time.Sleep(20 * time.Millisecond)
		raw.Write([]byte("data"))
	}()
	buf := make([]byte, 10)
	n, err := server.Read(buf)
	if n == 0 || err != nil || string(buf[:n]) != "data" {
		t.Errorf("Read = %d %q, %v", n, buf[:n], err)
	}
}

// TestBusyboxReoffers plays busybox's telnet, which answers every DONT
// with a new WILL: the refusals must stop.
func TestBusyboxReoffers(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0), WithRemoteOption(negotiate.NAWS, Refuse))
	server.Handshake(context.Background())
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03")
	var refusals int
	buf := make([]byte, 64)
	go func() {
		b := make([]byte, 64)
		for {
			if _, err := server.Read(b); err != nil {
				return
			}
		}
	}()
	raw.Write([]byte("\xff\xfb\x1f"))
	for {
		raw.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		n, err := raw.Read(buf)
		if err != nil {
			break
		}
		for i := 0; i+2 < n+1 && i+2 < len(buf); i += 3 {
			if bytes.Equal(buf[i:i+3], []byte("\xff\xfe\x1f")) {
				refusals++
				raw.Write([]byte("\xff\xfb\x1f")) // busybox: WILL again
			}
		}
		if refusals > 100 {
			break
		}
	}
	if refusals == 0 || refusals > 10 {
		t.Errorf("%d refusals of NAWS, want a few", refusals)
	}
}

func TestConcurrentReadWrite(t *testing.T) {
	client, server := pair(t, nil, nil)
	client.SetReadDeadline(time.Time{})
	const total = 1 << 20
	var wg sync.WaitGroup
	for _, c := range []*Conn{client, server} {
		wg.Add(2)
		go func() {
			defer wg.Done()
			chunk := bytes.Repeat([]byte("0123456789abcde\xff"), 256)
			for sent := 0; sent < total; sent += len(chunk) {
				if _, err := c.Write(chunk); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			n, err := io.CopyN(io.Discard, c, total)
			if n != total || err != nil {
				t.Errorf("read %d, %v", n, err)
			}
		}()
	}
	wg.Wait()
}

func TestCloseIsIdempotent(t *testing.T) {
	client, server := pair(t, nil, nil)
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := server.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read after peer close: %v", err)
	}
}

func TestHandshakeContext(t *testing.T) {
	_, server := rawServer(t, WithNegotiationTimeout(10*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := server.Handshake(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Handshake = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Handshake took %v", d)
	}
}

func TestListenAndDial(t *testing.T) {
	l, err := Listen("tcp", "127.0.0.1:0", WithNegotiationTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := l.Accept()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			t.Error(err)
			return
		}
		tc := c.(*Conn)
		c.Write([]byte("term=" + tc.TerminalType() + " got " + line))
	}()
	c, err := Dial("tcp", l.Addr().String(), WithTerminalType("VT100"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("ping\n"))
	reply, err := io.ReadAll(c)
	if err != nil || string(reply) != "term=VT100 got ping\n" {
		t.Errorf("reply %q, %v", reply, err)
	}
	wg.Wait()
}

func TestOnChange(t *testing.T) {
	client, server := pair(t, []Option{WithWindowSize(90, 20)}, nil)
	got := make(chan [2]int, 4)
	stop := server.OnChange(func(ch Change) {
		if ch.Kind == ChangeWindowSize {
			cols, rows := server.WindowSize()
			got <- [2]int{cols, rows}
		}
	})
	go func() { io.Copy(io.Discard, server) }()
	client.SetWindowSize(91, 21)
	if s := <-got; s != [2]int{91, 21} {
		t.Errorf("size %v", s)
	}
	stop()
	client.SetWindowSize(92, 22)
	client.Write([]byte("x")) // after the resize, on the same stream
	time.Sleep(50 * time.Millisecond)
	select {
	case s := <-got:
		t.Errorf("change %v reported after stop", s)
	default:
	}
}

// TestUnterminatedSubnegotiation plays the npm telnet-client, which
// answers TTYPE SEND with a bare IAC SB TTYPE and then sends the user's
// input: the input must still arrive.
func TestUnterminatedSubnegotiation(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0))
	server.Handshake(context.Background())
	raw.Write([]byte("\xff\xfa\x18"))
	time.Sleep(50 * time.Millisecond)
	raw.Write([]byte("hello\r\n"))
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	line, err := bufio.NewReader(server).ReadString('\n')
	if err != nil || line != "hello\n" {
		t.Fatalf("read %q, %v", line, err)
	}
	if d := time.Since(start); d < subnegotiationWait/2 {
		t.Errorf("SB given up after %v", d)
	}
	// The stream goes on normally after.
	raw.Write([]byte("\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0next\n"))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(server, buf); err != nil || string(buf) != "next\n" {
		t.Errorf("then read %q, %v", buf, err)
	}
}

// TestPeerNeverAnswersSend plays tintin++, which agrees to NEW-ENVIRON
// but never answers an empty SEND: the handshake ends at the wait, with
// what did arrive.
func TestPeerNeverAnswersSend(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(300*time.Millisecond))
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- server.Handshake(context.Background()) }()
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03")
	raw.Write([]byte("\xff\xfc\x18\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfb\x27\xff\xfe\x00\xff\xfd\x03"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("handshake ended after %v, before the wait", d)
	}
	if cols, rows := server.WindowSize(); cols != 80 || rows != 24 {
		t.Errorf("window %dx%d", cols, rows)
	}
}

// TestPeerAcknowledgesRefusals plays Python's telnetlib and nc -t, which
// answer every DO and WILL with a refusal, and every DONT and WONT with
// the opposite refusal: the exchange must end.
func TestPeerAcknowledgesRefusals(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(2*time.Second))
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	answers := map[byte]byte{0xfb: 0xfe, 0xfc: 0xfe, 0xfd: 0xfc, 0xfe: 0xfc} // WILL,WONT->DONT; DO,DONT->WONT
	var received int
	buf := make([]byte, 3)
	for {
		raw.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := io.ReadFull(raw, buf); err != nil {
			break // quiet: the exchange is over
		}
		received++
		if received > 50 {
			t.Fatal("the server keeps negotiating with a peer that refuses everything")
		}
		raw.Write([]byte{0xff, answers[buf[1]], buf[2]})
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The 5 offers, and WILL ECHO once the terminal type is known (here:
	// refused).
	if received != 6 {
		t.Errorf("server sent %d negotiations, want its 6 offers", received)
	}
}

func TestSendPromptMarks(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0), WithRemoteOption(negotiate.TTYPE, Refuse),
		WithRemoteOption(negotiate.NAWS, Refuse), WithRemoteOption(negotiate.NewEnviron, Refuse),
		WithLocalOption(negotiate.Binary, Refuse), WithLocalOption(negotiate.SGA, Refuse))
	server.SendGoAhead()
	server.SendEndOfRecord() // EOR is off: nothing
	server.Write([]byte("> "))
	expectBytes(t, raw, "\xff\xf9> ")
}

// append appends p to dst as it goes on the wire in mode m, and returns
// the extended buffer and whether p ended with a CR.
func (m writeMode) append(dst, p []byte, afterCR bool) ([]byte, bool) {
	dst, _, endsCR := m.appendWire(dst, nil, p, afterCR)
	return dst, endsCR
}
