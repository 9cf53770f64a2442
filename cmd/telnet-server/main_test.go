package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// The tests run real Telnet clients against the program, on 127.0.0.1
// only. A test whose client is not installed is skipped, unless
// TELNET_INTEROP=1 is set (as CI does), in which case it fails. The
// Debian 12 packages: inetutils-telnet, netcat-openbsd, tmux.

// mainEnv, when set, makes the test binary run the program with the
// arguments in it, one per line: the tests that send signals run the
// program as its own process.
const mainEnv = "TELNET_SERVER_TEST_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(mainEnv); ok {
		os.Args = append([]string{"telnet-server"}, strings.Split(args, "\n")...)
		main()
	}
	os.Exit(m.Run())
}

// needProgram returns the path of the first of names installed, or skips
// the test (fails it when TELNET_INTEROP=1).
func needProgram(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("TELNET_INTEROP") == "1" {
		t.Fatalf("none of %q is installed (TELNET_INTEROP=1)", names)
	}
	t.Skipf("none of %q is installed; set TELNET_INTEROP=1 to make this a failure", names)
	return ""
}

// clientEnv is the environment of the client programs: nothing leaks from
// the test's own.
func clientEnv(extra ...string) []string {
	return append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir(), "LANG=C"}, extra...)
}

// startServer runs the program in this process with args and a free port
// of 127.0.0.1, and stops it (as SIGINT would) at the end of the test. It
// returns the address and the log.
func startServer(t *testing.T, args ...string) (string, *shelltest.Transcript) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := new(shelltest.Transcript)
	ready := make(chan net.Addr, 1)
	exited := make(chan int, 1)
	args = append([]string{"127.0.0.1", "0"}, args...) // before a "--"
	go func() { exited <- run(ctx, args, io.Discard, logs, func(a net.Addr) { ready <- a }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-exited:
			if code != exitOK {
				t.Errorf("exit status %d; log:\n%s", code, logs)
			}
		case <-time.After(shutdownGrace + 5*time.Second):
			t.Errorf("the server did not stop; log:\n%s", logs)
		}
		if testing.Verbose() {
			t.Logf("server log:\n%s", logs)
		}
	})
	select {
	case a := <-ready:
		return a.String(), logs
	case code := <-exited:
		t.Fatalf("exit status %d before serving; log:\n%s", code, logs)
	case <-time.After(shelltest.Timeout):
		t.Fatalf("the server is not ready; log:\n%s", logs)
	}
	return "", nil
}

// A process is a command started by a test.
type process struct {
	cmd    *exec.Cmd
	out    *shelltest.Transcript // its standard output and error
	exited chan struct{}         // closed when it has exited
	err    error                 // what Wait returned, once exited
}

// startCommand starts cmd with its output recorded, and kills it at the
// end of the test unless it has exited.
func startCommand(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, out: new(shelltest.Transcript), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		p.out.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		select {
		case <-p.exited:
		case <-time.After(shelltest.Timeout):
			t.Errorf("%s did not exit", cmd.Path)
		}
	})
	return p
}

// wait waits for the process to exit, and returns Wait's error.
func (p *process) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(shelltest.Timeout):
		t.Fatalf("%s did not exit; output:\n%s", p.cmd.Path, p.out)
		return nil
	}
}

// onPTY runs argv on a new pseudo-terminal of cols x rows, as a person
// runs a Telnet client, and returns the terminal's master side, whose
// output is recorded.
type terminal struct {
	tty *os.File
	*shelltest.Transcript
}

