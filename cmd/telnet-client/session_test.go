package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

// A fakeTerminal records what the session does to the terminal.
type fakeTerminal struct {
	mu         sync.Mutex
	raw        bool
	restores   int
	cols, rows int
	slc        *negotiate.SLCTable // the terminal's characters; nil: unknown
	flow       [2]bool             // XON/XOFF flow control, and restart-any
}

func (f *fakeTerminal) makeRaw() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw = true
	return nil
}

func (f *fakeTerminal) restore() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw = false
	f.restores++
	return nil
}

func (f *fakeTerminal) size() (int, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cols, f.rows, nil
}

func (f *fakeTerminal) specialChars() *negotiate.SLCTable {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.slc
}

func (f *fakeTerminal) setFlowControl(on, restartAny bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flow = [2]bool{on, restartAny}
	return nil
}

func (f *fakeTerminal) flowControl() (on, restartAny bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flow[0], f.flow[1]
}

func (f *fakeTerminal) setSize(cols, rows int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cols, f.rows = cols, rows
}

// A testClient is a session run in the test, with a keyboard the test
// types on and a screen it reads.
type testClient struct {
	t      *testing.T
	keys   *os.File // what is typed
	screen *screenRecorder
	term   *fakeTerminal // nil for a pipe
	conn   *telnet.Conn
	stop   chan os.Signal
	resize chan os.Signal
	result chan result
}

