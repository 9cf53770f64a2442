//go:build linux

package shells_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// servePty serves p, as the server program does: with line endings left
// alone. It returns the address and the log.
func servePty(t *testing.T, p *shells.PtyShell, opts ...telnet.Option) (string, *shelltest.Transcript) {
	t.Helper()
	_, addr, logs := servePtyDaemon(t, p, opts...)
	return addr, logs
}

// servePtyDaemon is servePty, and returns the Daemon too.
func servePtyDaemon(t *testing.T, p *shells.PtyShell, opts ...telnet.Option) (*telnet.Daemon, string, *shelltest.Transcript) {
	t.Helper()
	logs := new(shelltest.Transcript)
	d := &telnet.Daemon{
		Handler: p,
		Options: append([]telnet.Option{telnet.WithRawLineEndings()}, opts...),
		Logger:  logTo(logs),
	}
	return d, shelltest.Serve(t, d), logs
}

// run types a command line at the shell, and returns what it printed
// between two markers the shell computes, so that the echo of the line
// does not count.
func runCommand(t *testing.T, c *shelltest.Client, command string) string {
	t.Helper()
	c.Send(t, "echo BEGIN$((6*7)); "+command+"; echo END$((6*7))\r") // Enter: CR, as a terminal sends
	c.WaitFor(t, "BEGIN42\r\n", shelltest.Timeout)
	return strings.TrimSuffix(c.WaitFor(t, "END42\r\n", shelltest.Timeout), "END42\r\n")
}

func TestPtyWindowSize(t *testing.T) {
	addr, _ := servePty(t, shells.Pty("/bin/sh"))
	c := shelltest.Dial(t, addr, telnet.WithTerminalType("XTERM"), telnet.WithWindowSize(100, 30))
	if got := runCommand(t, c, "stty size; echo $TERM $COLUMNS $LINES"); got != "30 100\r\n"+"xterm 100 30\r\n" {
		t.Errorf("the program saw %q, want the negotiated window and terminal", got)
	}
	// A resize reaches the terminal.
	if err := c.SetWindowSize(120, 40); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(shelltest.Timeout)
	for runCommand(t, c, "stty size") != "40 120\r\n" {
		if time.Now().After(deadline) {
			t.Fatal("the new window size did not reach the terminal")
		}
	}
}

// TestPtySIGWINCH checks that the program in the foreground learns of a
// resize.
func TestPtySIGWINCH(t *testing.T) {
	addr, _ := servePty(t, shells.Pty("/bin/sh", "-c", `trap 'echo WINCH; stty size' WINCH; echo ready; while :; do sleep 0.02; done`))
	c := shelltest.Dial(t, addr, telnet.WithWindowSize(100, 30))
	c.WaitFor(t, "ready\r\n", shelltest.Timeout)
	for _, size := range [][2]int{{120, 40}, {60, 10}} {
		if err := c.SetWindowSize(size[0], size[1]); err != nil {
			t.Fatal(err)
		}
		c.WaitFor(t, fmt.Sprintf("WINCH\r\n%d %d\r\n", size[1], size[0]), shelltest.Timeout)
	}
}

