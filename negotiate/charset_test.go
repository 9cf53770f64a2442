package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// codecWire concatenates byte slices, single bytes and strings into one
// wire vector, so that golden vectors can be written as on the wire.
func codecWire(parts ...any) []byte {
	var out []byte
	for _, p := range parts {
		switch v := p.(type) {
		case byte:
			out = append(out, v)
		case int:
			out = append(out, byte(v))
		case rune:
			out = append(out, byte(v))
		case string:
			out = append(out, v...)
		case []byte:
			out = append(out, v...)
		default:
			panic("codecWire: unsupported part")
		}
	}
	return out
}

// telnetlib3Charsets is the list telnetlib3's server offers [observed].
var telnetlib3Charsets = []string{
	"UTF-8", "UTF-16", "LATIN1", "CP1252", "ISO-8859-15", "CP437",
	"SHIFT_JIS", "CP932", "BIG5", "CP950", "GBK", "GB2312", "CP936",
	"EUC-KR", "CP949", "US-ASCII",
}

// telnetlib3Offer is the payload of telnetlib3's server offer:
// SB CHARSET REQUEST " " "UTF-8 UTF-16 ... US-ASCII".
var telnetlib3Offer = codecWire(0x01, 0x20,
	"UTF-8 UTF-16 LATIN1 CP1252 ISO-8859-15 CP437 SHIFT_JIS CP932 BIG5 CP950 GBK GB2312 CP936 EUC-KR CP949 US-ASCII")