// startClient runs a session against addr with the command line args
// (options only; the address is added). With term nil, it is a pipe.
func startClient(t *testing.T, addr string, term *fakeTerminal, args ...string) *testClient {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	o, err := parseArgs(append(args, host, port), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var tty terminal
	cols, rows := 0, 0
	if term != nil {
		tty = term
		cols, rows, _ = term.size()
	}
	log := slog.New(slog.DiscardHandler)
	conn, err := telnet.Dial("tcp", addr, dialOptions(o, func(string) string { return "" }, log, tty, cols, rows)...)
	if err != nil {
		t.Fatal(err)
	}
	keysR, keysW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &testClient{t: t, keys: keysW, screen: newScreenRecorder(), term: term, conn: conn,
		stop: make(chan os.Signal, 1), resize: make(chan os.Signal, 1), result: make(chan result, 1)}
	s := newSession(o, conn, tty, log)
	s.in, s.interruptInput, s.screen = keysR, func() error { return keysR.SetReadDeadline(aLongTimeAgo) }, newScreen(c.screen)
	s.stop, s.resize = c.stop, c.resize
	go func() { c.result <- s.run(context.Background()) }()
	t.Cleanup(func() {
		select {
		case c.stop <- syscall.SIGTERM:
		default:
		}
		select {
		case <-c.result:
		case <-time.After(waitTime):
			t.Error("the session did not end")
		}
		conn.Close()
		keysR.Close()
		keysW.Close()
	})
	return c
}

// typeKeys types s on the keyboard.
func (c *testClient) typeKeys(s string) {
	c.t.Helper()
	if _, err := c.keys.Write([]byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

// end waits for the session to end and returns how.
func (c *testClient) end() result {
	c.t.Helper()
	select {
	case r := <-c.result:
		c.result <- r // for the cleanup
		return r
	case <-time.After(waitTime):
		c.t.Fatal("the session did not end")
	}
	return result{}
}

// checkRestored checks that the terminal was made raw and given back.
func (c *testClient) checkRestored() {
	c.t.Helper()
	c.term.mu.Lock()
	defer c.term.mu.Unlock()
	if c.term.raw || c.term.restores == 0 {
		c.t.Errorf("terminal raw=%v after %d restores; want it restored", c.term.raw, c.term.restores)
	}
}

// A password prompt on a line-mode server: the client echoes the name
// itself, stops echoing at WILL ECHO, and echoes again at WONT ECHO.
func TestSessionPasswordPromptLineMode(t *testing.T) {
	srv := startServer(t, telnet.WithLocalOption(negotiate.SGA, telnet.Refuse),
		telnet.WithLocalOption(negotiate.Echo, telnet.Refuse))
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	passwordDialog(t, c, p)
}

// The same dialog with a server that suppresses go-ahead: keys go one at
// a time, echoed by the client until the server says WILL ECHO.
func TestSessionPasswordPromptRawMode(t *testing.T) {
	srv := startServer(t, telnet.WithLocalOption(negotiate.Echo, telnet.Refuse))
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	passwordDialog(t, c, p)
}

func passwordDialog(t *testing.T, c *testClient, p *peer) {
	t.Helper()
	p.send("login: ")
	at := c.screen.waitFor(t, "login: ", 0)
	c.typeKeys("joe\r")
	at = c.screen.waitFor(t, "joe\r\n", at)
	p.expectLine("joe")

	p.setEcho(true)
	p.send("Password: ")
	at = c.screen.waitFor(t, "Password: ", at)
	c.typeKeys("secret\r")
	p.expectLine("secret")
	p.setEcho(false)
	p.send("\r\nwelcome\r\n$ ")
	end := c.screen.waitFor(t, "$ ", at)
	if shown := c.screen.String()[at:end]; strings.Contains(shown, "secret") {
		t.Errorf("the password was echoed: %q", shown)
	}
	c.typeKeys("ls\r")
	c.screen.waitFor(t, "ls\r\n", end)
	p.expectLine("ls")
}

func TestSessionEscapeCloses(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	p.send("$ ")
	at := c.screen.waitFor(t, "$ ", 0)
	c.typeKeys("\x1d")
	if r := c.end(); r.end != endUser {
		t.Errorf("ended with %+v, want endUser", r)
	}
	if got, want := c.screen.String()[at:], "\x1b[m\r\nConnection closed.\r\n"; got != want {
		t.Errorf("screen ends with %q, want %q", got, want)
	}
	c.checkRestored()
	p.expectClosed()
}

func TestSessionForeignClose(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	p.send("bye\r\n")
	c.screen.waitFor(t, "bye\r\n", 0)
	p.c.Close()
	if r := c.end(); r.end != endForeign || r.err != nil {
		t.Errorf("ended with %+v, want endForeign", r)
	}
	if got, want := c.screen.String(), "bye\r\nConnection closed by foreign host.\r\n"; got != want {
		t.Errorf("screen %q, want %q", got, want)
	}
	c.checkRestored()
}

func TestSessionSignal(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	c.stop <- syscall.SIGHUP
	if r := c.end(); r.end != endSignal || r.sig != syscall.SIGHUP {
		t.Errorf("ended with %+v, want endSignal SIGHUP", r)
	}
	c.checkRestored()
	p.expectClosed()
}

// In line mode ^C interrupts the server's process with IAC IP rather than
// going in the line.
func TestSessionInterruptInLineMode(t *testing.T) {
	srv := startServer(t, telnet.WithLocalOption(negotiate.SGA, telnet.Refuse),
		telnet.WithLocalOption(negotiate.Echo, telnet.Refuse))
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24})
	p := srv.accept(t)
	p.send("> ")
	c.screen.waitFor(t, "> ", 0)
	c.typeKeys("sleep 100\x03")
	select {
	case cmd := <-p.cmds:
		if cmd != negotiate.IP {
			t.Errorf("server got IAC %v, want IAC IP", cmd)
		}
	case <-time.After(waitTime):
		t.Fatal("no command")
	}
	c.typeKeys("x\r")
	p.expectLine("x")
}

// --raw-mode sends keys one at a time to a server that does not suppress
// go-ahead, echoing them since the server does not.
func TestSessionForceRaw(t *testing.T) {
	srv := startServer(t, telnet.WithLocalOption(negotiate.SGA, telnet.Refuse),
		telnet.WithLocalOption(negotiate.Echo, telnet.Refuse))
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24}, "--raw-mode")
	p := srv.accept(t)
	p.send("> ")
	at := c.screen.waitFor(t, "> ", 0)
	c.typeKeys("ab\x7fc\r")
	c.screen.waitFor(t, "ab\b \bc\r\n", at)
	p.expectLine("ab\x7fc") // the server, not the client, erases
}

func TestSessionEncodingLatin1(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24}, "--encoding", "latin-1")
	p := srv.accept(t)
	p.send("caf\xe9\r\n")
	c.screen.waitFor(t, "café\r\n", 0)
	c.typeKeys("déjà\r")
	p.expectLine("d\xe9j\xe0")
}