func onPTY(t *testing.T, cols, rows int, env []string, argv ...string) *terminal {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatalf("starting %s on a pty: %v", argv[0], err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	return &terminal{tty: tty, Transcript: shelltest.Record(t, tty)}
}

// typeLine types s and Enter, as a terminal sends it: CR.
func (term *terminal) typeLine(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(term.tty, s+"\r"); err != nil {
		t.Fatalf("typing %q: %v", s, err)
	}
}

// TestDebugShellInetutils drives the debug shell with Debian's telnet, as
// a person would, and checks the text of its commands.
func TestDebugShellInetutils(t *testing.T) {
	telnet := needProgram(t, "inetutils-telnet", "telnet")
	addr, _ := startServer(t)
	host, port, _ := net.SplitHostPort(addr)
	term := onPTY(t, 80, 24, clientEnv("TERM=xterm"), telnet, "-c", host, port)
	term.WaitFor(t, "Escape character is '^]'.\r\n", shelltest.Timeout)
	term.Expect(t, "Ready.\r\ntel:sh> ")
	for _, tc := range []struct{ command, output string }{
		{"help", shells.DebugHelp},
		{"nope", "no such command."},
		{"toggle", "binary ON\r\necho ON\r\ngoahead off\r\ninbinary ON\r\nlflow ON\r\nlinemode off\r\n" +
			"linemode-edit off\r\nlinemode-trapsig off\r\noutbinary ON\r\nxon-any off"},
		{"writer", "<Conn server mode:kludge +lineflow -xon_any server-will:BINARY,ECHO,SGA " +
			"client-will:BINARY,NAWS,NEW-ENVIRON,TTYPE encoding:read=UTF-8,write=UTF-8>"},
		{"reader", `<Reader inbinary:true term:"XTERM" ttypes:["XTERM"] size:80x24 speed:0,0 xdisplay:"" env:{}>`},
		{"proto", "<Peer 127.0.0.1 "},
	} {
		term.typeLine(t, tc.command)
		// The server echoes, and the client, in character mode, does not.
		term.Expect(t, tc.command+"\r\n"+tc.output)
		term.WaitFor(t, "\r\ntel:sh> ", shelltest.Timeout)
	}
	term.typeLine(t, "quit")
	term.Expect(t, "quit\r\nGoodbye.\r\nConnection closed by foreign host.\r\n")
}

// TestDebugShellInetutilsModeLine turns Debian's telnet to line mode at
// its prompt: the server agrees to LINEMODE, the client edits lines with
// its terminal's characters, and the debug shell reports the mode.
func TestDebugShellInetutilsModeLine(t *testing.T) {
	telnet := needProgram(t, "inetutils-telnet", "telnet")
	addr, _ := startServer(t)
	host, port, _ := net.SplitHostPort(addr)
	term := onPTY(t, 80, 24, clientEnv("TERM=xterm"), telnet, host, port)
	term.WaitFor(t, "Ready.\r\ntel:sh> ", shelltest.Timeout)
	if _, err := io.WriteString(term.tty, "\x1d"); err != nil { // ^], the escape
		t.Fatal(err)
	}
	term.WaitFor(t, "telnet> ", shelltest.Timeout)
	term.typeLine(t, "mode line")
	// The client takes LINEMODE, then the server's MODE EDIT once it has
	// said DONT ECHO: a line typed meanwhile goes in the modes between.
	const edit = "LINEMODE active. Mode: local\r\nEDIT=on TRAPSIG=on SOFT_TAB=off LIT_ECHO=off ACK=on\r\ntel:sh> "
	for i := 0; ; i++ {
		term.typeLine(t, "linemode")
		if out := term.WaitFor(t, "tel:sh> ", shelltest.Timeout); strings.HasSuffix(out, edit) {
			break
		}
		if i == 20 {
			t.Fatal("the debug shell never reported MODE EDIT")
		}
		time.Sleep(50 * time.Millisecond)
	}
	term.typeLine(t, "helx\x7fp") // erased by the client, which sends the line whole
	term.WaitFor(t, shells.DebugHelp+"\r\ntel:sh> ", shelltest.Timeout)
	term.typeLine(t, "toggle linemode-edit")
	term.WaitFor(t, "linemode-edit disabled.\r\ntel:sh> ", shelltest.Timeout)
	term.typeLine(t, "quit")
	term.WaitFor(t, "Goodbye.\r\nConnection closed by foreign host.\r\n", shelltest.Timeout)
}

// TestDebugShellNetcat drives the debug shell with netcat, which speaks no
// Telnet: the shell starts after the negotiation wait, and sees no echo
// and go-ahead after each prompt.
func TestDebugShellNetcat(t *testing.T) {
	nc := needProgram(t, "nc", "netcat")
	addr, _ := startServer(t, "--connect-maxwait", "0.2")
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(nc, host, port)
	cmd.Env = clientEnv()
	cmd.Stdin = strings.NewReader("help\r\nversion x\r\nquit\r\n")
	p := startCommand(t, cmd)
	out := p.out
	// The offers, then data only.
	out.Expect(t, offers)
	const ga = "\xff\xf9"
	out.Expect(t, "Ready.\r\ntel:sh> "+ga+"\r\n"+shells.DebugHelp+"\r\ntel:sh> "+ga+
		"\r\nno such command.\r\ntel:sh> "+ga+"\r\nGoodbye.\r\n")
	p.wait(t) // nc ends when the server closes
}

// TestSignalShutdown runs the program as its own process, with a client
// in the debug shell, and sends SIGTERM: the program stops accepting,
// the session ends, and the program exits 0.
func TestSignalShutdown(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), mainEnv+"=127.0.0.1\n0\n--logfmt\n%(levelname)s %(message)s")
			p := startCommand(t, cmd)
			logs := p.out
			line := logs.WaitFor(t, "\n", shelltest.Timeout)
			m := regexp.MustCompile(`^INFO Server ready on (\S+)\n$`).FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("first log line %q", line)
			}
			c := shelltest.Dial(t, m[1])
			c.Expect(t, "Ready.\r\ntel:sh> ")
			start := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if err := p.wait(t); err != nil {
				t.Errorf("exit: %v; log:\n%s", err, logs)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("the shutdown took %v", took)
			}
			if rest := c.Rest(t); rest != "" {
				t.Errorf("the client read %q at shutdown", rest)
			}
			if !strings.Contains(logs.String(), "INFO Server stop.\n") {
				t.Errorf("no Server stop. in the log:\n%s", logs)
			}
			if _, err := net.DialTimeout("tcp", m[1], time.Second); err == nil {
				t.Error("the port still accepts")
			}
		})
	}
}

