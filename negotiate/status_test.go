package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestStatusEncodeGolden(t *testing.T) {
	tests := []struct {
		name    string
		entries []StatusEntry
		want    []byte
	}{
		{
			// The example of RFC 859, section 5.
			"RFC 859 example",
			[]StatusEntry{{Command: WILL, Option: Echo}, {Command: DO, Option: SGA}, {Command: WILL, Option: Status}, {Command: DO, Option: Status}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfb, 0x01, 0xfd, 0x03, 0xfb, 0x05, 0xfd, 0x05, 0xff, 0xf0},
		},
		{"nothing enabled", nil, []byte{0xff, 0xfa, 0x05, 0x00, 0xff, 0xf0}},
		{
			// BSD telnetd reports LFLOW this way.
			"SB entry",
			[]StatusEntry{{Command: WILL, Option: Echo}, {Command: SB, Option: LFLOW, Params: []byte{0x01}}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfb, 0x01, 0xfa, 0x21, 0x01, 0xf0, 0xff, 0xf0},
		},
		{
			"SE doubled by the codec, IAC doubled by the framing",
			[]StatusEntry{{Command: SB, Option: Linemode, Params: []byte{0x03, 0xff, 0xf0, 0x01}}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfa, 0x22, 0x03, 0xff, 0xff, 0xf0, 0xf0, 0x01, 0xf0, 0xff, 0xf0},
		},
		{
			"option SE doubled",
			[]StatusEntry{{Command: WILL, Option: Option(0xf0)}, {Command: SB, Option: Option(0xf0)}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfb, 0xf0, 0xf0, 0xfa, 0xf0, 0xf0, 0xf0, 0xff, 0xf0},
		},
		{
			"option IAC",
			[]StatusEntry{{Command: DO, Option: EXOPL}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfd, 0xff, 0xff, 0xff, 0xf0},
		},
		{
			// telnetlib3 lists WONT and DONT too.
			"WONT and DONT",
			[]StatusEntry{{Command: WONT, Option: Echo}, {Command: DONT, Option: NAWS}},
			[]byte{0xff, 0xfa, 0x05, 0x00, 0xfc, 0x01, 0xfe, 0x1f, 0xff, 0xf0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := AppendStatusIs(nil, tt.entries)
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendSubnegotiation(nil, Status, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
	want := []byte{0xff, 0xfa, 0x05, 0x01, 0xff, 0xf0}
	if got := AppendSubnegotiation(nil, Status, AppendStatusSend(nil)); !bytes.Equal(got, want) {
		t.Errorf("SEND wire = % x, want % x", got, want)
	}
}

func TestAppendStatusIsRejectsBadCommand(t *testing.T) {
	for _, c := range []Command{0, NOP, SE, IAC, GA} {
		got, err := AppendStatusIs([]byte("keep"), []StatusEntry{{Command: WILL, Option: Echo}, {Command: c, Option: Echo}})
		if err == nil || string(got) != "keep" {
			t.Errorf("command %v: got % x, %v; want dst unchanged and an error", c, got, err)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name    string
		p       []byte
		cmd     SubCommand
		entries []StatusEntry
	}{
		{"send", []byte{0x01}, StatusSend, nil},
		{"empty IS", []byte{0x00}, StatusIs, nil},
		{
			"RFC 859 example",
			[]byte{0x00, 0xfb, 0x01, 0xfd, 0x03, 0xfb, 0x05, 0xfd, 0x05},
			StatusIs,
			[]StatusEntry{{Command: WILL, Option: Echo}, {Command: DO, Option: SGA}, {Command: WILL, Option: Status}, {Command: DO, Option: Status}},
		},
		{
			"SB entries with doubled SE and a 255 byte",
			[]byte{0x00, 0xfa, 0x21, 0x01, 0xf0, 0xfa, 0x22, 0x03, 0xff, 0xf0, 0xf0, 0x01, 0xf0, 0xfb, 0x01},
			StatusIs,
			[]StatusEntry{
				{Command: SB, Option: LFLOW, Params: []byte{0x01}},
				{Command: SB, Option: Linemode, Params: []byte{0x03, 0xff, 0xf0, 0x01}},
				{Command: WILL, Option: Echo},
			},
		},
		{
			"SB entry without params",
			[]byte{0x00, 0xfa, 0x21, 0xf0},
			StatusIs,
			[]StatusEntry{{Command: SB, Option: LFLOW, Params: []byte{}}},
		},
		{
			"option SE written single or doubled",
			[]byte{0x00, 0xfb, 0xf0, 0xfd, 0xf0, 0xf0, 0xfa, 0xf0, 0xf0, 0xf0},
			StatusIs,
			[]StatusEntry{{Command: WILL, Option: 0xf0}, {Command: DO, Option: 0xf0}, {Command: SB, Option: 0xf0, Params: []byte{}}},
		},
		{
			"telnetlib3 style WONT and DONT",
			[]byte{0x00, 0xfb, 0x01, 0xfc, 0x03, 0xfd, 0x1f, 0xfe, 0x18},
			StatusIs,
			[]StatusEntry{{Command: WILL, Option: Echo}, {Command: WONT, Option: SGA}, {Command: DO, Option: NAWS}, {Command: DONT, Option: TTYPE}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, entries, err := ParseStatus(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if cmd != tt.cmd || !reflect.DeepEqual(entries, tt.entries) {
				t.Errorf("got %d %+v\nwant %d %+v", cmd, entries, tt.cmd, tt.entries)
			}
		})
	}
}

func TestParseStatusMalformed(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"send with trailing bytes", []byte{0x01, 0xfb, 0x01}},
		{"unknown sub-command", []byte{0x02}},
		{"sub-command 255", []byte{0xff}},
		{"WILL without option", []byte{0x00, 0xfb}},
		{"DO without option after an entry", []byte{0x00, 0xfb, 0x01, 0xfd}},
		{"SB without SE", []byte{0x00, 0xfa, 0x21, 0x01}},
		{"SB ending in doubled SE", []byte{0x00, 0xfa, 0x21, 0x01, 0xf0, 0xf0}},
		{"SB without option", []byte{0x00, 0xfa, 0xf0}},
		{"SB with nothing", []byte{0x00, 0xfa}},
		{"stray SE", []byte{0x00, 0xf0}},
		{"stray IAC", []byte{0x00, 0xff, 0xf0}},
		{"data byte as entry", []byte{0x00, 0x01}},
		{"NOP as entry", []byte{0x00, 0xf1, 0x01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, entries, err := ParseStatus(tt.p)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseStatus(% x) = %d, %+v, %v; want ErrMalformed", tt.p, cmd, entries, err)
			}
		})
	}
}

func TestStatusRoundTrip(t *testing.T) {
	entries := []StatusEntry{
		{Command: WILL, Option: Echo},
		{Command: DO, Option: SGA},
		{Command: SB, Option: LFLOW, Params: []byte{0x00}},
		{Command: SB, Option: Linemode, Params: []byte{0xf0, 0xf0, 0xff, 0x00, 0xf0}},
		{Command: WILL, Option: 0xf0},
		{Command: DO, Option: 0xff},
		{Command: SB, Option: 0xf0, Params: []byte{0xf0}},
		{Command: WONT, Option: Binary},
		{Command: DONT, Option: Binary},
	}
	p, err := AppendStatusIs(nil, entries)
	if err != nil {
		t.Fatal(err)
	}
	cmd, got, err := ParseStatus(p)
	if err != nil {
		t.Fatal(err)
	}
	if cmd != StatusIs || !reflect.DeepEqual(got, entries) {
		t.Errorf("round trip gave %d %+v\nwant %+v", cmd, got, entries)
	}
	cmd, got, err = ParseStatus(AppendStatusSend(nil))
	if err != nil || cmd != StatusSend || got != nil {
		t.Errorf("SEND round trip gave %d %+v %v", cmd, got, err)
	}
}

func TestParseStatusDoesNotAlias(t *testing.T) {
	p := []byte{0x00, 0xfa, 0x21, 0x01, 0xf0}
	_, entries, err := ParseStatus(p)
	if err != nil {
		t.Fatal(err)
	}
	p[3] = 0x09
	if entries[0].Params[0] != 0x01 {
		t.Error("Params aliases the payload")
	}
}

func FuzzParseStatus(f *testing.F) {
	f.Add([]byte{0x01})
	f.Add([]byte{0x00})
	f.Add([]byte{0x00, 0xfb, 0x01, 0xfd, 0x03, 0xfb, 0x05, 0xfd, 0x05})
	f.Add([]byte{0x00, 0xfb, 0x01, 0xfc, 0x03, 0xfd, 0x1f, 0xfe, 0x18})
	f.Add([]byte{0x00, 0xfa, 0x21, 0x01, 0xf0, 0xfa, 0x22, 0x03, 0xff, 0xf0, 0xf0, 0x01, 0xf0})
	f.Add([]byte{0x00, 0xfb, 0xf0, 0xfd, 0xf0, 0xf0, 0xfa, 0xf0, 0xf0, 0xf0})
	f.Fuzz(func(t *testing.T, p []byte) {
		cmd, entries, err := ParseStatus(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if len(entries) > len(p)/2 {
			t.Fatalf("%d entries from %d bytes", len(entries), len(p))
		}
		var again []byte
		if cmd == StatusSend {
			again = AppendStatusSend(nil)
		} else if again, err = AppendStatusIs(nil, entries); err != nil {
			t.Fatalf("re-encoding %+v: %v", entries, err)
		}
		cmd2, entries2, err := ParseStatus(again)
		if err != nil {
			t.Fatalf("re-encoded % x does not parse: %v", again, err)
		}
		if cmd2 != cmd || !reflect.DeepEqual(entries, entries2) {
			t.Fatalf("decode-encode-decode changed %d %+v into %d %+v", cmd, entries, cmd2, entries2)
		}
	})
}