func TestSessionEncodingStrict(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24}, "--encoding", "ascii", "--encoding-errors", "strict")
	p := srv.accept(t)
	p.send("ok\xff\xff!")
	r := c.end()
	if r.end != endError || !errors.Is(r.err, charset.ErrInvalid) {
		t.Errorf("ended with %+v, want an encoding error", r)
	}
	// The Conn drops the invalid bytes and returns the error with the rest
	// of the read they came in, which is all of it unless TCP splits it.
	if got := c.screen.String(); got != "ok!" && got != "ok" {
		t.Errorf("screen %q, want the valid text alone", got)
	}
	c.checkRestored()
}

// A pipe sends its lines as the NVT wants and gets every end of line as
// "\n"; its end does not end the session, the server's close does.
func TestSessionPipe(t *testing.T) {
	srv := startServer(t)
	c := startClient(t, srv.addr, nil)
	p := srv.accept(t)
	c.typeKeys("one\ntwo\n")
	p.expectLine("one")
	p.expectLine("two")
	c.keys.Close()
	p.send("a\r\nb\n")
	c.screen.waitFor(t, "a\nb\n", 0)
	p.c.Close()
	if r := c.end(); r.end != endForeign {
		t.Errorf("ended with %+v, want endForeign", r)
	}
	if got := c.screen.String(); got != "a\nb\n" {
		t.Errorf("output %q, want no message in it", got)
	}
}

// In BINARY mode a pipe's lines end in a bare CR, as Enter on a terminal:
// a telnetd passes a CR LF to its pseudo-terminal, which reads two lines.
func TestSessionPipeBinary(t *testing.T) {
	addr, accepted := rawServer(t)
	c := startClient(t, addr, nil)
	raw := <-accepted
	raw.Write([]byte("\xff\xfd\x00")) // DO BINARY
	waitUntil(t, "BINARY from the client", func() bool { return c.conn.OptionEnabled(negotiate.Local, negotiate.Binary) })
	c.typeKeys("one\ntwo\r\nthree\n")
	e := negotiate.New(negotiate.Config{})
	var data []byte
	buf := make([]byte, 256)
	raw.SetReadDeadline(time.Now().Add(waitTime))
	for !bytes.HasSuffix(data, []byte("three\r")) {
		n, err := raw.Read(buf)
		if err != nil {
			t.Fatalf("after %q: %v", data, err)
		}
		data = append(data, buf[:e.Feed(buf[:n])]...)
	}
	if string(data) != "one\rtwo\rthree\r" {
		t.Errorf("the server got %q, want each end of line as a bare CR", data)
	}
}

// rawServer accepts one connection on 127.0.0.1 and hands it to the test
// as a plain TCP connection.
func rawServer(t testing.TB) (addr string, accepted <-chan net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan net.Conn, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := l.Accept()
		if err != nil {
			return
		}
		ch <- c
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		select {
		case c := <-ch:
			c.Close()
		default:
		}
	})
	return l.Addr().String(), ch
}

// readUntil reads c until what it got, with IAC commands taken out,
// ends with want.
func readUntil(t *testing.T, c net.Conn, want string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(waitTime))
	var got []byte
	buf := make([]byte, 256)
	for !strings.HasSuffix(string(withoutCommands(got)), want) {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("got %q, want it to end with %q: %v", withoutCommands(got), want, err)
		}
	}
}

// withoutCommands returns p without its IAC WILL, WONT, DO and DONT.
func withoutCommands(p []byte) []byte {
	var data []byte
	for i := 0; i < len(p); i++ {
		if p[i] == 0xff && i+2 < len(p) && p[i+1] >= 251 && p[i+1] <= 254 {
			i += 2
			continue
		}
		data = append(data, p[i])
	}
	return data
}

