package telnet

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// changeLog collects the changes a Conn reports.
type changeLog struct {
	mu      sync.Mutex
	changes []Change
	added   chan struct{}
}

func newChangeLog() *changeLog { return &changeLog{added: make(chan struct{}, 1)} }

func (l *changeLog) add(_ *Conn, ch Change) {
	l.mu.Lock()
	l.changes = append(l.changes, ch)
	l.mu.Unlock()
	select {
	case l.added <- struct{}{}:
	default:
	}
}

// wait returns the first change of kind about opt, reading from c (whose
// reads report changes) until it comes.
func (l *changeLog) wait(t *testing.T, c *Conn, kind ChangeKind, opt negotiate.Option) Change {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	buf := make([]byte, 256)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for i, ch := range l.changes {
			if ch.Kind == kind && ch.Option == opt {
				l.changes = append(l.changes[:i:i], l.changes[i+1:]...)
				l.mu.Unlock()
				return ch
			}
		}
		l.mu.Unlock()
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if n, err := c.Read(buf); n > 0 {
			t.Fatalf("unexpected data %q", buf[:n])
		} else if err != nil && !isDeadline(err) {
			t.Fatal(err)
		}
	}
	t.Fatalf("no %v change about %v", kind, opt)
	return Change{}
}

// mudPair returns a client and a server that agreed to GMCP, MSDP and
// MSSP (the server offers, the client accepts), each reporting its
// changes to a log.
func mudPair(t *testing.T) (client, server *Conn, clientLog, serverLog *changeLog) {
	t.Helper()
	clientLog, serverLog = newChangeLog(), newChangeLog()
	var copts, sopts []Option
	for _, opt := range []negotiate.Option{negotiate.GMCP, negotiate.MSDP, negotiate.MSSP} {
		copts = append(copts, WithRemoteOption(opt, Accept))
		sopts = append(sopts, WithLocalOption(opt, Request))
	}
	client, server = pair(t, append(copts, WithOnChange(clientLog.add)), append(sopts, WithOnChange(serverLog.add)))
	for _, opt := range []negotiate.Option{negotiate.GMCP, negotiate.MSDP, negotiate.MSSP} {
		if !server.OptionEnabled(negotiate.Local, opt) {
			t.Fatalf("%v not agreed", opt)
		}
	}
	return client, server, clientLog, serverLog
}

func TestGMCPBothWays(t *testing.T) {
	client, server, clientLog, serverLog := mudPair(t)
	type vitals struct {
		HP, MaxHP int
		Name      string
	}
	sent := vitals{HP: 12, MaxHP: 40, Name: "Zed ÿ"}
	if err := server.SendGMCP("Char.Vitals", sent); err != nil {
		t.Fatal(err)
	}
	ch := clientLog.wait(t, client, ChangeSubnegotiation, negotiate.GMCP)
	pkg, data, err := ch.GMCP()
	var got vitals
	if err == nil {
		err = json.Unmarshal(data, &got)
	}
	if err != nil || pkg != "Char.Vitals" || got != sent {
		t.Errorf("client got %q %s (%v), want Char.Vitals %+v", pkg, data, err, sent)
	}
	// The client's way back, with no data.
	if err := client.SendGMCP("Core.Ping", nil); err != nil {
		t.Fatal(err)
	}
	ch = serverLog.wait(t, server, ChangeSubnegotiation, negotiate.GMCP)
	if pkg, data, err := ch.GMCP(); err != nil || pkg != "Core.Ping" || data != nil {
		t.Errorf("server got %q %q %v", pkg, data, err)
	}
	if s := ch.String(); s != "subnegotiation GMCP, 9 bytes" {
		t.Errorf("String() = %q", s)
	}
}

func TestMSDPAndMSSPRoundTrip(t *testing.T) {
	client, server, clientLog, serverLog := mudPair(t)
	msdp := []negotiate.MSDPVariable{
		{Name: "HEALTH", Value: negotiate.MSDPStringValue("40")},
		{Name: "ROOM", Value: negotiate.MSDPTableValue(
			negotiate.MSDPVariable{Name: "EXITS", Value: negotiate.MSDPArrayValue(
				negotiate.MSDPStringValue("n"), negotiate.MSDPStringValue("s"))})},
	}
	if err := server.SendMSDP(msdp...); err != nil {
		t.Fatal(err)
	}
	got, err := clientLog.wait(t, client, ChangeSubnegotiation, negotiate.MSDP).MSDP()
	if err != nil || !reflect.DeepEqual(got, msdp) {
		t.Errorf("MSDP: got %+v (%v), want %+v", got, err, msdp)
	}
	if err := client.SendMSDP(negotiate.MSDPVariable{Name: "REPORT", Value: negotiate.MSDPStringValue("HEALTH")}); err != nil {
		t.Fatal(err)
	}
	if got, err := serverLog.wait(t, server, ChangeSubnegotiation, negotiate.MSDP).MSDP(); err != nil || len(got) != 1 || got[0].Name != "REPORT" {
		t.Errorf("MSDP to the server: %+v %v", got, err)
	}

	mssp := []negotiate.MSSPVariable{{Name: "NAME", Values: []string{"Goblin Warren"}},
		{Name: "PORT", Values: []string{"4000", "4001"}}, {Name: "PLAYERS", Values: []string{"3"}},
		{Name: "IAC", Values: []string{"\xff\xff"}}}
	if err := server.SendMSSP(mssp...); err != nil {
		t.Fatal(err)
	}
	gotMSSP, err := clientLog.wait(t, client, ChangeSubnegotiation, negotiate.MSSP).MSSP()
	if err != nil || !reflect.DeepEqual(gotMSSP, mssp) {
		t.Errorf("MSSP: got %+v (%v), want %+v", gotMSSP, err, mssp)
	}
}

