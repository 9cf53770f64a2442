package negotiate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// testPolicy is a server's policy: it will echo, suppress GA, send binary
// and report status, and lets the client send its terminal type, window
// size, binary and environment.
func testPolicy() Config {
	return Config{
		Local:  OptionSetOf(Echo, SGA, Binary, Status, TimingMark),
		Remote: OptionSetOf(TTYPE, NAWS, Binary, NewEnviron),
	}
}

// result is everything an engine made of its input.
type result struct {
	data   []byte
	events []string // "offset:event", offsets counted in data bytes from the start
	out    []byte
}

// feed feeds the chunks to e one call each, and collects the result.
func feed(e *Engine, chunks ...[]byte) result {
	var r result
	r.feed(e, chunks...)
	return r
}

// feed feeds the chunks to e one call each, and adds what it made of them
// to r.
func (r *result) feed(e *Engine, chunks ...[]byte) {
	for _, c := range chunks {
		buf := bytes.Clone(c)
		n := e.Feed(buf)
		for _, ev := range e.Events() {
			r.events = append(r.events, fmt.Sprintf("%d:%v", len(r.data)+ev.Offset, ev))
		}
		r.data = append(r.data, buf[:n]...)
		r.out = e.AppendOutput(r.out)
	}
}

func (r result) String() string {
	return fmt.Sprintf("data %q\nevents %s\nout % x", r.data, strings.Join(r.events, ", "), r.out)
}

func equalResults(a, b result) bool {
	return bytes.Equal(a.data, b.data) && bytes.Equal(a.out, b.out) &&
		strings.Join(a.events, "\n") == strings.Join(b.events, "\n")
}