// TestPtyEnter checks each way clients send Enter: outside BINARY, CR LF
// and CR NUL reach the program as one CR; in BINARY, bytes are unchanged.
func TestPtyEnter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []telnet.Option
		enters []string
		want   []string // the codes of the bytes the program reads
	}{
		{"NVT", []telnet.Option{telnet.WithLocalOption(negotiate.Binary, telnet.Refuse)},
			[]string{"\n", "\r\n", "\r\x00", "\r"}, []string{"10", "13", "13", "13"}},
		{"BINARY", nil, []string{"\r\n", "\r"}, []string{"13", "10", "13"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := shells.Pty("/bin/sh", "-c", "stty raw -echo; echo ready; head -c "+strconv.Itoa(len(tc.want))+" | od -An -tu1")
			addr, _ := servePty(t, p)
			c := shelltest.Dial(t, addr, tc.opts...)
			c.WaitFor(t, "ready", shelltest.Timeout)
			for _, e := range tc.enters {
				c.Send(t, e)
			}
			if got := strings.Fields(c.Rest(t)); !slices.Equal(got, tc.want) {
				t.Errorf("the program read %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPtyExit(t *testing.T) {
	addr, logs := servePty(t, shells.Pty("/bin/sh", "-c", "echo hello; exit 3"))
	c := shelltest.Dial(t, addr)
	if rest := c.Rest(t); rest != "hello\r\n" {
		t.Errorf("the client read %q, then the end", rest)
	}
	waitLine(t, logs, `msg="shells: program ended"`, "program=/bin/sh", `status="exit status 3"`)
}

func TestPtyStartFails(t *testing.T) {
	addr, logs := servePty(t, shells.Pty("/nonexistent/program"))
	c := shelltest.Dial(t, addr)
	if rest := c.Rest(t); rest != "" {
		t.Errorf("the client read %q", rest)
	}
	waitLine(t, logs, `msg="telnet: handler failed"`, `err="shells: starting /nonexistent/program: `)
}

// TestPtyHangup checks that the program gets SIGHUP when the client
// leaves, and SIGKILL when it ignores that.
func TestPtyHangup(t *testing.T) {
	for _, tc := range []struct {
		name, script, status string
	}{
		{"SIGHUP", `trap 'echo hup > "$0"; exit 0' HUP; echo ready; while :; do sleep 0.05; done`, "exit status 0"},
		{"SIGKILL", `trap '' HUP; echo ready; while :; do sleep 0.05; done`, "signal: killed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mark := filepath.Join(t.TempDir(), "mark")
			p := shells.Pty("/bin/sh", "-c", tc.script, mark)
			p.HangupGrace = 200 * time.Millisecond
			addr, logs := servePty(t, p)
			c := shelltest.Dial(t, addr)
			c.WaitFor(t, "ready\r\n", shelltest.Timeout)
			c.Close()
			line := waitLine(t, logs, `msg="shells: program ended"`)
			if !strings.Contains(line, `status="`+tc.status+`"`) {
				t.Errorf("the program ended with %s, want %s", line, tc.status)
			}
			if data, _ := os.ReadFile(mark); (tc.status == "exit status 0") != (string(data) == "hup\n") {
				t.Errorf("the program's SIGHUP trap wrote %q", data)
			}
		})
	}
}

// waitLine waits for a log line with every one of parts.
func waitLine(t *testing.T, logs *shelltest.Transcript, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(shelltest.Timeout)
	for {
		if line, ok := logs.Line(parts...); ok {
			return line
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line with %q in the log:\n%s", parts, logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPtyShutdown checks that a server shutting down hangs the program
// up, and that the program's last words reach the client.
func TestPtyShutdown(t *testing.T) {
	d := &telnet.Daemon{
		Handler: shells.Pty("/bin/sh", "-c", `trap 'echo bye; exit 0' HUP; echo ready; while :; do sleep 0.05; done`),
		Options: []telnet.Option{telnet.WithRawLineEndings()},
	}
	addr := shelltest.Serve(t, d)
	c := shelltest.Dial(t, addr)
	c.WaitFor(t, "ready\r\n", shelltest.Timeout)
	ctx, cancel := context.WithTimeout(context.Background(), shelltest.Timeout)
	defer cancel()
	if err := d.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// The shell says "Hangup" for the sleep that died of SIGHUP, then the
	// trap says bye.
	if rest := c.Rest(t); !strings.HasSuffix(rest, "bye\r\n") {
		t.Errorf("the client read %q at shutdown", rest)
	}
}

// TestPtyLineMode checks that in line mode the server does not echo and
// the terminal does not either: the client edits and echoes the line.
func TestPtyLineMode(t *testing.T) {
	p := shells.Pty("/bin/sh")
	p.LineMode = true
	addr, _ := servePty(t, p)
	c := shelltest.Dial(t, addr)
	c.Send(t, "echo $((6*7))\r\n") // as a client sends a line it edited
	c.WaitFor(t, "42\r\n", shelltest.Timeout)
	if strings.Contains(c.String(), "echo") {
		t.Errorf("the line was echoed: %q", c.String())
	}
	if c.OptionEnabled(negotiate.Remote, negotiate.Echo) || c.OptionEnabled(negotiate.Remote, negotiate.SGA) {
		t.Error("the server still echoes or suppresses go-ahead")
	}
}

// TestPtyEchoFollowsClient checks that the terminal stops echoing when
// the client takes the echo back (DONT ECHO, as inetutils telnet's "mode
// line" sends), so that a command line is shown once, and echoes again
// when the client hands it back.
func TestPtyEchoFollowsClient(t *testing.T) {
	addr, _ := servePty(t, shells.Pty("/bin/sh"))
	c := shelltest.Dial(t, addr, telnet.WithRemoteOption(negotiate.Echo, telnet.Accept))
	c.Send(t, "echo one$((1+1))\r")
	c.WaitFor(t, "one2\r\n", shelltest.Timeout)
	if !strings.Contains(c.String(), "echo one$((1+1))") {
		t.Fatalf("no echo while the server echoes: %q", c.String())
	}
	if err := c.DisableOption(negotiate.Remote, negotiate.Echo); err != nil {
		t.Fatal(err)
	}
	waitOption(t, c, negotiate.Remote, negotiate.Echo, false)
	c.Send(t, "echo two$((1+1))\r")
	c.WaitFor(t, "two2\r\n", shelltest.Timeout)
	if strings.Contains(c.String(), "echo two") {
		t.Errorf("the terminal echoed after WONT ECHO: %q", c.String())
	}
	if err := c.EnableOption(negotiate.Remote, negotiate.Echo); err != nil {
		t.Fatal(err)
	}
	waitOption(t, c, negotiate.Remote, negotiate.Echo, true)
	c.Send(t, "echo three$((1+1))\r")
	c.WaitFor(t, "three2\r\n", shelltest.Timeout)
	if !strings.Contains(c.String(), "echo three$((1+1))") {
		t.Errorf("no echo after WILL ECHO again: %q", c.String())
	}
}

// waitOption waits until opt is on or off at side of c.
func waitOption(t *testing.T, c *shelltest.Client, side negotiate.Side, opt negotiate.Option, on bool) {
	t.Helper()
	for start := time.Now(); c.OptionEnabled(side, opt) != on; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > shelltest.Timeout {
			t.Fatalf("%v %v still %v", side, opt, !on)
		}
	}
	time.Sleep(50 * time.Millisecond) // the server acts on it as it reads
}

// TestPtyCommands checks that Telnet commands reach the program as the
// characters they stand for.
func TestPtyCommands(t *testing.T) {
	addr, _ := servePty(t, shells.Pty("/bin/sh", "-c",
		`trap 'echo INT' INT; trap 'echo QUIT' QUIT; echo ready; while :; do sleep 0.05; done`))
	c := shelltest.Dial(t, addr)
	c.WaitFor(t, "ready\r\n", shelltest.Timeout)
	for _, tc := range []struct {
		cmd  negotiate.Command
		want string
	}{{negotiate.IP, "INT\r\n"}, {negotiate.ABORT, "QUIT\r\n"}, {negotiate.AYT, "\r\n[Yes]\r\n"}} {
		if err := c.SendCommand(tc.cmd); err != nil {
			t.Fatal(err)
		}
		c.WaitFor(t, tc.want, shelltest.Timeout)
	}
}

// TestPtySecurity connects clients that send hostile values: none may
// change the program's arguments, and only the allow-listed variables,
// in a checked form, reach its environment.
func TestPtySecurity(t *testing.T) {
	hostile := map[string]string{
		"USER":       "-f root",
		"LOGNAME":    "-froot",
		"LD_PRELOAD": "/tmp/x.so",
		"BASH_ENV":   "/tmp/x.sh",
		"PATH":       "/tmp",
		"TERM":       "vt100",
		"COLUMNS":    "1; rm -rf /",
		"LANG":       "$(id)",
		"LC_ALL":     "en_US.UTF-8",
		"LC_CTYPE":   "C.UTF-8\nPATH=/tmp",
		"COLORTERM":  "truecolor",
		"EDITOR":     "vi",
	}
	for _, tc := range []struct {
		name    string
		ttype   string
		program *shells.PtyShell
		want    []string // the program's output lines
	}{
		{
			name:    "arguments",
			ttype:   "xterm",
			program: shells.Pty("/bin/echo", "fixed", "-n-is-not", "an option"),
			want:    []string{"fixed -n-is-not an option"},
		},
		{
			name:    "environment",
			ttype:   "xterm;id",
			program: &shells.PtyShell{Program: "/usr/bin/env", ClientEnv: []string{"COLORTERM"}},
			want: []string{shells.DefaultPtyPath, "TERM=dumb", "COLUMNS=90", "LINES=20", "LC_ALL=en_US.UTF-8",
				"COLORTERM=truecolor"},
		},
		{
			name:    "environment with a base",
			ttype:   "Xterm-256Color",
			program: &shells.PtyShell{Program: "/usr/bin/env", Env: []string{"HOME=/home/x", "TERM=vt220", "LANG=C"}},
			want:    []string{"HOME=/home/x", "TERM=xterm-256color", "LANG=C", "COLUMNS=90", "LINES=20", "LC_ALL=en_US.UTF-8"},
		},
		{
			name:    "terminal type with metacharacters",
			ttype:   "$(reboot)",
			program: &shells.PtyShell{Program: "/usr/bin/env", Env: []string{"TERM=vt220"}},
			want:    []string{"TERM=vt220", "COLUMNS=90", "LINES=20", "LC_ALL=en_US.UTF-8"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, _ := servePty(t, tc.program)
			c := shelltest.Dial(t, addr, telnet.WithTerminalType(tc.ttype), telnet.WithWindowSize(90, 20),
				telnet.WithEnv(hostile))
			got := strings.Split(strings.TrimSuffix(c.Rest(t), "\r\n"), "\r\n")
			if !slices.Equal(got, tc.want) {
				t.Errorf("the program printed\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// On a Conn with an encoding, the program reads and writes UTF-8, which
// its locale says, whatever the client's codeset: the rest of the
// client's locale is kept.
func TestPtyEncodingLocale(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []telnet.Option
		want []string
	}{
		{"bytes", nil, []string{"LANG=fr_FR.ISO-8859-1@euro", "LC_CTYPE=C", "LC_TIME=de_DE.ISO-8859-1"}},
		{"latin1", []telnet.Option{telnet.WithEncoding("latin1")},
			[]string{"LANG=fr_FR.UTF-8@euro", "LC_CTYPE=C", "LC_TIME=de_DE.UTF-8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, _ := servePty(t, &shells.PtyShell{Program: "/usr/bin/env", Env: []string{}}, tc.opts...)
			c := shelltest.Dial(t, addr, telnet.WithEnv(map[string]string{
				"LANG": "fr_FR.ISO-8859-1@euro", "LC_CTYPE": "C", "LC_TIME": "de_DE.ISO-8859-1"}))
			got := strings.Split(strings.TrimSuffix(c.Rest(t), "\r\n"), "\r\n")
			locale := func(v string) bool { return strings.HasPrefix(v, "LANG=") || strings.HasPrefix(v, "LC_") }
			if got = slices.DeleteFunc(got, func(v string) bool { return !locale(v) }); !slices.Equal(got, tc.want) {
				t.Errorf("the program's locale\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestPtyLinemode checks that under LINEMODE EDIT the terminal leaves
// the echo to the client, takes the special characters agreed as its
// control characters, and turns IAC IP into its interrupt character.
func TestPtyLinemode(t *testing.T) {
	p := shells.Pty("/bin/sh")
	p.LineMode = true
	addr, _ := servePty(t, p, telnet.WithLineMode())
	slc := negotiate.DefaultSLC()
	slc.Set(negotiate.SLCIP, negotiate.SLCValue|negotiate.SLCFlushIn|negotiate.SLCFlushOut, 0x18) // ^X
	slc.Set(negotiate.SLCEW, negotiate.SLCValue, 0x02)                                            // ^B
	// No LFLOW: the terminal is followed for LINEMODE alone.
	c := shelltest.Dial(t, addr, telnet.WithLocalOption(negotiate.Linemode, telnet.Accept), telnet.WithSLC(slc),
		telnet.WithLocalOption(negotiate.LFLOW, telnet.Refuse))
	waitUntil(t, "LINEMODE EDIT", func() bool { mode, _ := c.Linemode(); return mode&negotiate.LinemodeEdit != 0 })
	time.Sleep(50 * time.Millisecond) // the server sets the terminal as it reads
	out := runCommand(t, c, "stty -a")
	// The line discipline leaves echo and editing to the client (EXTPROC);
	// the echo flag is the program's.
	for _, want := range []string{"intr = ^X;", "werase = ^B;", " echo ", " extproc"} {
		if !strings.Contains(out, want) {
			t.Errorf("stty -a does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(c.String(), "stty -a;") {
		t.Errorf("the terminal echoed the line: %q", c.String())
	}
	c.Send(t, "sleep 20; echo not interrupted\r")
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := c.SendCommand(negotiate.IP); err != nil {
		t.Fatal(err)
	}
	if out := runCommand(t, c, "echo alive"); out != "alive\r\n" || time.Since(start) > 10*time.Second {
		t.Errorf("after IAC IP: %q after %v", out, time.Since(start))
	}
	if strings.Contains(c.String(), "not interrupted") {
		t.Error("IAC IP did not interrupt sleep")
	}

	// A line ends at the terminal's EOL character too: the client sends
	// its line when it is typed.
	runCommand(t, c, "stty eol ^B")
	waitUntil(t, "FORWARDMASK ^B", func() bool { return c.ForwardMask().Has(0x02) })

	// A program that reads keys has the client send them as typed, and
	// the server echo (or not); back to lines after it.
	charMode := func() bool {
		mode, _ := c.Linemode()
		return mode&negotiate.LinemodeEdit == 0 && c.OptionEnabled(negotiate.Remote, negotiate.Echo)
	}
	c.Send(t, "stty -icanon -echo; echo RAW; sleep 1; stty icanon echo; echo COOKED\r")
	c.WaitFor(t, "RAW\r\n", shelltest.Timeout)
	waitUntil(t, "character mode", charMode)
	c.WaitFor(t, "COOKED\r\n", shelltest.Timeout)
	waitUntil(t, "line mode again", func() bool { return !charMode() })

	// Once LINEMODE is off, attributes a program saved under it do not
	// bring EXTPROC back, where a CR would end no line.
	if err := c.DisableOption(negotiate.Local, negotiate.Linemode); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "LINEMODE off", func() bool { _, on := c.Linemode(); return !on })
	runCommand(t, c, "stty extproc")
	if out := runCommand(t, c, "stty -a | grep -o -- '-*extproc'"); out != "-extproc\r\n" {
		t.Errorf("after LINEMODE, a program's EXTPROC stays: %q", out)
	}
}

// TestPtyFlowControl checks that a client that does LFLOW has its XON/XOFF
// flow control follow the program's: off when the program takes ^S and
// ^Q as keys, and restarting on any key when the program says so.
func TestPtyFlowControl(t *testing.T) {
	addr, _ := servePty(t, shells.Pty("/bin/sh"))
	c := shelltest.Dial(t, addr) // a Conn accepts LFLOW
	flow := func(on, any bool) func() bool {
		return func() bool {
			gotOn, gotAny, ok := c.FlowControl()
			return ok && gotOn == on && gotAny == any
		}
	}
	waitUntil(t, "LFLOW on", flow(true, false))
	runCommand(t, c, "stty -ixon")
	waitUntil(t, "LFLOW OFF", flow(false, false))
	runCommand(t, c, "stty ixon ixany")
	waitUntil(t, "LFLOW ON, RESTART-ANY", flow(true, true))
}