func TestMUDSendNeedsTheOption(t *testing.T) {
	client, server := pair(t, nil, nil)
	for _, c := range []*Conn{client, server} {
		for name, err := range map[string]error{
			"GMCP": c.SendGMCP("Core.Hello", map[string]string{"client": "x"}),
			"MSDP": c.SendMSDP(negotiate.MSDPVariable{Name: "A", Value: negotiate.MSDPStringValue("1")}),
			"MSSP": c.SendMSSP(negotiate.MSSPVariable{Name: "NAME", Values: []string{"x"}}),
		} {
			if !errors.Is(err, ErrOptionDisabled) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s without the option: %v", name, err)
			}
		}
	}
	if err := server.SendGMCP("bad name", nil); err == nil {
		t.Error("a GMCP package with a space was sent")
	}
	if err := server.SendGMCP("Char.Fn", func() {}); err == nil {
		t.Error("a value JSON cannot encode was sent")
	}
}

func TestMUDHostileSubnegotiations(t *testing.T) {
	var logs bytes.Buffer
	log := newChangeLog()
	raw, server := rawServer(t, WithLocalOption(negotiate.GMCP, Request), WithLocalOption(negotiate.MSDP, Request),
		WithOnChange(log.add), WithMaxSubnegotiation(1024), WithNegotiationTimeout(0),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	server.Handshake(t.Context())
	raw.Write([]byte("\xff\xfd\xc9\xff\xfd\x45")) // DO GMCP, DO MSDP
	for _, tc := range []struct {
		name, sb string
		opt      negotiate.Option
		decode   func(Change) error
	}{
		{"GMCP with invalid JSON", "Core.Hello {\"a\":", negotiate.GMCP, func(ch Change) error { _, _, err := ch.GMCP(); return err }},
		{"GMCP with no package", " {}", negotiate.GMCP, func(ch Change) error { _, _, err := ch.GMCP(); return err }},
		{"MSDP truncated", "\x01A\x02\x03\x01B", negotiate.MSDP, func(ch Change) error { _, err := ch.MSDP(); return err }},
		{"MSDP decoded as GMCP", "\x01A\x02B", negotiate.MSDP, func(ch Change) error { _, _, err := ch.GMCP(); return err }},
	} {
		raw.Write(append(append([]byte{0xff, 0xfa, byte(tc.opt)}, tc.sb...), 0xff, 0xf0))
		ch := log.wait(t, server, ChangeSubnegotiation, tc.opt)
		if string(ch.Data) != tc.sb {
			t.Errorf("%s: payload %q", tc.name, ch.Data)
		}
		if err := tc.decode(ch); err == nil {
			t.Errorf("%s: decoded without an error", tc.name)
		}
	}
	// Too long: dropped and logged, never reported; an SB of an option
	// not enabled is never reported either.
	raw.Write([]byte("\xff\xfa\xc9" + strings.Repeat("x", 2000) + "\xff\xf0\xff\xfa\x46\x01A\x02B\xff\xf0\xff\xfa\xc9Core.Ping\xff\xf0"))
	if ch := log.wait(t, server, ChangeSubnegotiation, negotiate.GMCP); string(ch.Data) != "Core.Ping" {
		t.Errorf("after the long SB: %q", ch.Data)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, ch := range log.changes {
		if ch.Kind == ChangeSubnegotiation {
			t.Errorf("reported: %v %q", ch, ch.Data)
		}
	}
	if !strings.Contains(logs.String(), "too long") && !strings.Contains(logs.String(), "TooLong") {
		t.Errorf("the long SB was not logged:\n%s", logs.String())
	}
}

func TestSendPrompt(t *testing.T) {
	for _, tc := range []struct {
		name         string
		client, serv []Option
		want         negotiate.Command // 0: nothing
	}{
		{"EOR agreed", nil, []Option{WithLocalOption(negotiate.EndOfRecord, Request)}, negotiate.EOR},
		{"MUD client, SGA agreed", []Option{WithTerminalType("tintin++")}, nil, negotiate.GA},
		{"SGA refused", []Option{WithLocalOption(negotiate.SGA, Refuse)}, []Option{WithLocalOption(negotiate.SGA, Refuse)}, negotiate.GA},
		{"terminal, SGA agreed", []Option{WithTerminalType("xterm")}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := newChangeLog()
			client, server := pair(t, append(tc.client, WithOnChange(log.add)), tc.serv)
			if err := server.SendPrompt(); err != nil {
				t.Fatal(err)
			}
			server.Write([]byte("x"))
			client.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := client.Read(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			var got negotiate.Command
			log.mu.Lock()
			for _, ch := range log.changes {
				if ch.Kind == ChangeCommand {
					got = ch.Command
				}
			}
			log.mu.Unlock()
			if got != tc.want {
				t.Errorf("prompt marked with %v, want %v", got, tc.want)
			}
		})
	}
}
