package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The SLC payload the inetutils telnet client sends after WILL LINEMODE
// (client-inetutils.linemode.log, pair-inetutils--inetutils-telnetd.log),
// written out byte by byte from the decoded capture.
const inetutilsSLCPayload = "\x03" +
	"\x01\x00\x00" + // SYNCH NOSUPPORT 0x00
	"\x03\x62\x03" + // IP VALUE|FLUSHIN|FLUSHOUT 0x03
	"\x04\x02\x0f" + // AO VALUE 0x0f
	"\x05\x00\x00" + // AYT NOSUPPORT 0x00
	"\x07\x62\x1c" + // ABORT VALUE|FLUSHIN|FLUSHOUT 0x1c
	"\x08\x02\x04" + // EOF VALUE 0x04
	"\x09\x42\x1a" + // SUSP VALUE|FLUSHIN 0x1a
	"\x0a\x02\x7f" + // EC VALUE 0x7f
	"\x0b\x02\x15" + // EL VALUE 0x15
	"\x0c\x02\x17" + // EW VALUE 0x17
	"\x0d\x02\x12" + // RP VALUE 0x12
	"\x0e\x02\x16" + // LNEXT VALUE 0x16
	"\x0f\x02\x11" + // XON VALUE 0x11
	"\x10\x02\x13" + // XOFF VALUE 0x13
	"\x11\x00\x00" + // FORW1 NOSUPPORT 0x00
	"\x12\x00\x00" //   FORW2 NOSUPPORT 0x00

// inetutilsSLCTrace is how the capture decodes that payload.
const inetutilsSLCTrace = "SLC [SYNCH NOSUPPORT 0x00, IP VALUE|FLUSHIN|FLUSHOUT 0x03, AO VALUE 0x0f, " +
	"AYT NOSUPPORT 0x00, ABORT VALUE|FLUSHIN|FLUSHOUT 0x1c, EOF VALUE 0x04, SUSP VALUE|FLUSHIN 0x1a, " +
	"EC VALUE 0x7f, EL VALUE 0x15, EW VALUE 0x17, RP VALUE 0x12, LNEXT VALUE 0x16, XON VALUE 0x11, " +
	"XOFF VALUE 0x13, FORW1 NOSUPPORT 0x00, FORW2 NOSUPPORT 0x00]"

// The netkit client's list lacks EW, RP and LNEXT (client-netkit.linemode.log).
const netkitSLCPayload = "\x03" +
	"\x01\x00\x00\x03\x62\x03\x04\x02\x0f\x05\x00\x00\x07\x62\x1c\x08\x02\x04" +
	"\x09\x42\x1a\x0a\x02\x7f\x0b\x02\x15\x0f\x02\x11\x10\x02\x13\x11\x00\x00\x12\x00\x00"

const netkitSLCTrace = "SLC [SYNCH NOSUPPORT 0x00, IP VALUE|FLUSHIN|FLUSHOUT 0x03, AO VALUE 0x0f, " +
	"AYT NOSUPPORT 0x00, ABORT VALUE|FLUSHIN|FLUSHOUT 0x1c, EOF VALUE 0x04, SUSP VALUE|FLUSHIN 0x1a, " +
	"EC VALUE 0x7f, EL VALUE 0x15, XON VALUE 0x11, XOFF VALUE 0x13, FORW1 NOSUPPORT 0x00, FORW2 NOSUPPORT 0x00]"

// inetutils telnetd's answer to that list (pair-inetutils--inetutils-telnetd.log).
const telnetdSLCAckPayload = "\x03" +
	"\x03\xe2\x03\x04\x82\x0f\x07\xe2\x1c\x08\x82\x04\x09\xc2\x1a\x0a\x82\x7f" +
	"\x0b\x82\x15\x0c\x82\x17\x0d\x82\x12\x0e\x82\x16\x0f\x82\x11\x10\x82\x13"