func TestCharsetEncodeGolden(t *testing.T) {
	must := func(p []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		payload []byte
		want    []byte
	}{
		{
			"telnetlib3 server offer",
			must(AppendCharsetRequest(nil, ' ', telnetlib3Charsets)),
			codecWire(0xff, 0xfa, 0x2a, 0x01, 0x20,
				"UTF-8 UTF-16 LATIN1 CP1252 ISO-8859-15 CP437 SHIFT_JIS CP932 BIG5 CP950 GBK GB2312 CP936 EUC-KR CP949 US-ASCII",
				0xff, 0xf0),
		},
		{
			"tintin++ server offer",
			must(AppendCharsetRequest(nil, ' ', []string{"UTF-8"})),
			[]byte{0xff, 0xfa, 0x2a, 0x01, 0x20, 'U', 'T', 'F', '-', '8', 0xff, 0xf0},
		},
		{
			"semicolon separator, Mudlet style",
			must(AppendCharsetRequest(nil, ';', []string{"UTF-8", "ISO-8859-1"})),
			codecWire(0xff, 0xfa, 0x2a, 0x01, 0x3b, "UTF-8", 0x3b, "ISO-8859-1", 0xff, 0xf0),
		},
		{
			"accepted, as tintin++ answers",
			must(AppendCharsetAccepted(nil, "UTF-8")),
			codecWire(0xff, 0xfa, 0x2a, 0x02, "UTF-8", 0xff, 0xf0),
		},
		{
			"accepted name with IAC is escaped by the framing",
			must(AppendCharsetAccepted(nil, "X\xff")),
			[]byte{0xff, 0xfa, 0x2a, 0x02, 'X', 0xff, 0xff, 0xff, 0xf0},
		},
		{
			"a name that would read as [TTABLE] gets a doubled separator",
			must(AppendCharsetRequest(nil, '[', []string{"TTABLE]"})),
			codecWire(0xff, 0xfa, 0x2a, 0x01, "[[TTABLE]", 0xff, 0xf0),
		},
		{"rejected", AppendCharsetRejected(nil), []byte{0xff, 0xfa, 0x2a, 0x03, 0xff, 0xf0}},
		{"ttable-rejected", AppendCharsetTTableRejected(nil), []byte{0xff, 0xfa, 0x2a, 0x05, 0xff, 0xf0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendSubnegotiation(nil, Charset, tt.payload)
			if !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

func TestCharsetEncodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		sep   byte
		names []string
	}{
		{"no names", ' ', nil},
		{"empty name", ' ', []string{"UTF-8", ""}},
		{"name contains separator", ' ', []string{"UTF 8"}},
		{"name contains semicolon separator", ';', []string{"UTF-8;x"}},
		{"IAC separator", 0xff, []string{"UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("keep")
			got, err := AppendCharsetRequest(dst, tt.sep, tt.names)
			if err == nil {
				t.Fatalf("no error, payload % x", got)
			}
			if string(got) != "keep" {
				t.Errorf("dst changed to %q", got)
			}
		})
	}
	if got, err := AppendCharsetAccepted([]byte("keep"), ""); err == nil || string(got) != "keep" {
		t.Errorf("AppendCharsetAccepted(\"\") = %q, %v; want dst unchanged and an error", got, err)
	}
}

func TestParseCharset(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want CharsetMessage
	}{
		{
			"telnetlib3 offer",
			telnetlib3Offer,
			CharsetMessage{Command: CharsetRequest, Separator: ' ', Names: telnetlib3Charsets},
		},
		{
			"tintin++ server offer",
			codecWire(0x01, " UTF-8"),
			CharsetMessage{Command: CharsetRequest, Separator: ' ', Names: []string{"UTF-8"}},
		},
		{
			"semicolon separator",
			codecWire(0x01, 0x3b, "UTF-8", 0x3b, "ISO-8859-1"),
			CharsetMessage{Command: CharsetRequest, Separator: ';', Names: []string{"UTF-8", "ISO-8859-1"}},
		},
		{
			"trailing and doubled separators give no empty names",
			codecWire(0x01, ";UTF-8;;US-ASCII;"),
			CharsetMessage{Command: CharsetRequest, Separator: ';', Names: []string{"UTF-8", "US-ASCII"}},
		},
		{
			"any byte separates, even a letter",
			codecWire(0x01, "xUTF-8xLATIN1"),
			CharsetMessage{Command: CharsetRequest, Separator: 'x', Names: []string{"UTF-8", "LATIN1"}},
		},
		{
			"IAC separator, against the RFC, is still understood",
			codecWire(0x01, 0xff, "A", 0xff, "B"),
			CharsetMessage{Command: CharsetRequest, Separator: 0xff, Names: []string{"A", "B"}},
		},
		{
			"byte 255 inside a name",
			codecWire(0x01, " A\xffB C"),
			CharsetMessage{Command: CharsetRequest, Separator: ' ', Names: []string{"A\xffB", "C"}},
		},
		{
			"translation table offer",
			codecWire(0x01, "[TTABLE]", 0x01, " UTF-8 CP437"),
			CharsetMessage{Command: CharsetRequest, TTable: true, TTableVersion: 1, Separator: ' ', Names: []string{"UTF-8", "CP437"}},
		},
		{
			"accepted",
			codecWire(0x02, "UTF-8"),
			CharsetMessage{Command: CharsetAccepted, Name: "UTF-8"},
		},
		{"rejected", []byte{0x03}, CharsetMessage{Command: CharsetRejected}},
		{
			"ttable-is kept raw",
			codecWire(0x04, 0x01, ";CP437;", 0x01, 0x00, 0x01),
			CharsetMessage{Command: CharsetTTableIs, Table: codecWire(0x01, ";CP437;", 0x01, 0x00, 0x01)},
		},
		{"ttable-is empty", []byte{0x04}, CharsetMessage{Command: CharsetTTableIs, Table: []byte{}}},
		{"ttable-rejected", []byte{0x05}, CharsetMessage{Command: CharsetTTableRejected}},
		{"ttable-ack", []byte{0x06}, CharsetMessage{Command: CharsetTTableAck}},
		{"ttable-nak", []byte{0x07}, CharsetMessage{Command: CharsetTTableNak}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCharset(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseCharsetMalformed(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"request without separator", []byte{0x01}},
		{"request with only a separator", []byte{0x01, ' '}},
		{"request with only separators", []byte{0x01, ';', ';', ';'}},
		{"ttable without version", codecWire(0x01, "[TTABLE]")},
		{"ttable without separator", codecWire(0x01, "[TTABLE]", 0x01)},
		{"ttable without names", codecWire(0x01, "[TTABLE]", 0x01, ' ')},
		{"accepted without name (telnetlib3's decline)", []byte{0x02}},
		{"rejected with trailing bytes", []byte{0x03, 'x'}},
		{"ttable-ack with trailing bytes", []byte{0x06, 0xff}},
		{"sub-command 0", []byte{0x00, 'x'}},
		{"sub-command 8", []byte{0x08}},
		{"sub-command 255", []byte{0xff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCharset(tt.p)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseCharset(% x) = %+v, %v; want ErrMalformed", tt.p, got, err)
			}
			if !strings.HasPrefix(err.Error(), "negotiate: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestParseCharsetDoesNotAlias(t *testing.T) {
	p := codecWire(0x04, "table")
	m, err := ParseCharset(p)
	if err != nil {
		t.Fatal(err)
	}
	p[1] = 'X'
	if string(m.Table) != "table" {
		t.Errorf("Table aliases the payload: %q", m.Table)
	}
}

func TestCharsetRoundTrip(t *testing.T) {
	requests := []struct {
		sep   byte
		names []string
	}{
		{' ', telnetlib3Charsets},
		{';', []string{"UTF-8", "ISO-8859-1"}},
		{0x00, []string{"a b", "c;d"}},
		{0xf0, []string{"UTF-8"}},
		{'[', []string{"TTABLE]", "x"}},
	}
	for _, r := range requests {
		p, err := AppendCharsetRequest(nil, r.sep, r.names)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ParseCharset(p)
		if err != nil {
			t.Fatal(err)
		}
		if m.Command != CharsetRequest || m.Separator != r.sep || m.TTable || !reflect.DeepEqual(m.Names, r.names) {
			t.Errorf("round trip of %q with %q gave %+v", r.names, r.sep, m)
		}
	}
	for _, name := range []string{"UTF-8", "x", "with space", "\xff\x00"} {
		p, err := AppendCharsetAccepted(nil, name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ParseCharset(p)
		if err != nil || m.Command != CharsetAccepted || m.Name != name {
			t.Errorf("round trip of ACCEPTED %q gave %+v, %v", name, m, err)
		}
	}
	for _, p := range [][]byte{AppendCharsetRejected(nil), AppendCharsetTTableRejected(nil)} {
		m, err := ParseCharset(p)
		if err != nil || m.Command != p[0] {
			t.Errorf("round trip of % x gave %+v, %v", p, m, err)
		}
	}
}

func TestCharsetReply(t *testing.T) {
	pick := func(want string) func([]string) (string, bool) {
		return func([]string) (string, bool) { return want, true }
	}
	decline := func([]string) (string, bool) { return "", false }
	request := CharsetMessage{Command: CharsetRequest, Separator: ' ', Names: []string{"UTF-8", "LATIN1"}}
	ttableRequest := request
	ttableRequest.TTable, ttableRequest.TTableVersion = true, 1
	tests := []struct {
		name   string
		m      CharsetMessage
		choose func([]string) (string, bool)
		want   []byte // full wire bytes, nil for no reply
	}{
		{"request accepted", request, pick("UTF-8"), codecWire(0xff, 0xfa, 0x2a, 0x02, "UTF-8", 0xff, 0xf0)},
		{"accepted with the peer's spelling", request, pick("latin1"), codecWire(0xff, 0xfa, 0x2a, 0x02, "LATIN1", 0xff, 0xf0)},
		{"declined", request, decline, []byte{0xff, 0xfa, 0x2a, 0x03, 0xff, 0xf0}},
		{"empty choice is a rejection, not an empty ACCEPTED", request, pick(""), []byte{0xff, 0xfa, 0x2a, 0x03, 0xff, 0xf0}},
		{"choice not offered", request, pick("KOI8-R"), []byte{0xff, 0xfa, 0x2a, 0x03, 0xff, 0xf0}},
		{"nil chooser", request, nil, []byte{0xff, 0xfa, 0x2a, 0x03, 0xff, 0xf0}},
		{"ttable request still chooses a name", ttableRequest, pick("UTF-8"), codecWire(0xff, 0xfa, 0x2a, 0x02, "UTF-8", 0xff, 0xf0)},
		{"ttable-is refused", CharsetMessage{Command: CharsetTTableIs, Table: []byte{1}}, pick("UTF-8"), []byte{0xff, 0xfa, 0x2a, 0x05, 0xff, 0xf0}},
		{"accepted needs no reply", CharsetMessage{Command: CharsetAccepted, Name: "UTF-8"}, pick("UTF-8"), nil},
		{"rejected needs no reply", CharsetMessage{Command: CharsetRejected}, pick("UTF-8"), nil},
		{"ttable-rejected needs no reply", CharsetMessage{Command: CharsetTTableRejected}, pick("UTF-8"), nil},
		{"ttable-ack needs no reply", CharsetMessage{Command: CharsetTTableAck}, pick("UTF-8"), nil},
		{"ttable-nak needs no reply", CharsetMessage{Command: CharsetTTableNak}, pick("UTF-8"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, ok := AppendCharsetReply([]byte{}, tt.m, tt.choose)
			if tt.want == nil {
				if ok || len(payload) != 0 {
					t.Fatalf("reply % x, %v; want none", payload, ok)
				}
				return
			}
			if !ok {
				t.Fatal("no reply")
			}
			if got := AppendSubnegotiation(nil, Charset, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

// TestCharsetReplyToTelnetlib3 answers telnetlib3's real offer end to end.
func TestCharsetReplyToTelnetlib3(t *testing.T) {
	m, err := ParseCharset(telnetlib3Offer)
	if err != nil {
		t.Fatal(err)
	}
	var offered []string
	payload, ok := AppendCharsetReply(nil, m, func(names []string) (string, bool) {
		offered = names
		return "UTF-8", true
	})
	if !ok {
		t.Fatal("no reply")
	}
	if !reflect.DeepEqual(offered, telnetlib3Charsets) {
		t.Errorf("chooser was offered %q", offered)
	}
	want := codecWire(0xff, 0xfa, 0x2a, 0x02, "UTF-8", 0xff, 0xf0)
	if got := AppendSubnegotiation(nil, Charset, payload); !bytes.Equal(got, want) {
		t.Errorf("wire = % x\nwant   % x", got, want)
	}
}

func FuzzParseCharset(f *testing.F) {
	f.Add(telnetlib3Offer)
	f.Add(codecWire(0x01, " UTF-8"))
	f.Add(codecWire(0x01, ";UTF-8;US-ASCII"))
	f.Add(codecWire(0x01, 0x3b, "UTF-8", 0x3b, "ISO-8859-1"))
	f.Add(codecWire(0x01, "[TTABLE]", 0x01, " UTF-8"))
	f.Add(codecWire(0x01, "[[TTABLE]"))
	f.Add(codecWire(0x02, "UTF-8"))
	f.Add([]byte{0x02})
	f.Add([]byte{0x03})
	f.Add(codecWire(0x04, 0x01, ";CP437;", 0x01, 0x00, 0x01))
	f.Add([]byte{0x05})
	f.Add([]byte{0x06})
	f.Add([]byte{0x07})
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := ParseCharset(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if reply, ok := AppendCharsetReply(nil, m, func(names []string) (string, bool) {
			return names[len(names)-1], true
		}); ok {
			r, err := ParseCharset(reply)
			if err != nil {
				t.Fatalf("reply % x does not parse: %v", reply, err)
			}
			if r.Command == CharsetAccepted && r.Name == "" {
				t.Fatal("empty ACCEPTED")
			}
		}
		var again []byte
		switch m.Command {
		case CharsetRequest:
			if m.Separator == iac {
				return
			}
			again, err = AppendCharsetRequest(nil, m.Separator, m.Names)
		case CharsetAccepted:
			again, err = AppendCharsetAccepted(nil, m.Name)
		case CharsetRejected:
			again = AppendCharsetRejected(nil)
		case CharsetTTableRejected:
			again = AppendCharsetTTableRejected(nil)
		default:
			return
		}
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", m, err)
		}
		m2, err := ParseCharset(again)
		if err != nil {
			t.Fatalf("re-encoded % x does not parse: %v", again, err)
		}
		m.TTable, m.TTableVersion = false, 0
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("decode-encode-decode changed %+v into %+v", m, m2)
		}
	})
}
