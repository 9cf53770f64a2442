//go:build unix

package telnet

// Interoperability tests against real Telnet programs, on 127.0.0.1 only.
//
// A test whose program is not installed is skipped, unless TELNET_INTEROP=1
// is set (as .ci/run does), in which case it fails. The Debian 12 packages:
// inetutils-telnet, inetutils-telnetd, busybox-static, netcat-openbsd and
// python3 (whose telnetlib is gone from Python 3.13).

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/telnetkit/telnet/negotiate"
)

// interopRequired reports whether a missing program fails the test rather
// than skipping it.
func interopRequired() bool { return os.Getenv("TELNET_INTEROP") == "1" }

// needProgram returns the path of the first of names that is installed,
// or skips the test (fails it when TELNET_INTEROP=1).
func needProgram(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	missing(t, "none of %q is installed", names)
	return ""
}

// missing skips the test, or fails it when TELNET_INTEROP=1.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if interopRequired() {
		t.Fatalf("%s (TELNET_INTEROP=1)", msg)
	}
	t.Skipf("%s; set TELNET_INTEROP=1 to make this a failure", msg)
}

// needBusyboxApplet returns the path of a busybox that has the applet.
// Debian's busybox package has no telnetd; busybox-static has both.
func needBusyboxApplet(t *testing.T, applet string) string {
	t.Helper()
	bb := needProgram(t, "busybox")
	out, err := exec.Command(bb, "--list").Output()
	if err != nil || !slices.Contains(strings.Fields(string(out)), applet) {
		missing(t, "%s has no %s applet (install busybox-static)", bb, applet)
	}
	return bb
}

// interopEnv is the environment of the programs started: no TERM, USER,
// DISPLAY or other variable leaks from the test's own environment.
func interopEnv(extra ...string) []string {
	return append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + os.TempDir(), "LANG=C"}, extra...)
}

// testLogger returns a logger of the Conn's negotiation into the test log
// under -v, and a discarding one otherwise.
func testLogger(t *testing.T) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// startProcess starts cmd and registers its killing at cleanup. The
// returned channel is closed once the process has exited.
func startProcess(t *testing.T, cmd *exec.Cmd) <-chan struct{} {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { stopProcess(t, cmd, exited) })
	return exited
}

// stopProcess kills cmd unless it has exited, and waits for it a while.
func stopProcess(t *testing.T, cmd *exec.Cmd, exited <-chan struct{}) {
	select {
	case <-exited:
		return
	default:
	}
	cmd.Process.Kill()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Errorf("%s (pid %d) did not exit after SIGKILL", cmd.Path, cmd.Process.Pid)
	}
}

// output collects what a program writes, for waitFor.
type output struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	closed bool
	err    error
	more   chan struct{} // closed and replaced at each write
}

func newOutput() *output { return &output{more: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.more)
	o.more = make(chan struct{})
	return len(p), nil
}

// copyFrom reads r into o until an error.
func (o *output) copyFrom(r io.Reader) {
	_, err := io.Copy(o, r)
	o.mu.Lock()
	o.closed, o.err = true, err
	close(o.more)
	o.more = make(chan struct{})
	o.mu.Unlock()
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor waits until the output contains want, after index from, and
// returns the index just past it. It fails the test after timeout.
func (o *output) waitFor(t *testing.T, want string, from int, timeout time.Duration) int {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		data, more, closed := o.buf.Bytes(), o.more, o.closed
		if i := bytes.Index(data[min(from, len(data)):], []byte(want)); i >= 0 {
			o.mu.Unlock()
			return min(from, len(data)) + i + len(want)
		}
		o.mu.Unlock()
		if closed {
			t.Fatalf("output ended without %q; got %q", want, o.String())
		}
		select {
		case <-more:
		case <-deadline.C:
			t.Fatalf("no %q after %v; got %q", want, timeout, o.String())
		}
	}
}

// ptyProgram is a program running on a pseudo-terminal.
type ptyProgram struct {
	tty  *os.File // the master side
	out  *output
	stop func() // kills the program
}