const telnetdSLCAckTrace = "SLC [IP VALUE|ACK|FLUSHIN|FLUSHOUT 0x03, AO VALUE|ACK 0x0f, " +
	"ABORT VALUE|ACK|FLUSHIN|FLUSHOUT 0x1c, EOF VALUE|ACK 0x04, SUSP VALUE|ACK|FLUSHIN 0x1a, " +
	"EC VALUE|ACK 0x7f, EL VALUE|ACK 0x15, EW VALUE|ACK 0x17, RP VALUE|ACK 0x12, " +
	"LNEXT VALUE|ACK 0x16, XON VALUE|ACK 0x11, XOFF VALUE|ACK 0x13]"

// The telnetlib3 client's request for the default table, sent with WILL
// LINEMODE: function 0, level DEFAULT, value 0.
const telnetlib3SLCPayload = "\x03\x00\x03\x00"

func TestParseLinemodeCaptures(t *testing.T) {
	tests := []struct {
		name, payload, trace string
	}{
		{"inetutils SLC", inetutilsSLCPayload, inetutilsSLCTrace},
		{"netkit SLC", netkitSLCPayload, netkitSLCTrace},
		{"telnetd SLC acks", telnetdSLCAckPayload, telnetdSLCAckTrace},
		{"telnetlib3 SLC request", telnetlib3SLCPayload, "SLC [0 DEFAULT 0x00]"},
		{"server MODE", "\x01\x03", "MODE EDIT|TRAPSIG"},
		{"client MODE ack", "\x01\x07", "MODE EDIT|TRAPSIG|ACK"},
	}
	for _, tt := range tests {
		m, err := ParseLinemode([]byte(tt.payload))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := m.String(); got != tt.trace {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.trace)
		}
		if got := AppendLinemode(nil, m); string(got) != tt.payload {
			t.Errorf("%s: re-encoded % x, want % x", tt.name, got, tt.payload)
		}
	}
}

func TestLinemodeEncodeGolden(t *testing.T) {
	crlf := NewForwardMask('\r', '\n')
	high := NewForwardMask(0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff)
	tests := []struct {
		name    string
		payload []byte
		want    string
	}{
		// client-inetutils.linemode.log: the server's MODE and the client's ACK.
		{"MODE EDIT|TRAPSIG", AppendLinemodeMode(nil, LinemodeEdit|LinemodeTrapSig), "\xff\xfa\x22\x01\x03\xff\xf0"},
		{"MODE EDIT|TRAPSIG|ACK", AppendLinemodeMode(nil, LinemodeEdit|LinemodeTrapSig|LinemodeAck), "\xff\xfa\x22\x01\x07\xff\xf0"},
		{"MODE 0", AppendLinemodeMode(nil, 0), "\xff\xfa\x22\x01\x00\xff\xf0"},
		{"MODE 0xff", AppendLinemodeMode(nil, 0xff), "\xff\xfa\x22\x01\xff\xff\xff\xf0"},
		// RFC 1184 section 2.3: the mask follows DO FORWARDMASK, NUL is the
		// high bit of the first byte; 16 bytes without characters above 127.
		{"DO FORWARDMASK CR LF", AppendLinemodeForwardMask(nil, DO, crlf),
			"\xff\xfa\x22\xfd\x02\x00\x24" + strings.Repeat("\x00", 14) + "\xff\xf0"},
		{"DO FORWARDMASK NUL", AppendLinemodeForwardMask(nil, DO, NewForwardMask(0)),
			"\xff\xfa\x22\xfd\x02\x80" + strings.Repeat("\x00", 15) + "\xff\xf0"},
		// A mask byte 0xff is doubled by the framing (telnetlib3 writes it raw).
		{"DO FORWARDMASK 0xf8-0xff", AppendLinemodeForwardMask(nil, DO, high),
			"\xff\xfa\x22\xfd\x02" + strings.Repeat("\x00", 31) + "\xff\xff\xff\xf0"},
		{"DONT FORWARDMASK", AppendLinemodeForwardMask(nil, DONT, crlf), "\xff\xfa\x22\xfe\x02\xff\xf0"},
		{"WILL FORWARDMASK", AppendLinemodeForwardMask(nil, WILL, ForwardMask{}), "\xff\xfa\x22\xfb\x02\xff\xf0"},
		{"WONT FORWARDMASK", AppendLinemodeForwardMask(nil, WONT, ForwardMask{}), "\xff\xfa\x22\xfc\x02\xff\xf0"},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, Linemode, tt.payload)
		if string(got) != tt.want {
			t.Errorf("%s: wire % x, want % x", tt.name, got, tt.want)
		}
	}
}