var parserTests = []struct {
	name   string
	in     string
	data   string
	events []string
	out    string
}{
	{name: "plain", in: "hello, world\r\n", data: "hello, world\r\n"},
	{name: "empty", in: "", data: ""},
	{name: "IAC IAC in data", in: "a\xff\xffb", data: "a\xffb"},
	{name: "IAC IAC IAC IAC", in: "\xff\xff\xff\xff", data: "\xff\xff"},
	{
		name:   "commands between data bytes",
		in:     "m\xff\xf1n\xff\xf9o\xff\xf2p\xff\xf6q",
		data:   "mnopq",
		events: []string{"1:IAC NOP", "2:IAC GA", "3:IAC DM", "4:IAC AYT"},
	},
	{
		name: "every two-byte command",
		in:   "\xff\xec\xff\xed\xff\xee\xff\xef\xff\xf1\xff\xf2\xff\xf3\xff\xf4\xff\xf5\xff\xf6\xff\xf7\xff\xf8\xff\xf9",
		events: []string{"0:IAC EOF", "0:IAC SUSP", "0:IAC ABORT", "0:IAC EOR", "0:IAC NOP", "0:IAC DM",
			"0:IAC BRK", "0:IAC IP", "0:IAC AO", "0:IAC AYT", "0:IAC EC", "0:IAC EL", "0:IAC GA"},
	},
	{
		name:   "unknown command is consumed",
		in:     "a\xff\x80b\xff\x00c",
		data:   "abc",
		events: []string{"1:negotiate: unknown command: IAC 128", "2:negotiate: unknown command: IAC 0"},
	},
	{
		name:   "SE outside SB",
		in:     "a\xff\xf0b",
		data:   "ab",
		events: []string{"1:negotiate: unknown command: IAC 240"},
	},
	{
		name:   "IAC SB IAC SE",
		in:     "x\xff\xfa\xff\xf0y",
		data:   "xy",
		events: []string{"1:negotiate: subnegotiation without option"},
	},
	{
		name:   "bare SE inside SB is payload",
		in:     "\xff\xfa\x1f\x00\xf0\x00\x18\xff\xf0",
		events: []string{"0:SB NAWS 00 f0 00 18"},
	},
	{
		name:   "IAC IAC inside SB",
		in:     "\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0z",
		data:   "z",
		events: []string{"0:SB NAWS 00 ff 00 18"},
	},
	{
		name:   "option 255 escaped in SB",
		in:     "\xff\xfa\xff\xff\x01\xff\xf0",
		events: []string{"0:SB EXOPL 01"},
	},
	{
		name: "option 255 with a truncated SB",
		in:   "a\xff\xfa\xff\xff\x01\x02",
		data: "a",
	},
	{
		name: "SB interrupted by IAC WILL",
		in:   "\xff\xfa\x18\x00abc\xff\xfb\x18xyz",
		data: "xyz",
		events: []string{"0:negotiate: subnegotiation interrupted: SB TTYPE", "0:WILL TTYPE",
			"0:remote TTYPE enabled"},
		out: "\xff\xfd\x18",
	},
	{
		name:   "SB interrupted before its option",
		in:     "\xff\xfa\xff\xf1q",
		data:   "q",
		events: []string{"0:negotiate: subnegotiation interrupted: SB BINARY", "0:IAC NOP"},
	},
	{
		name:   "SB interrupted by IAC IAC data is not data",
		in:     "\xff\xfa\x18\x01\xff\xf9r",
		data:   "r",
		events: []string{"0:negotiate: subnegotiation interrupted: SB TTYPE", "0:IAC GA"},
	},
	{
		name:   "empty SB payload",
		in:     "\xff\xfa\x18\xff\xf0",
		events: []string{"0:SB TTYPE"},
	},
	{
		name:   "DO ECHO once",
		in:     "\xff\xfd\x01",
		events: []string{"0:DO ECHO", "0:local ECHO enabled"},
		out:    "\xff\xfb\x01",
	},
	{
		name:   "DO ECHO twice answers once",
		in:     "\xff\xfd\x01\xff\xfd\x01",
		events: []string{"0:DO ECHO", "0:local ECHO enabled", "0:DO ECHO"},
		out:    "\xff\xfb\x01",
	},
	{
		name:   "DONT for a disabled option is not answered",
		in:     "\xff\xfe\x01\xff\xfc\x1f",
		events: []string{"0:DONT ECHO", "0:WONT NAWS"},
	},
	{
		name: "WILL then WONT NAWS",
		in:   "\xff\xfb\x1f\xff\xfc\x1f\xff\xfc\x1f",
		events: []string{"0:WILL NAWS", "0:remote NAWS enabled", "0:WONT NAWS", "0:remote NAWS disabled",
			"0:WONT NAWS"},
		out: "\xff\xfd\x1f\xff\xfe\x1f",
	},
	{
		name:   "refused offers",
		in:     "\xff\xfd\xc8\xff\xfb\x01\xff\xfd\x18",
		events: []string{"0:DO ATCP", "0:WILL ECHO", "0:DO TTYPE"},
		out:    "\xff\xfc\xc8\xff\xfe\x01\xff\xfc\x18",
	},
	{
		name:   "every DO TIMING-MARK is answered",
		in:     "a\xff\xfd\x06b\xff\xfd\x06",
		data:   "ab",
		events: []string{"1:DO TIMING-MARK", "2:DO TIMING-MARK"},
		out:    "\xff\xfb\x06\xff\xfb\x06",
	},
	{
		name:   "unsolicited WILL TIMING-MARK",
		in:     "\xff\xfb\x06",
		events: []string{"0:WILL TIMING-MARK"},
		out:    "\xff\xfe\x06",
	},
}