// startOnPTY starts argv on a new pseudo-terminal of cols x rows, with
// env, and kills it at cleanup.
func startOnPTY(t *testing.T, cols, rows int, env []string, argv ...string) *ptyProgram {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	// The size is set before the program starts (pty.Setsize inside),
	// for a program that reads it once, at start.
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatalf("start %s on a pty: %v", argv[0], err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	p := &ptyProgram{tty: tty, out: newOutput(), stop: func() { stopProcess(t, cmd, exited) }}
	copied := make(chan struct{})
	go func() { p.out.copyFrom(tty); close(copied) }()
	t.Cleanup(func() {
		stopProcess(t, cmd, exited)
		tty.Close()
		select {
		case <-copied:
		case <-time.After(5 * time.Second):
			t.Errorf("the pty of %s was not closed", argv[0])
		}
	})
	return p
}

// typeLine types s and Enter (CR, as a terminal sends it).
func (p *ptyProgram) typeLine(t *testing.T, s string) {
	t.Helper()
	if _, err := p.tty.Write([]byte(s + "\r")); err != nil {
		t.Fatalf("typing %q: %v", s, err)
	}
}

// session is what the echo server learned from one client.
type session struct {
	term       string
	types      []string
	cols, rows int
	env        map[string]string
	handshake  time.Duration
	lines      []string // the lines received, in order
	err        error    // how the session ended, if not by EOF
	echo, sga  bool     // our WILL ECHO, WILL SGA were accepted
	binaryIn   bool     // the client sends binary
}

// echoServer is a Telnet server on 127.0.0.1 that greets each client
// with what was negotiated, then echoes each line back with a prefix.
type echoServer struct {
	addr     string
	sessions chan *session // one per connection, when it ends
	greeted  chan *session // one per connection, after the greeting
	sizes    chan [2]int   // each window size the clients report
}

// greeting is the line the echo server writes after the handshake.
func greeting(s *session) string {
	var env []string
	for _, k := range slices.Sorted(maps.Keys(s.env)) {
		env = append(env, k+"="+s.env[k])
	}
	return fmt.Sprintf("term=%s size=%dx%d env=%s\r\n", s.term, s.cols, s.rows, strings.Join(env, ","))
}

const echoPrefix = "echo: "

// startEchoServer starts an echo server with the given options, and
// stops it at cleanup.
func startEchoServer(t *testing.T, opts ...Option) *echoServer {
	t.Helper()
	s := &echoServer{sessions: make(chan *session, 8), greeted: make(chan *session, 8), sizes: make(chan [2]int, 16)}
	onChange := func(c *Conn, ch Change) {
		if ch.Kind == ChangeWindowSize {
			cols, rows := c.WindowSize()
			select {
			case s.sizes <- [2]int{cols, rows}:
			default:
			}
		}
	}
	opts = append([]Option{WithLogger(testLogger(t)), WithOnChange(onChange)}, opts...)
	l, err := Listen("tcp", "127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				s.sessions <- s.serve(c.(*Conn))
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

func (s *echoServer) serve(c *Conn) *session {
	ses := &session{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.Handshake(ctx); err != nil {
		ses.err = fmt.Errorf("handshake: %w", err)
		return ses
	}
	ses.handshake = time.Since(start)
	ses.term, ses.types, ses.env = c.TerminalType(), c.TerminalTypes(), c.Env()
	ses.cols, ses.rows = c.WindowSize()
	ses.echo = c.OptionEnabled(negotiate.Local, negotiate.Echo)
	ses.sga = c.OptionEnabled(negotiate.Local, negotiate.SGA)
	ses.binaryIn = c.OptionEnabled(negotiate.Remote, negotiate.Binary)
	c.SetDeadline(time.Now().Add(20 * time.Second)) // no session outlives a test
	if _, err := io.WriteString(c, greeting(ses)); err != nil {
		ses.err = err
		return ses
	}
	greeted := *ses
	s.greeted <- &greeted
	sc := bufio.NewScanner(c) // every kind of Enter reads as "\n"
	for sc.Scan() {
		ses.lines = append(ses.lines, sc.Text())
		if _, err := io.WriteString(c, echoPrefix+sc.Text()+"\r\n"); err != nil {
			ses.err = err
			return ses
		}
	}
	ses.err = sc.Err()
	return ses
}

// waitSession returns the next session that ends, or fails the test.
func (s *echoServer) waitSession(t *testing.T, ch chan *session) *session {
	t.Helper()
	select {
	case ses := <-ch:
		return ses
	case <-time.After(15 * time.Second):
		t.Fatal("no session on the echo server")
		return nil
	}
}

// waitSize waits until a client reports the window size cols x rows.
func (s *echoServer) waitSize(t *testing.T, cols, rows int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var seen [][2]int
	for {
		select {
		case size := <-s.sizes:
			if size == [2]int{cols, rows} {
				return
			}
			seen = append(seen, size)
		case <-timeout:
			t.Fatalf("no window size %dx%d; saw %v", cols, rows, seen)
		}
	}
}

func (ses *session) String() string {
	return fmt.Sprintf("term=%q types=%q size=%dx%d env=%q handshake=%v echo=%v sga=%v binary-in=%v",
		ses.term, ses.types, ses.cols, ses.rows, ses.env, ses.handshake.Round(time.Millisecond),
		ses.echo, ses.sga, ses.binaryIn)
}

// TestInteropServerPTYClients drives the Telnet clients that need a
// terminal against the echo server: the client runs on a 100x30 pty with
// TERM=xterm; the server must learn the terminal type and window size,
// and a line typed in the client must come back.
func TestInteropServerPTYClients(t *testing.T) {
	for _, tc := range []struct {
		name    string
		program func(t *testing.T) []string // argv before host and port
		env     []string
		wantEnv map[string]string
		resizes bool // sends NAWS again on SIGWINCH
	}{
		{
			// inetutils sends, of its environment, only the exported
			// variables: USER (set by -l), DISPLAY (":5" rewritten as
			// "localhost:5") and PRINTER; not TERM, LANG or HOME.
			name: "inetutils",
			program: func(t *testing.T) []string {
				return []string{needProgram(t, "inetutils-telnet", "telnet"), "-c", "-l", "tester"}
			},
			env:     []string{"DISPLAY=:5", "PRINTER=lp0"},
			wantEnv: map[string]string{"USER": "tester", "DISPLAY": "localhost:5", "PRINTER": "lp0"},
			resizes: true,
		},
		{
			// busybox refuses NEW-ENVIRON, and reports the window
			// size only once (it has no SIGWINCH handler).
			name: "busybox",
			program: func(t *testing.T) []string {
				return []string{needBusyboxApplet(t, "telnet"), "telnet"}
			},
			env:     []string{"DISPLAY=:5", "USER=tester"},
			wantEnv: map[string]string{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv := tc.program(t)
			srv := startEchoServer(t)
			host, port, _ := net.SplitHostPort(srv.addr)
			start := time.Now()
			p := startOnPTY(t, 100, 30, interopEnv(append([]string{"TERM=xterm"}, tc.env...)...),
				append(argv, host, port)...)

			greeted := srv.waitSession(t, srv.greeted)
			t.Logf("%s: %v", tc.name, greeted)
			if !strings.EqualFold(greeted.term, "xterm") {
				t.Errorf("terminal type %q, want xterm", greeted.term)
			}
			if greeted.cols != 100 || greeted.rows != 30 {
				t.Errorf("window size %dx%d, want 100x30", greeted.cols, greeted.rows)
			}
			if !mapsEqual(greeted.env, tc.wantEnv) {
				t.Errorf("env %q, want %q", greeted.env, tc.wantEnv)
			}
			if !greeted.echo {
				t.Errorf("the client refused the server's echo")
			}
			at := p.out.waitFor(t, greeting(greeted), 0, 10*time.Second)

			const line = "hello from the pty"
			p.typeLine(t, line)
			p.out.waitFor(t, echoPrefix+line+"\r\n", at, 10*time.Second)
			elapsed := time.Since(start)

			// A resize of the terminal (SIGWINCH) reaches the server.
			if tc.resizes {
				if err := pty.Setsize(p.tty, &pty.Winsize{Cols: 120, Rows: 40}); err != nil {
					t.Fatal(err)
				}
				srv.waitSize(t, 120, 40)
			}
			p.stop()
			ses := srv.waitSession(t, srv.sessions)
			t.Logf("%s: greeting and echo after %v", tc.name, elapsed.Round(time.Millisecond))
			if len(ses.lines) != 1 || ses.lines[0] != line {
				t.Errorf("server read lines %q, want %q", ses.lines, line)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestInteropServerNetcat connects netcat, which speaks no Telnet: the
// server must open the data path after the negotiation wait, and the line
// netcat sends, before the wait ends, must arrive intact.
func TestInteropServerNetcat(t *testing.T) {
	nc := needProgram(t, "nc", "netcat")
	const wait = 300 * time.Millisecond
	srv := startEchoServer(t, WithNegotiationTimeout(wait))
	host, port, _ := net.SplitHostPort(srv.addr)

	cmd := exec.Command(nc, host, port)
	cmd.Env = interopEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := newOutput()
	cmd.Stdout = out
	cmd.Stderr = out
	exited := startProcess(t, cmd)
	t.Cleanup(func() { stdin.Close() })

	const line = "hello from netcat \x01\x7f"
	if _, err := io.WriteString(stdin, line+"\r\n"); err != nil {
		t.Fatal(err)
	}
	greeted := srv.waitSession(t, srv.greeted)
	t.Logf("nc: %v", greeted)
	if greeted.handshake < wait || greeted.handshake > wait+2*time.Second {
		t.Errorf("handshake took %v, want the negotiation wait of %v", greeted.handshake, wait)
	}
	if greeted.term != "" || greeted.cols != 0 || len(greeted.env) != 0 {
		t.Errorf("negotiated with netcat: %v", greeted)
	}
	end := out.waitFor(t, echoPrefix+line+"\r\n", 0, 10*time.Second)

	// What nc prints: the raw offers, then data only.
	got := out.String()[:end]
	offers, data := splitLeadingCommands(got)
	if want := "\xff\xfd\x18\xff\xfd\x1f\xff\xfd\x27\xff\xfb\x00\xff\xfb\x03"; offers != want {
		t.Errorf("nc printed offers % x, want % x", offers, want)
	}
	if want := greeting(greeted) + echoPrefix + line + "\r\n"; data != want {
		t.Errorf("nc printed data %q, want %q", data, want)
	}
	// nc keeps the connection open after its input ends: hang up.
	stopProcess(t, cmd, exited)
	ses := srv.waitSession(t, srv.sessions)
	if len(ses.lines) != 1 || ses.lines[0] != line || ses.err != nil {
		t.Errorf("server read lines %q, %v; want %q", ses.lines, ses.err, line)
	}
}

// splitLeadingCommands splits s after its leading three-byte IAC
// negotiations.
func splitLeadingCommands(s string) (commands, rest string) {
	i := 0
	for i+3 <= len(s) && s[i] == 0xff && s[i+1] >= 0xfb && s[i+1] <= 0xfe {
		i += 3
	}
	return s[:i], s[i:]
}

// telnetlibScript reads the greeting, writes a line and reads its echo
// with Python's telnetlib, which refuses every option.
const telnetlibScript = `
import sys, telnetlib
host, port, line = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = telnetlib.Telnet(host, port, timeout=10)
greeting = t.read_until(b"\r\n", 10)
if not greeting.endswith(b"\r\n"):
    sys.exit("no greeting: %r" % greeting)
sys.stdout.write("GREETING %s\n" % greeting.decode("latin-1").strip())
t.write(line.encode("latin-1") + b"\n")
echo = t.read_until(b"\r\n", 10)
sys.stdout.write("ECHO %s\n" % echo.decode("latin-1").strip())
t.close()
`

// TestInteropServerPythonTelnetlib runs CPython's telnetlib against the
// echo server.
func TestInteropServerPythonTelnetlib(t *testing.T) {
	python := needProgram(t, "python3")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", "-c", "import telnetlib").Run(); err != nil {
		missing(t, "%s has no telnetlib (removed in Python 3.13): %v", python, err)
	}
	srv := startEchoServer(t)
	host, port, _ := net.SplitHostPort(srv.addr)
	const line = "hello from telnetlib"
	start := time.Now()
	cmd := exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", "-c", telnetlibScript, host, port, line)
	cmd.Env = interopEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("telnetlib: %v\n%s", err, out)
	}
	ses := srv.waitSession(t, srv.sessions)
	t.Logf("telnetlib: %v, done after %v", ses, time.Since(start).Round(time.Millisecond))
	if want := "GREETING term= size=0x0 env=\nECHO " + echoPrefix + line + "\n"; string(out) != want {
		t.Errorf("telnetlib printed %q, want %q", out, want)
	}
	if ses.echo || ses.sga || ses.binaryIn {
		t.Errorf("telnetlib agreed to an option: %v", ses)
	}
	if ses.handshake > time.Second {
		t.Errorf("handshake took %v; telnetlib refuses at once", ses.handshake)
	}
	if len(ses.lines) != 1 || ses.lines[0] != line || ses.err != nil {
		t.Errorf("server read lines %q, %v; want %q", ses.lines, ses.err, line)
	}
}

// TestInteropClient dials real Telnet servers that run a shell, and runs
// a command there that shows the window size and terminal type the
// server learned from the client.
func TestInteropClient(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) string // returns the address
		// wantTerm is $TERM in the shell. busybox telnetd does not ask
		// for the terminal type: $TERM is that of the daemon.
		wantTerm string
	}{
		{"inetutils-telnetd", startInetutilsTelnetd, "xterm"},
		{"busybox-telnetd", startBusyboxTelnetd, "daemon-term"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.start(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			// inetutils telnetd asks for the whole environment, gets
			// it, and passes none of it to the shell (not even USER,
			// which it keeps for login -f).
			c, err := DialContext(ctx, "tcp", addr, WithTerminalType("xterm"), WithWindowSize(91, 27),
				WithEnv(map[string]string{"USER": "interop", "LANG": "C.UTF-8"}), WithLogger(testLogger(t)))
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(20 * time.Second))
			out := newOutput()
			copied := make(chan struct{})
			go func() { out.copyFrom(c); close(copied) }()
			t.Cleanup(func() { c.Close(); <-copied }) // no logging after the test

			// The prompt of a root or user sh, then the command: the
			// markers are computed by the shell, so that the echo of the
			// command line does not match them.
			at := waitPrompt(t, out)
			if _, err := io.WriteString(c, "echo BEGIN$((6*7)); stty size; echo TERM=$TERM; echo END$((6*7))\n"); err != nil {
				t.Fatal(err)
			}
			begin := out.waitFor(t, "BEGIN42", at, 10*time.Second)
			end := out.waitFor(t, "END42", begin, 10*time.Second)
			result := out.String()[begin:end]
			t.Logf("%s: shell said %q after %v; options: %s", tc.name, result,
				time.Since(start).Round(time.Millisecond), clientOptions(c))
			if !strings.Contains(result, "27 91\n") {
				t.Errorf("stty size: no 27 91 in %q", result)
			}
			if !strings.Contains(result, "TERM="+tc.wantTerm+"\n") {
				t.Errorf("no TERM=%s in %q", tc.wantTerm, result)
			}
			if !c.OptionEnabled(negotiate.Local, negotiate.NAWS) {
				t.Errorf("NAWS not enabled")
			}
			if !c.OptionEnabled(negotiate.Remote, negotiate.Echo) {
				t.Errorf("the server does not echo")
			}
		})
	}
}

// waitPrompt waits for a shell prompt ("# " or "$ " at the end of the
// output) and returns its end.
func waitPrompt(t *testing.T, out *output) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s := strings.TrimRight(out.String(), "\x00")
		if strings.HasSuffix(s, "# ") || strings.HasSuffix(s, "$ ") {
			return len(s)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no shell prompt; got %q", out.String())
	return 0
}

// clientOptions lists the options enabled on a Conn, for the log.
func clientOptions(c *Conn) string {
	var local, remote []string
	for i := range 256 {
		opt := negotiate.Option(i)
		if c.OptionEnabled(negotiate.Local, opt) {
			local = append(local, opt.String())
		}
		if c.OptionEnabled(negotiate.Remote, opt) {
			remote = append(remote, opt.String())
		}
	}
	return fmt.Sprintf("we %v, they %v", local, remote)
}

// startInetutilsTelnetd accepts one connection on 127.0.0.1 and runs
// GNU telnetd on it, as inetd would: the socket is its stdin, stdout and
// stderr. -h: no banner; -E: a shell instead of login.
func startInetutilsTelnetd(t *testing.T) string {
	t.Helper()
	telnetd := needProgram(t, "/usr/sbin/telnetd", "inetutils-telnetd", "telnetd")
	if out, _ := exec.Command(telnetd, "--version").CombinedOutput(); !bytes.Contains(out, []byte("inetutils")) {
		missing(t, "%s is not GNU inetutils telnetd: %q", telnetd, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var started *exec.Cmd
	exited := make(chan struct{})
	done := make(chan error, 1)
	t.Cleanup(func() {
		l.Close()
		if err := <-done; err != nil {
			t.Errorf("starting telnetd: %v", err)
		}
		if started != nil {
			stopProcess(t, started, exited)
		}
	})
	go func() {
		done <- func() error {
			c, err := l.Accept()
			if err != nil {
				return nil // closed at cleanup: no client came
			}
			defer c.Close()
			f, err := c.(*net.TCPConn).File()
			if err != nil {
				return err
			}
			defer f.Close()
			cmd := exec.Command(telnetd, "-h", "-E", "/bin/sh")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, f
			cmd.Env = interopEnv("TERM=daemon-term")
			if err := cmd.Start(); err != nil {
				return err
			}
			started = cmd
			go func() { cmd.Wait(); close(exited) }()
			return nil
		}()
	}()
	return l.Addr().String()
}

// startBusyboxTelnetd runs busybox telnetd in the foreground on a free
// port of 127.0.0.1, and returns its address once it accepts.
func startBusyboxTelnetd(t *testing.T) string {
	t.Helper()
	bb := needBusyboxApplet(t, "telnetd")
	for attempt := 0; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_, port, _ := net.SplitHostPort(addr)
		l.Close()
		cmd := exec.Command(bb, "telnetd", "-F", "-f", "/dev/null", "-p", port, "-b", "127.0.0.1", "-l", "/bin/sh")
		cmd.Env = interopEnv("TERM=daemon-term")
		stderr := newOutput()
		cmd.Stderr = stderr
		exited := startProcess(t, cmd)
		if waitListening(addr, exited, 5*time.Second) {
			return addr
		}
		if attempt == 2 {
			t.Fatalf("busybox telnetd does not listen on %s: %s", addr, stderr.String())
		}
		t.Logf("busybox telnetd on %s: %s; retrying", addr, stderr.String())
	}
}

// waitListening reports whether something accepts on addr, polling
// until timeout or the process exits. The probe connection is closed
// at once.
func waitListening(addr string, exited <-chan struct{}, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestInteropInetutilsEnterReadsAsLine is the documented promise of Conn
// (every end of line a client sends reads as "\n") with Debian's default
// telnet client and a server with the default options: the server asks
// for BINARY in both directions, inetutils telnet agrees, and in BINARY
// mode it sends Enter as a bare CR.
func TestInteropInetutilsEnterReadsAsLine(t *testing.T) {
	telnet := needProgram(t, "inetutils-telnet", "telnet")
	l, err := Listen("tcp", "127.0.0.1:0", WithLogger(testLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		line   string
		err    error
		binary bool
	}
	done := make(chan result, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- result{err: err}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(3 * time.Second))
		io.WriteString(c, "ready\r\n")
		sc := bufio.NewScanner(c)
		sc.Scan()
		err = sc.Err()
		if err == nil && sc.Text() == "" {
			err = io.ErrUnexpectedEOF
		}
		done <- result{sc.Text(), err, c.(*Conn).OptionEnabled(negotiate.Remote, negotiate.Binary)}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	p := startOnPTY(t, 80, 24, interopEnv("TERM=xterm"), telnet, "-c", host, port)
	p.out.waitFor(t, "ready\r\n", 0, 10*time.Second)
	p.typeLine(t, "hello")
	select {
	case r := <-done:
		done <- r // for the cleanup
		if r.err != nil || r.line != "hello" {
			t.Errorf("bufio.Scanner on the server read %q, %v (client sends binary: %v); want the "+
				"line \"hello\" ended by Enter, before the read deadline",
				r.line, r.err, r.binary)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not finish")
	}
}