// The bytes of Enter on the wire, in each mode: CR LF in character mode,
// a bare CR once the client sends in BINARY mode, as inetutils telnet
// does, and CR LF in line mode.
func TestSessionEnterOnTheWire(t *testing.T) {
	addr, accepted := rawServer(t)
	c := startClient(t, addr, &fakeTerminal{cols: 80, rows: 24})
	var srv net.Conn
	select {
	case srv = <-accepted:
	case <-time.After(waitTime):
		t.Fatal("no connection")
	}
	steps := []struct {
		server string // bytes the server sends
		keys   string
		wire   string // what the server must then receive
	}{
		{"\xff\xfb\x01\xff\xfb\x03$ ", "ls\r", "ls\r\n"},                       // WILL ECHO, WILL SGA
		{"\xff\xfd\x00$ ", "pwd\r", "pwd\r"},                                   // DO BINARY
		{"\xff\xfe\x00\xff\xfc\x01\xff\xfc\x03> ", "a\xff\r", "a\xff\xff\r\n"}, // DONT BINARY, WONT ECHO, WONT SGA
	}
	at := 0
	for _, st := range steps {
		if _, err := io.WriteString(srv, st.server); err != nil {
			t.Fatal(err)
		}
		prompt := st.server[strings.LastIndexByte(st.server, 0xff)+3:]
		at = c.screen.waitFor(t, prompt, at)
		c.typeKeys(st.keys)
		readUntil(t, srv, st.wire)
	}
}

// What the client reports reaches the server: the terminal type, window
// size and speed, and from the environment only the variables of the
// allow-list, TERM being the terminal type and COLUMNS and LINES the
// window size.
func TestDialOptionsReachServer(t *testing.T) {
	srv := startServer(t, telnet.WithRemoteOption(negotiate.TSPEED, telnet.Request))
	env := map[string]string{"LANG": "fr_FR.UTF-8", "TERM": "ignored", "SECRET": "s3cr3t", "COLUMNS": "1"}
	getenv := func(k string) string { return env[k] }
	o, err := parseArgs([]string{"--term", "vt220", "--speed", "9600", "--send-environ", "TERM,LANG,COLUMNS,LINES,EDITOR", "h"}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := telnet.Dial("tcp", srv.addr, dialOptions(o, getenv, slog.New(slog.DiscardHandler), &fakeTerminal{}, 120, 40)...)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go io.Copy(io.Discard, conn) // answers the server's requests
	p := srv.accept(t)
	if got := p.c.TerminalType(); got != "vt220" {
		t.Errorf("terminal type %q, want vt220", got)
	}
	p.expectSize(120, 40)
	deadline := time.Now().Add(waitTime)
	for tx, _ := p.c.TerminalSpeed(); tx == 0 && time.Now().Before(deadline); tx, _ = p.c.TerminalSpeed() {
		time.Sleep(5 * time.Millisecond)
	}
	if tx, rx := p.c.TerminalSpeed(); tx != 9600 || rx != 9600 {
		t.Errorf("speed %d,%d, want 9600,9600", tx, rx)
	}
	want := map[string]string{"TERM": "vt220", "LANG": "fr_FR.UTF-8", "COLUMNS": "120", "LINES": "40"}
	if got := p.c.Env(); !maps.Equal(got, want) {
		t.Errorf("server env %v, want %v", got, want)
	}
}

func TestSettle(t *testing.T) {
	const pokes, every = 15, 20 * time.Millisecond
	tests := []struct {
		name             string
		term             terminal
		minWait, maxWait time.Duration
		poke             bool // change the mode every 20 ms, 15 times
		atLeast, atMost  time.Duration
	}{
		{"a terminal waits for the mode to stay put", &fakeTerminal{}, 0, time.Minute, true, pokes * every, 2 * time.Second},
		{"a terminal with a quiet server", &fakeTerminal{}, 0, time.Minute, false, 200 * time.Millisecond, 2 * time.Second},
		{"at least minWait", &fakeTerminal{}, 500 * time.Millisecond, time.Minute, false, 500 * time.Millisecond, 2 * time.Second},
		{"at most maxWait", &fakeTerminal{}, time.Minute, 100 * time.Millisecond, true, 100 * time.Millisecond, time.Second},
		{"a pipe does not wait for the mode", nil, 0, time.Minute, true, 0, 150 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &session{term: tt.term, minWait: tt.minWait, maxWait: tt.maxWait,
				quiet: 200 * time.Millisecond, modeChanged: make(chan struct{}, 1)}
			start := time.Now()
			settled := make(chan time.Duration, 1)
			go func() {
				s.settle(make(chan struct{}))
				settled <- time.Since(start)
			}()
			if tt.poke {
				for range pokes {
					select {
					case s.modeChanged <- struct{}{}:
					default:
					}
					time.Sleep(every)
				}
			}
			took := <-settled
			if took < tt.atLeast || took > tt.atMost {
				t.Errorf("settled after %v, want between %v and %v", took, tt.atLeast, tt.atMost)
			}
		})
	}
}