// TestLogFormats checks the three kinds of --logfmt, and --logfile.
func TestLogFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		line   *regexp.Regexp // the line that logs the connection
	}{
		{"text", regexp.MustCompile(`^time=\S+ level=INFO msg="telnet: connection opened" peer=127\.0\.0\.1:\d+ busy=false$`)},
		{"json", regexp.MustCompile(`^\{"time":"[^"]+","level":"INFO","msg":"telnet: connection opened","peer":"127\.0\.0\.1:\d+","busy":false\}$`)},
		{"%(levelname)-8s %(filename)s:%(lineno)d %(message)s",
			regexp.MustCompile(`^INFO     server\.go:\d+ telnet: connection opened peer=127\.0\.0\.1:\d+ busy=false$`)},
		{"[%(asctime)s] %(name)s %(levelno)d %(funcName)s %(bogus)s %%",
			regexp.MustCompile(`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] telnet-server 0 serve %\(bogus\)s %$`)},
	} {
		t.Run(tc.format, func(t *testing.T) {
			file := t.TempDir() + "/server.log"
			addr, _ := startServer(t, "--logfmt", tc.format, "--logfile", file)
			c := shelltest.Dial(t, addr)
			c.Expect(t, "Ready.\r\ntel:sh> ")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				if tc.line.MatchString(sc.Text()) {
					return
				}
			}
			t.Errorf("no line matches %s in the log:\n%s", tc.line, data)
		})
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"--help"}, exitOK, "usage: telnet-server [options] [HOST [PORT]] [-- ARG ...]", ""},
		{[]string{"--bogus"}, exitUsage, "", "telnet-server: usage: unknown option --bogus\nRun telnet-server --help for the options.\n"},
		{[]string{"--version"}, exitOK, "telnet-server ", ""},
		{[]string{"--logfmt", "plain"}, exitUsage, "", `--logfmt "plain": not text, json or a Python logging format`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, &stdout, &stderr, nil)
		if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, stdout.String(),
				stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
	// A port in use.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{host, port}, io.Discard, &stderr, nil); code != exitFailed ||
		!strings.Contains(stderr.String(), "address already in use") {
		t.Errorf("listening on a port in use: exit %d, %q", code, stderr.String())
	}
}
