package shells_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

const prompt = "tel:sh> "

// debugSession connects a client to a Debug shell, and reads the greeting
// and first prompt.
func debugSession(t *testing.T, serverOpts []telnet.Option, clientOpts ...telnet.Option) *shelltest.Client {
	t.Helper()
	addr := serveHandler(t, shells.Debug(), serverOpts...)
	c := shelltest.Dial(t, addr, clientOpts...)
	c.Expect(t, "Ready.\r\n"+prompt)
	return c
}

// slcText is what the slc command prints for the BSD default table.
const slcText = "Special Line Characters:\r\n" +
	"         SLC_AO: (^O, variable)\r\n" +
	"         SLC_EC: (^?, variable)\r\n" +
	"         SLC_EL: (^U, variable)\r\n" +
	"         SLC_EW: (^W, variable)\r\n" +
	"         SLC_IP: (^C, variable|flushin|flushout)\r\n" +
	"         SLC_RP: (^R, variable)\r\n" +
	"        SLC_AYT: (^T, variable)\r\n" +
	"        SLC_EOF: (^D, variable)\r\n" +
	"        SLC_XON: (^Q, variable)\r\n" +
	"       SLC_SUSP: (^Z, variable|flushin)\r\n" +
	"       SLC_XOFF: (^S, variable)\r\n" +
	"      SLC_ABORT: (^\\, variable|flushin|flushout)\r\n" +
	"      SLC_LNEXT: (^V, variable)\r\n" +
	"Unset by client: SLC_BRK, SLC_EOR, SLC_SYNCH\r\n" +
	"Not supported by server: SLC_EBOL, SLC_ECR, SLC_EEOL, SLC_EWR, SLC_FORW1, SLC_FORW2, SLC_INSRT, " +
	"SLC_MCBOL, SLC_MCEOL, SLC_MCL, SLC_MCR, SLC_MCWL, SLC_MCWR, SLC_OVER"

func TestDebugCommands(t *testing.T) {
	c := debugSession(t, nil, telnet.WithTerminalType("xterm"), telnet.WithWindowSize(100, 30),
		telnet.WithEnv(map[string]string{"USER": "tester", "LANG": "C.UTF-8"}))
	host, port := splitAddr(t, c.LocalAddr().String())
	for _, tc := range []struct {
		typed, output string
	}{
		{"help", shells.DebugHelp},
		{"", ""},
		{"  help  ", shells.DebugHelp},
		{"bogus", "no such command."},
		{"proto", "<Peer " + host + " " + port + ">"},
		{"writer", "<Conn server mode:kludge +lineflow -xon_any server-will:BINARY,ECHO,SGA client-will:BINARY,NAWS,NEW-ENVIRON,TTYPE>"},
		{"reader", `<Reader inbinary:true term:"xterm" ttypes:["xterm"] size:100x30 speed:0,0 xdisplay:"" env:{"LANG":"C.UTF-8","USER":"tester"}>`},
		{"slc", slcText},
		{"linemode", "LINEMODE not negotiated."},
		{"toggle", "binary ON\r\necho ON\r\ngoahead off\r\ninbinary ON\r\nlflow ON\r\nlinemode off\r\n" +
			"linemode-edit off\r\nlinemode-trapsig off\r\noutbinary ON\r\nxon-any off"},
		{"toggle bogus", "toggle: not an option."},
		{"toggle linemode-edit", "linemode not active."},
		{"toggle xon-any", "xon-any enabled."},
		{"toggle lflow", "lineflow disabled."},
		{"writer", "<Conn server mode:kludge -lineflow +xon_any server-will:BINARY,ECHO,SGA client-will:BINARY,NAWS,NEW-ENVIRON,TTYPE>"},
		{"toggle binary", "wont outbinary.\r\ndont inbinary."},
		{"toggle", "binary off\r\necho ON\r\ngoahead off\r\ninbinary off\r\nlflow off\r\nlinemode off\r\n" +
			"linemode-edit off\r\nlinemode-trapsig off\r\noutbinary off\r\nxon-any ON"},
		{"dump 1", "kb_limit=1, delay=0, drain=True, do_close=False:\r\n" + dumpRows(7) + "\x1b[1Gwrote 1176 bytes\r\n1 OK"},
	} {
		c.Send(t, tc.typed+"\r\n")
		want := tc.typed + "\r\n" + tc.output // the echo, then CR LF
		if tc.output != "" || strings.TrimSpace(tc.typed) != "" {
			want += "\r\n"
		}
		c.Expect(t, want+prompt)
	}
	c.Send(t, "version\r\n")
	c.Expect(t, "version\r\n"+versionOutput(t)+"\r\n"+prompt)
	c.Send(t, "quit\r\n")
	c.Expect(t, "quit\r\nGoodbye.\r\n")
	if rest := c.Rest(t); rest != "" {
		t.Errorf("after Goodbye: %q", rest)
	}
}