func TestSettleEnds(t *testing.T) {
	s := &session{minWait: time.Minute, maxWait: time.Minute, quiet: time.Minute, modeChanged: make(chan struct{}, 1)}
	done := make(chan struct{})
	close(done)
	if s.settle(done) {
		t.Error("settle reported true for a session that ended")
	}
}

// waitUntil polls ok until it holds.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > waitTime {
			t.Fatalf("never: %s", what)
		}
	}
}

// expectCommand waits for the server to get IAC cmd.
func (p *peer) expectCommand(cmd negotiate.Command) {
	p.t.Helper()
	select {
	case got := <-p.cmds:
		if got != cmd {
			p.t.Errorf("server got IAC %v, want IAC %v", got, cmd)
		}
	case <-time.After(waitTime):
		p.t.Fatalf("no IAC %v", cmd)
	}
}

// Under LINEMODE the client edits lines with its terminal's characters
// and sends them whole; under TRAPSIG ^C sends IAC IP; without EDIT, keys
// go as typed; and the terminal's flow control follows LFLOW.
func TestSessionLinemode(t *testing.T) {
	srv := startServer(t, telnet.WithLineMode(), telnet.WithRemoteOption(negotiate.LFLOW, telnet.Request))
	slc := negotiate.DefaultSLC()
	slc.Set(negotiate.SLCEL, negotiate.SLCValue, 0x18) // the terminal's kill character is ^X
	term := &fakeTerminal{cols: 80, rows: 24, slc: slc}
	c := startClient(t, srv.addr, term)
	p := srv.accept(t)
	edit := negotiate.LinemodeEdit | negotiate.LinemodeTrapSig
	waitUntil(t, "MODE EDIT|TRAPSIG", func() bool { m, ok := p.c.Linemode(); return ok && m == edit })
	if s, _ := p.c.SLC(); s.Get(negotiate.SLCEL).Value != 0x18 {
		t.Errorf("the server's EL is %v, want the terminal's ^X", s.Get(negotiate.SLCEL))
	}
	p.send("> ")
	at := c.screen.waitFor(t, "> ", 0)
	c.typeKeys("hello wrld\x7f\x7f\x7forld\r")
	p.expectLine("hello world")
	at = c.screen.waitFor(t, "hello wrld\b \b\b \b\b \borld\r\n", at) // echoed here
	c.typeKeys("junk\x18ok\r")
	p.expectLine("ok")
	c.typeKeys("sleep 100\x03")
	p.expectCommand(negotiate.IP)
	c.screen.waitFor(t, "^C\r\n", at)

	// Character mode under LINEMODE: keys go as typed, ^C still as IAC IP.
	if err := p.c.RequestLinemode(negotiate.LinemodeTrapSig); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "MODE TRAPSIG", func() bool { m, _ := c.conn.Linemode(); return m == negotiate.LinemodeTrapSig })
	c.typeKeys("ab\x7f\x03")
	p.expectCommand(negotiate.IP)
	c.typeKeys("\r")
	p.expectLine("ab\x7f") // the server, not the client, erases now

	waitUntil(t, "flow control on", func() bool { on, any := term.flowControl(); return on && !any })
	if err := p.c.SetFlowControl(true, true); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "restart any", func() bool { on, any := term.flowControl(); return on && any })
	if err := p.c.SetFlowControl(false, false); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "flow control off", func() bool { on, _ := term.flowControl(); return !on })
}

// A mode forced on the keyboard is one the server's MODE could not
// change: the client refuses LINEMODE then.
func TestSessionForcedModeRefusesLinemode(t *testing.T) {
	for _, flag := range []string{"--raw-mode", "--line-mode"} {
		t.Run(flag, func(t *testing.T) {
			srv := startServer(t, telnet.WithLineMode())
			startClient(t, srv.addr, &fakeTerminal{cols: 80, rows: 24}, flag)
			p := srv.accept(t)
			p.send("> ") // the client has answered DO LINEMODE before this
			waitUntil(t, "an answer to DO LINEMODE", func() bool {
				return !p.c.OptionEnabled(negotiate.Remote, negotiate.Linemode)
			})
			if _, on := p.c.Linemode(); on {
				t.Error("LINEMODE agreed with a forced mode")
			}
		})
	}
}