func TestParseLinemode(t *testing.T) {
	var fullMask ForwardMask
	for i := range fullMask {
		fullMask[i] = 0xff
	}
	tests := []struct {
		name    string
		p       string
		want    LinemodeMessage
		wantErr bool
	}{
		{"MODE", "\x01\x03", LinemodeMessage{Cmd: LinemodeCmdMode, Mode: LinemodeEdit | LinemodeTrapSig}, false},
		{"MODE all bits", "\x01\xff", LinemodeMessage{Cmd: LinemodeCmdMode, Mode: 0xff}, false},
		{"DO FORWARDMASK 1 byte", "\xfd\x02\x80", LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: DO, Mask: NewForwardMask(0)}, false},
		{"DO FORWARDMASK 32 x 0xff", "\xfd\x02" + strings.Repeat("\xff", 32), LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: DO, Mask: fullMask}, false},
		{"DONT FORWARDMASK", "\xfe\x02", LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: DONT}, false},
		{"WILL FORWARDMASK", "\xfb\x02", LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: WILL}, false},
		{"WONT FORWARDMASK", "\xfc\x02", LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: WONT}, false},
		{"SLC value 255", "\x03\x0a\x02\xff", LinemodeMessage{Cmd: LinemodeCmdSLC, SLC: []SLCTriplet{{SLCEC, SLCValue, 0xff}}}, false},
		{"SLC all 255", "\x03\xff\xff\xff", LinemodeMessage{Cmd: LinemodeCmdSLC, SLC: []SLCTriplet{{0xff, 0xff, 0xff}}}, false},
		{"SLC empty", "\x03", LinemodeMessage{Cmd: LinemodeCmdSLC, SLC: []SLCTriplet{}}, false},

		{"empty", "", LinemodeMessage{}, true},
		{"MODE without mask", "\x01", LinemodeMessage{}, true},
		{"MODE trailing byte", "\x01\x03\x00", LinemodeMessage{}, true},
		{"bare FORWARDMASK", "\x02\x00", LinemodeMessage{}, true},
		{"DO alone", "\xfd", LinemodeMessage{}, true},
		{"DO not FORWARDMASK", "\xfd\x03\x00", LinemodeMessage{}, true},
		{"DO FORWARDMASK without mask", "\xfd\x02", LinemodeMessage{}, true},
		{"DO FORWARDMASK 33 bytes", "\xfd\x02" + strings.Repeat("\x00", 33), LinemodeMessage{}, true},
		{"WONT FORWARDMASK with mask", "\xfc\x02\x00", LinemodeMessage{}, true},
		{"SLC truncated triplet", "\x03\x08\x02", LinemodeMessage{}, true},
		{"SLC one byte too many", inetutilsSLCPayload + "\x01", LinemodeMessage{}, true},
		{"unknown sub-command 0", "\x00\x01", LinemodeMessage{}, true},
		{"unknown sub-command 4", "\x04", LinemodeMessage{}, true},
		{"IAC first", "\xff\x02", LinemodeMessage{}, true},
		{"SB first", "\xfa\x02", LinemodeMessage{}, true},
	}
	for _, tt := range tests {
		got, err := ParseLinemode([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%s: err = %v, want ErrMalformed", tt.name, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestLinemodeRoundTrip(t *testing.T) {
	msgs := []LinemodeMessage{
		{Cmd: LinemodeCmdMode, Mode: 0},
		{Cmd: LinemodeCmdMode, Mode: LinemodeEdit | LinemodeSoftTab | LinemodeLitEcho},
		{Cmd: LinemodeCmdMode, Mode: 0xff},
		{Cmd: LinemodeCmdForwardMask, Verb: DO, Mask: NewForwardMask('\r', '\n', 0x03, 0x04)},
		{Cmd: LinemodeCmdForwardMask, Verb: DO, Mask: NewForwardMask(0x7f, 0x80, 0xff)},
		{Cmd: LinemodeCmdForwardMask, Verb: DO},
		{Cmd: LinemodeCmdForwardMask, Verb: DONT},
		{Cmd: LinemodeCmdForwardMask, Verb: WILL},
		{Cmd: LinemodeCmdForwardMask, Verb: WONT},
		{Cmd: LinemodeCmdSLC, SLC: []SLCTriplet{}},
		{Cmd: LinemodeCmdSLC, SLC: DefaultSLC().Triplets()},
		{Cmd: LinemodeCmdSLC, SLC: []SLCTriplet{{0, SLCDefault, 0}, {SLCEC, SLCValue | SLCAck, 0xff}, {200, 0xff, 0xff}}},
	}
	for _, m := range msgs {
		got, err := ParseLinemode(AppendLinemode(nil, m))
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("%v: got %+v, %v", m, got, err)
		}
	}
}

func TestLinemodeModeString(t *testing.T) {
	tests := []struct {
		m    LinemodeMode
		want string
	}{
		{0, "0"},
		{LinemodeEdit, "EDIT"},
		{LinemodeEdit | LinemodeTrapSig, "EDIT|TRAPSIG"},
		{LinemodeEdit | LinemodeTrapSig | LinemodeAck, "EDIT|TRAPSIG|ACK"},
		{LinemodeModeMask, "EDIT|TRAPSIG|SOFT_TAB|LIT_ECHO|ACK"},
		{LinemodeAck, "ACK"},
		{0x21, "EDIT|0x20"},
		{0xe0, "0xe0"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%#02x: %q, want %q", byte(tt.m), got, tt.want)
		}
	}
}

func TestLinemodeMessageString(t *testing.T) {
	tests := []struct {
		m    LinemodeMessage
		want string
	}{
		{LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: WONT}, "WONT FORWARDMASK"},
		{LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: DO, Mask: NewForwardMask('\r')},
			"DO FORWARDMASK 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00"},
		{LinemodeMessage{Cmd: 9}, "LINEMODE 9"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestAnswerMode(t *testing.T) {
	const all = LinemodeEdit | LinemodeTrapSig | LinemodeSoftTab | LinemodeLitEcho
	const et = LinemodeEdit | LinemodeTrapSig
	tests := []struct {
		name                       string
		current, received, support LinemodeMode
		server                     bool
		wantNext, wantReply        LinemodeMode
		wantSend                   bool
	}{
		// client-inetutils.linemode.log: MODE EDIT|TRAPSIG is ACKed as EDIT|TRAPSIG|ACK.
		{"client accepts", 0, et, all, false, et, et | LinemodeAck, true},
		// ... and the server does not answer the ACK.
		{"server gets matching ack", et, et | LinemodeAck, all, true, et, 0, false},
		{"client gets matching ack", et, et | LinemodeAck, all, false, et, 0, false},
		{"same mode not answered", et, et, all, false, et, 0, false},
		{"same mode not answered by server", LinemodeEdit, LinemodeEdit, all, true, LinemodeEdit, 0, false},
		{"current with stray ack bit", et | LinemodeAck, et, all, false, et, 0, false},
		{"client ignores differing ack", et, LinemodeEdit | LinemodeAck, all, false, et, 0, false},
		{"server follows differing ack", et, LinemodeEdit | LinemodeAck, all, true, LinemodeEdit, 0, false},
		{"server takes supported bits of ack", et, LinemodeEdit | LinemodeSoftTab | LinemodeAck, et, true, LinemodeEdit, 0, false},
		{"server accepts client change", et, LinemodeEdit, all, true, LinemodeEdit, LinemodeEdit | LinemodeAck, true},
		{"unsupported bits dropped", 0, et | LinemodeSoftTab, et, false, et, et | LinemodeAck, true},
		{"reduced mode equal to current still acked", et, et | LinemodeSoftTab, et, false, et, et | LinemodeAck, true},
		{"unknown bits dropped", 0, LinemodeEdit | 0x80, all, false, LinemodeEdit, LinemodeEdit | LinemodeAck, true},
		{"to zero", et, 0, all, false, 0, LinemodeAck, true},
		{"ack of zero ignored by client", et, LinemodeAck, all, false, et, 0, false},
	}
	for _, tt := range tests {
		next, reply, send := AnswerLinemodeMode(tt.current, tt.received, tt.support, tt.server)
		if next != tt.wantNext || reply != tt.wantReply || send != tt.wantSend {
			t.Errorf("%s: got (%v, %v, %v), want (%v, %v, %v)", tt.name, next, reply, send, tt.wantNext, tt.wantReply, tt.wantSend)
		}
	}
}

// TestAnswerModeNoPingPong plays every pair of modes between a client and
// a server and checks that each proposal is settled in at most two
// messages, never with an answer to an answer.
func TestAnswerModeNoPingPong(t *testing.T) {
	for _, sup := range []LinemodeMode{0xff, LinemodeEdit, LinemodeEdit | LinemodeTrapSig} {
		for cur := 0; cur < 256; cur++ {
			for msg := 0; msg < 256; msg++ {
				client, server := LinemodeMode(cur)&^LinemodeAck, LinemodeMode(cur)&^LinemodeAck
				pending, toClient := LinemodeMode(msg), true
				for n := 0; ; n++ {
					if n == 2 {
						t.Fatalf("support %v, current %v, first message %v: still talking after 2 messages", sup, LinemodeMode(cur), LinemodeMode(msg))
					}
					var reply LinemodeMode
					var send bool
					if toClient {
						client, reply, send = AnswerLinemodeMode(client, pending, sup, false)
					} else {
						server, reply, send = AnswerLinemodeMode(server, pending, sup, true)
					}
					if !send {
						break
					}
					if reply&LinemodeAck == 0 {
						t.Fatalf("answer %v without MODE_ACK", reply)
					}
					pending, toClient = reply, !toClient
				}
			}
		}
	}
}

func TestForwardMask(t *testing.T) {
	m := NewForwardMask(0, 7, 8, '\r', 0x7f, 0xff)
	want := ForwardMask{0: 0x81, 1: 0x84, 15: 0x01, 31: 0x01}
	if m != want {
		t.Fatalf("mask % x, want % x", m[:], want[:])
	}
	for c := 0; c < 256; c++ {
		in := c == 0 || c == 7 || c == 8 || c == '\r' || c == 0x7f || c == 0xff
		if m.Has(byte(c)) != in {
			t.Errorf("Has(%#02x) = %v, want %v", c, !in, in)
		}
	}
	var all ForwardMask
	for c := 0; c < 256; c++ {
		all.Add(byte(c))
	}
	if !bytes.Equal(all[:], bytes.Repeat([]byte{0xff}, 32)) {
		t.Errorf("every character: % x", all[:])
	}
}

func FuzzParseLinemode(f *testing.F) {
	for _, s := range []string{
		inetutilsSLCPayload, netkitSLCPayload, telnetdSLCAckPayload, telnetlib3SLCPayload,
		"\x01\x03", "\x01\x07", "\x01\xff", "\xfd\x02\x00\x24", "\xfd\x02" + strings.Repeat("\xff", 32),
		"\xfc\x02", "\xfe\x02", "\xfb\x02", "", "\x03\x0a\x02", "\x02",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := ParseLinemode(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		_ = m.String()
		enc := AppendLinemode(nil, m)
		m2, err := ParseLinemode(enc)
		if err != nil {
			t.Fatalf("re-encoded % x of % x does not parse: %v", enc, p, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("% x: decoded %+v, after re-encoding %+v", p, m, m2)
		}
		if enc2 := AppendLinemode(nil, m2); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable: % x then % x", enc, enc2)
		}
		// A payload the encoder writes canonically comes back byte for byte.
		if m.Cmd != LinemodeCmdForwardMask || m.Verb != DO {
			if !bytes.Equal(enc, p) {
				t.Fatalf("% x re-encoded as % x", p, enc)
			}
		}
	})
}