// dumpRows returns n pairs of the rows of the dump command.
func dumpRows(n int) string {
	return strings.Repeat(strings.Repeat("/", 80)+"\x1b[1G"+strings.Repeat(`\`, 80)+"\x1b[1G", n)
}

func splitAddr(t *testing.T, addr string) (host, port string) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		t.Fatalf("bad address %q", addr)
	}
	return addr[:i], addr[i+1:]
}

// versionOutput is what the version command prints in a test binary.
func versionOutput(t *testing.T) string {
	t.Helper()
	c := debugSession(t, nil)
	c.Send(t, "version\r\n")
	got := c.WaitFor(t, prompt, 10*time.Second)
	v := strings.TrimSuffix(strings.TrimPrefix(got, "version\r\n"), "\r\n"+prompt)
	if v == "" || strings.ContainsAny(v, "\r\n") {
		t.Fatalf("version printed %q", got)
	}
	return v
}

func TestDebugDumpClose(t *testing.T) {
	c := debugSession(t, nil)
	c.Send(t, "dump 0 0 nodrain close\r\n")
	want := "dump 0 0 nodrain close\r\nkb_limit=0, delay=0, drain=False, do_close=True:\r\n\x1b[1Gwrote 0 bytes\r\n0 OK"
	if got := c.Rest(t); got != want {
		t.Errorf("got %q, want %q and the end of the connection", got, want)
	}
}

// TestDebugToggleEcho checks that the shell stops echoing when it stops
// being the one that echoes, and that a client that refuses the echo
// gets none.
func TestDebugToggleEcho(t *testing.T) {
	c := debugSession(t, nil)
	c.Send(t, "toggle echo\r\n")
	c.Expect(t, "toggle echo\r\nwont echo.\r\n"+prompt)
	if c.OptionEnabled(negotiate.Remote, negotiate.Echo) {
		t.Error("the client still sees the server echo")
	}
	c.Send(t, "help\r\n")
	c.Expect(t, "\r\n"+shells.DebugHelp+"\r\n"+prompt)
	c.Send(t, "toggle echo\r\n")
	c.Expect(t, "\r\nwill echo.\r\n"+prompt)
	c.Send(t, "help\r\n")
	c.Expect(t, "help\r\n"+shells.DebugHelp+"\r\n"+prompt)

	refuser := debugSession(t, nil, telnet.WithRemoteOption(negotiate.Echo, telnet.Refuse))
	refuser.Send(t, "help\r\n")
	refuser.Expect(t, "\r\n"+shells.DebugHelp+"\r\n"+prompt)
}

// TestDebugGoAhead checks that each prompt ends with IAC GA once go-ahead
// is no longer suppressed.
func TestDebugGoAhead(t *testing.T) {
	var gas atomic.Int32
	c := debugSession(t, nil, telnet.WithOnChange(func(_ *telnet.Conn, ch telnet.Change) {
		if ch.Kind == telnet.ChangeCommand && ch.Command == negotiate.GA {
			gas.Add(1)
		}
	}))
	if n := gas.Load(); n != 0 {
		t.Errorf("%d GA with go-ahead suppressed", n)
	}
	c.Send(t, "toggle goahead\r\n")
	c.Expect(t, "toggle goahead\r\nwont suppress go-ahead.\r\n"+prompt)
	c.Send(t, "\r\n")
	c.Expect(t, "\r\n"+prompt)
	c.Send(t, "toggle goahead\r\n")
	c.Expect(t, "toggle goahead\r\nwill suppress go-ahead.\r\n"+prompt)
	c.Send(t, "help\r\n")
	c.Expect(t, "help\r\n"+shells.DebugHelp+"\r\n"+prompt)
	// The prompt after "will suppress go-ahead." goes out before the
	// client agrees, so it has its GA too.
	if n := gas.Load(); n != 3 {
		t.Errorf("%d GA, want 3: after the prompts without SGA", n)
	}
}

// TestDebugLineEditing checks the line editor: every end of line,
// backspace over narrow and wide characters, and escape sequences
// dropped, with folded and raw line endings at the server.
func TestDebugLineEditing(t *testing.T) {
	for _, raw := range []bool{false, true} {
		t.Run(fmt.Sprintf("raw=%v", raw), func(t *testing.T) {
			var opts []telnet.Option
			if raw {
				opts = append(opts, telnet.WithRawLineEndings())
			}
			c := debugSession(t, opts)
			for _, tc := range []struct {
				typed []string // sent in separate writes
				echo  string
			}{
				{[]string{"help\r\x00"}, "help"},
				{[]string{"help\r", "\n"}, "help"},
				{[]string{"help\n"}, "help"},
				{[]string{"help\r"}, "help"},
				{[]string{"\nhelp\r\n"}, "help"}, // the LF of the CR above
				{[]string{"hx\x7felp\r\n"}, "hx\b \belp"},
				{[]string{"hx\belp\r\n"}, "hx\b \belp"},
				{[]string{"\x7fhelp\r\n"}, "help"},
				{[]string{"a\u231a\x7f\x7fhelp\r\n"}, "a\u231a\b \b\b \b\b \bhelp"},
				{[]string{"e\u0301\x7fhelp\r\n"}, "e\u0301\b \bhelp"},
				{[]string{"he\x1b[Dl\x1bOAp\x1b]0;title\x07\r\n"}, "help"},
				{[]string{"he", "\x1b[1;", "5Clp\r\n"}, "help"},
				{[]string{"help\x1b\r\n"}, "help"}, // a lone ESC, then Enter
				{[]string{"he\x01\x02lp\t\r\n"}, "help"},
			} {
				for _, s := range tc.typed {
					c.Send(t, s)
				}
				c.Expect(t, tc.echo+"\r\n"+shells.DebugHelp+"\r\n"+prompt)
			}
		})
	}
}

// TestDebugLongLine checks that a line longer than the bound is cut, not
// grown.
func TestDebugLongLine(t *testing.T) {
	c := debugSession(t, nil, telnet.WithRemoteOption(negotiate.Echo, telnet.Refuse))
	c.Send(t, strings.Repeat("x", 100_000)+"\r\n")
	c.Expect(t, "\r\nno such command.\r\n"+prompt)
}

// The writer command shows the encodings of a Conn that has them: a
// client that agrees on CHARSET, and one that only knows bytes, whose
// CP437 box drawing the shell echoes in CP437.
func TestDebugWriterEncoding(t *testing.T) {
	for _, tc := range []struct {
		name       string
		clientOpts []telnet.Option
		typed      string // "╔═╗" as the client sends it
		writer     string
	}{
		{"charset", []telnet.Option{telnet.WithEncoding("cp437")}, "╔═╗",
			"<Conn server mode:kludge +lineflow -xon_any server-will:BINARY,CHARSET,ECHO,SGA " +
				"client-will:BINARY,CHARSET,NAWS,NEW-ENVIRON,TTYPE encoding:read=IBM437,write=IBM437 charset:IBM437>"},
		{"bytes", nil, "\xc9\xcd\xbb",
			"<Conn server mode:kludge +lineflow -xon_any server-will:BINARY,ECHO,SGA " +
				"client-will:BINARY,NAWS,NEW-ENVIRON,TTYPE encoding:read=IBM437,write=IBM437>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := debugSession(t, []telnet.Option{telnet.WithEncoding("cp437")}, tc.clientOpts...)
			c.Send(t, tc.typed+"\r\n")
			c.Expect(t, tc.typed+"\r\nno such command.\r\n"+prompt)
			c.Send(t, "writer\r\n")
			c.Expect(t, "writer\r\n"+tc.writer+"\r\n"+prompt)
		})
	}
}

// TestDebugLinemodeAndFlowControl checks that slc, linemode and toggle
// show and change what was agreed with a client that does LINEMODE and
// LFLOW.
func TestDebugLinemodeAndFlowControl(t *testing.T) {
	slc := negotiate.DefaultSLC()
	slc.Set(negotiate.SLCEW, negotiate.SLCValue, 0x02) // ^B
	c := debugSession(t, []telnet.Option{telnet.WithLineMode(), telnet.WithRemoteOption(negotiate.LFLOW, telnet.Request)},
		telnet.WithLocalOption(negotiate.Linemode, telnet.Accept), telnet.WithSLC(slc))
	run := func(typed, output string) {
		t.Helper()
		c.Send(t, typed+"\r\n") // the client edits and echoes
		c.Expect(t, "\r\n"+output+"\r\n"+prompt)
	}
	edit := negotiate.LinemodeEdit | negotiate.LinemodeTrapSig
	waitUntil(t, "MODE EDIT|TRAPSIG", func() bool { m, _ := c.Linemode(); return m == edit })
	run("linemode", "LINEMODE active. Mode: local\r\nEDIT=on TRAPSIG=on SOFT_TAB=off LIT_ECHO=off ACK=on")
	c.Send(t, "slc\r\n")
	if out := c.WaitFor(t, prompt, shelltest.Timeout); !strings.Contains(out, "SLC_EW: (^B, variable") {
		t.Errorf("slc does not show the client's word erase:\n%s", out)
	}
	run("toggle linemode-edit", "linemode-edit disabled.")
	waitUntil(t, "MODE TRAPSIG", func() bool { m, _ := c.Linemode(); return m == negotiate.LinemodeTrapSig })
	run("linemode", "LINEMODE active. Mode: remote\r\nEDIT=off TRAPSIG=on SOFT_TAB=off LIT_ECHO=off ACK=on")
	run("toggle lflow", "lineflow disabled.")
	waitUntil(t, "LFLOW OFF", func() bool { on, _, ok := c.FlowControl(); return ok && !on })
	run("toggle xon-any", "xon-any enabled.")
	waitUntil(t, "LFLOW RESTART-ANY", func() bool { _, any, _ := c.FlowControl(); return any })
	run("toggle", "binary ON\r\necho off\r\ngoahead ON\r\ninbinary ON\r\nlflow off\r\nlinemode ON\r\n"+
		"linemode-edit off\r\nlinemode-trapsig ON\r\noutbinary ON\r\nxon-any ON")
}