func TestParser(t *testing.T) {
	for _, tt := range parserTests {
		t.Run(tt.name, func(t *testing.T) {
			got := feed(New(testPolicy()), []byte(tt.in))
			want := result{data: []byte(tt.data), events: tt.events, out: []byte(tt.out)}
			if !equalResults(got, want) {
				t.Errorf("got\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// TestParserSplits feeds every parser test in every split into two and
// three calls, and wants the result of one call.
func TestParserSplits(t *testing.T) {
	for _, tt := range parserTests {
		in := []byte(tt.in)
		want := feed(New(testPolicy()), in)
		for i := 0; i <= len(in); i++ {
			for j := i; j <= len(in); j++ {
				got := feed(New(testPolicy()), in[:i], in[i:j], in[j:])
				if !equalResults(got, want) {
					t.Fatalf("%s split at %d,%d: got\n%v\nwant\n%v", tt.name, i, j, got, want)
				}
			}
		}
	}
}

func TestParserByteAtATime(t *testing.T) {
	var all []byte
	for _, tt := range parserTests {
		all = append(all, tt.in...)
	}
	want := feed(New(testPolicy()), all)
	var chunks [][]byte
	for i := range all {
		chunks = append(chunks, all[i:i+1])
	}
	if got := feed(New(testPolicy()), chunks...); !equalResults(got, want) {
		t.Errorf("byte at a time: got\n%v\nwant\n%v", got, want)
	}
}

func TestSubnegotiationTooLong(t *testing.T) {
	const size = 1 << 20
	payload := bytes.Repeat([]byte{'a'}, size)
	in := append([]byte("\xff\xfa\x18\x00"), payload...)
	in = append(in, "\xff\xf0ok\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0"...)

	for _, chunk := range []int{len(in), 4096, 1000} {
		e := New(testPolicy())
		var chunks [][]byte
		for p := in; len(p) > 0; p = p[min(chunk, len(p)):] {
			chunks = append(chunks, p[:min(chunk, len(p))])
		}
		var maxArena int
		var r result
		for _, c := range chunks {
			r.feed(e, c)
			maxArena = max(maxArena, cap(e.arena))
		}
		wantEvents := []string{
			fmt.Sprintf("0:negotiate: subnegotiation too long: SB TTYPE of %d bytes", size+1),
			"2:SB NAWS 00 50 00 18",
		}
		if string(r.data) != "ok" || strings.Join(r.events, "|") != strings.Join(wantEvents, "|") {
			t.Errorf("chunk %d: got data %q events %q", chunk, r.data, r.events)
		}
		// The payload kept is bounded by the limit, not by what was sent.
		if maxArena > 2*DefaultMaxSubnegotiation {
			t.Errorf("chunk %d: arena grew to %d bytes", chunk, maxArena)
		}
		if cap(e.arena) > arenaKeep {
			t.Errorf("chunk %d: arena of %d bytes kept after the SB", chunk, cap(e.arena))
		}
	}
}

func TestMaxSubnegotiationConfig(t *testing.T) {
	e := New(Config{MaxSubnegotiation: 4})
	r := feed(e, []byte("\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfa\x1f\x00\x50\x00\x18\x00\xff\xf0"))
	want := []string{"0:SB NAWS 00 50 00 18", "0:negotiate: subnegotiation too long: SB NAWS of 5 bytes"}
	if strings.Join(r.events, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", r.events, want)
	}
}

// TestEventDataStable checks that the payloads of several SBs in one Feed
// stay intact until the next Feed.
func TestEventDataStable(t *testing.T) {
	e := New(Config{})
	buf := []byte("\xff\xfa\x18\x00one\xff\xf0\xff\xfa\x18\x00two\xff\xf0")
	e.Feed(buf)
	evs := e.Events()
	if len(evs) != 2 || string(evs[0].Data) != "\x00one" || string(evs[1].Data) != "\x00two" {
		t.Fatalf("events %v", evs)
	}
	// Appending to one payload must not overwrite the next.
	_ = append(evs[0].Data, 'X')
	if string(evs[1].Data) != "\x00two" {
		t.Errorf("second payload overwritten: %q", evs[1].Data)
	}
}

func TestEngineSend(t *testing.T) {
	e := New(Config{})
	e.Enable(Local, Echo)
	e.Enable(Local, Echo) // already asked: nothing more
	e.Enable(Remote, NAWS)
	e.SendSubnegotiation(TTYPE, []byte{1})
	e.SendSubnegotiation(NAWS, []byte{0, 255, 0, 24})
	e.SendCommand(GA)
	want := "\xff\xfb\x01\xff\xfd\x1f\xff\xfa\x18\x01\xff\xf0\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0\xff\xf9"
	if got := e.AppendOutput(nil); string(got) != want {
		t.Errorf("output % x, want % x", got, want)
	}
	if e.OutputLen() != 0 {
		t.Errorf("output not emptied")
	}
	if !e.Negotiating() || !e.Pending(Local, Echo) || !e.Pending(Remote, NAWS) {
		t.Errorf("requests not pending")
	}
	r := feed(e, []byte("\xff\xfd\x01\xff\xfc\x1f"))
	if len(r.out) != 0 || e.Negotiating() || !e.Enabled(Local, Echo) || e.Enabled(Remote, NAWS) {
		t.Errorf("after answers: out % x, negotiating %v, echo %v, naws %v",
			r.out, e.Negotiating(), e.Enabled(Local, Echo), e.Enabled(Remote, NAWS))
	}
	want2 := []string{"0:DO ECHO", "0:local ECHO enabled", "0:WONT NAWS"}
	if strings.Join(r.events, "|") != strings.Join(want2, "|") {
		t.Errorf("events %q, want %q", r.events, want2)
	}
}

func TestTimingMarkQuestion(t *testing.T) {
	e := New(Config{})
	for range 2 {
		e.Enable(Remote, TimingMark)
		if got := e.AppendOutput(nil); string(got) != "\xff\xfd\x06" {
			t.Fatalf("sent % x, want DO TIMING-MARK", got)
		}
		r := feed(e, []byte("\xff\xfb\x06"))
		if len(r.out) != 0 || e.Enabled(Remote, TimingMark) || e.Negotiating() {
			t.Fatalf("after WILL TIMING-MARK: out % x, enabled %v", r.out, e.Enabled(Remote, TimingMark))
		}
	}
}

func TestRepeatedRequestsAreBounded(t *testing.T) {
	e := New(Config{})
	in := bytes.Repeat([]byte("\xff\xfd\x01"), 100)
	r := feed(e, in)
	if want := bytes.Repeat([]byte("\xff\xfc\x01"), refusalLimit); !bytes.Equal(r.out, want) {
		t.Errorf("answers % x, want %d refusals", r.out, refusalLimit)
	}
	if n := strings.Count(strings.Join(r.events, "\n"), "request refused too often"); n != 100-refusalLimit {
		t.Errorf("%d repeated-request events, want %d", n, 100-refusalLimit)
	}
}

// TestOptionStorm alternates WILL and WONT: every message is answered at
// most once, so the replies never outgrow the input.
func TestOptionStorm(t *testing.T) {
	e := New(testPolicy())
	in := bytes.Repeat([]byte("\xff\xfb\x1f\xff\xfc\x1f"), 10000)
	r := feed(e, in)
	if len(r.out) > len(in) {
		t.Errorf("%d bytes of replies to %d bytes", len(r.out), len(in))
	}
	if e.Enabled(Remote, NAWS) {
		t.Errorf("NAWS enabled after a final WONT")
	}
}

func TestStatusAnswer(t *testing.T) {
	e := New(testPolicy())
	// The peer enables our STATUS, ECHO and its NAWS, then asks for status.
	r := feed(e, []byte("\xff\xfd\x05\xff\xfd\x01\xff\xfb\x1f\xff\xfa\x05\x01\xff\xf0"))
	want := "\xff\xfb\x05\xff\xfb\x01\xff\xfd\x1f" +
		"\xff\xfa\x05\x00\xfb\x01\xfb\x05\xfd\x1f\xff\xf0" // IS WILL ECHO WILL STATUS DO NAWS
	if string(r.out) != want {
		t.Errorf("out % x\nwant % x", r.out, want)
	}
	cmd, entries, err := ParseStatus(e.AppendStatus(nil))
	if err != nil || cmd != StatusIs || len(entries) != 3 {
		t.Errorf("own status: %v %v %v", cmd, entries, err)
	}
	// Without STATUS enabled at our end, SEND is not answered.
	e = New(testPolicy())
	if r := feed(e, []byte("\xff\xfa\x05\x01\xff\xf0")); len(r.out) != 0 {
		t.Errorf("answered STATUS SEND while STATUS is off: % x", r.out)
	}
}

func TestSubnegotiationOptionOn(t *testing.T) {
	e := New(testPolicy())
	e.Feed([]byte("\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0"))
	var got []bool
	for _, ev := range e.Events() {
		if ev.Kind == EventSubnegotiation {
			got = append(got, ev.OptionOn)
		}
	}
	if len(got) != 2 || got[0] || !got[1] {
		t.Errorf("SB NAWS OptionOn flags %v, want [false true]", got)
	}
}

func TestAbortSubnegotiation(t *testing.T) {
	e := New(testPolicy())
	if opt, p := e.AbortSubnegotiation(); opt != 0 || p != nil {
		t.Errorf("abort with no SB: %v %q", opt, p)
	}
	// npm telnet-client: a bare IAC SB TTYPE, then the user's data.
	buf := []byte("\xff\xfa\x18hello\xff\xff\r\n")
	if n := e.Feed(buf); n != 0 || !e.InSubnegotiation() {
		t.Fatalf("Feed = %d, in SB %v", n, e.InSubnegotiation())
	}
	opt, p := e.AbortSubnegotiation()
	if opt != TTYPE || string(p) != "hello\xff\r\n" || e.InSubnegotiation() {
		t.Errorf("abort = %v %q, in SB %v", opt, p, e.InSubnegotiation())
	}
	buf = []byte("more")
	if n := e.Feed(buf); string(buf[:n]) != "more" {
		t.Errorf("after abort, data %q", buf[:n])
	}
	e.Feed([]byte("\xff\xfa"))
	if opt, p := e.AbortSubnegotiation(); opt != 0 || p != nil || e.InSubnegotiation() {
		t.Errorf("abort before the option: %v %q", opt, p)
	}
}

func TestStopAfter(t *testing.T) {
	// A client that takes MCCP2: the SB that starts compression ends
	// Feed, and what follows it is left for the caller, at any split.
	in := []byte("ab\xff\xfb\x56\xff\xfa\x56\xff\xf0\x78\x9c\xff\xfb\x01")
	for split := 0; split <= len(in); split++ {
		e := New(Config{Remote: OptionSetOf(MCCP2), StopAfter: OptionSetOf(MCCP2)})
		var data []byte
		rest := []byte(nil)
		for _, chunk := range [][]byte{in[:split], in[split:]} {
			if rest != nil {
				rest = append(rest, chunk...)
				continue
			}
			buf := bytes.Clone(chunk)
			n := e.Feed(buf)
			data = append(data, buf[:n]...)
			if stoppedAt(e) {
				rest = append([]byte{}, buf[len(buf)-e.Unparsed():]...)
			}
		}
		if string(data) != "ab" || string(rest) != "\x78\x9c\xff\xfb\x01" {
			t.Errorf("split %d: data %q, left %q", split, data, rest)
		}
		if !e.Enabled(Remote, MCCP2) || e.Enabled(Remote, Echo) {
			t.Errorf("split %d: the bytes after the SB were parsed", split)
		}
	}
	// Not enabled: the SB is an ordinary one, and Feed goes on.
	e := New(Config{StopAfter: OptionSetOf(MCCP2)})
	buf := []byte("\xff\xfa\x56\xff\xf0xy")
	if n := e.Feed(buf); string(buf[:n]) != "xy" || e.Unparsed() != 0 {
		t.Errorf("SB of a disabled option: data %q, unparsed %d", buf[:n], e.Unparsed())
	}
}

// stoppedAt reports whether the last Feed of e ended with an SB it stops
// after: its last event says so, even when the SB ended its buffer.
func stoppedAt(e *Engine) bool {
	evs := e.Events()
	if len(evs) == 0 {
		return false
	}
	ev := evs[len(evs)-1]
	return ev.Kind == EventSubnegotiation && ev.OptionOn && e.policy.StopAfter.Has(ev.Option)
}
