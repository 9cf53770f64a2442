package negotiate

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestTTYPEEncodeGolden(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    []byte
	}{
		// telnetlib3 server trace, reference section 1.5.
		{"send", AppendTTYPESend(nil), []byte("\xff\xfa\x18\x01\xff\xf0")},
		{"is XTERM-256COLOR", AppendTTYPEIs(nil, "XTERM-256COLOR"), []byte("\xff\xfa\x18\x00XTERM-256COLOR\xff\xf0")},
		{"is MTTS", AppendTTYPEIs(nil, "MTTS 271"), []byte("\xff\xfa\x18\x00MTTS 271\xff\xf0")},
		{"is empty", AppendTTYPEIs(nil, ""), []byte("\xff\xfa\x18\x00\xff\xf0")},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, TTYPE, tt.payload)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: wire % x, want % x", tt.name, got, tt.want)
		}
	}
	if got := AppendTTYPEIs([]byte("ab"), "X"); string(got) != "ab\x00X" {
		t.Errorf("AppendTTYPEIs does not append: %q", got)
	}
}

func TestParseTTYPE(t *testing.T) {
	tests := []struct {
		name    string
		p       string
		cmd     SubCommand
		term    string
		wantErr bool
	}{
		{"send", "\x01", TTYPESend, "", false},
		{"is xterm (busybox)", "\x00xterm", TTYPEIs, "xterm", false},
		{"is case kept", "\x00XTERM", TTYPEIs, "XTERM", false},
		{"is s3270", "\x00IBM-3279-4-E", TTYPEIs, "IBM-3279-4-E", false},
		{"is MTTS (tintin)", "\x00MTTS 271", TTYPEIs, "MTTS 271", false},
		{"is empty", "\x00", TTYPEIs, "", false},
		{"empty payload", "", 0, "", true},
		{"send with data", "\x01xterm", 0, "", true},
		{"unknown sub-command", "\x02xterm", 0, "", true},
		{"sub-command 255", "\xffxterm", 0, "", true},
		{"byte 255 in name", "\x00xt\xffrm", 0, "", true},
		{"control byte in name", "\x00xterm\x1b[2J", 0, "", true},
		{"NUL in name", "\x00xterm\x00", 0, "", true},
		{"non-ASCII name", "\x00x\xc3\xa9", 0, "", true},
	}
	for _, tt := range tests {
		cmd, term, err := ParseTTYPE([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%s: err = %v, want ErrMalformed", tt.name, err)
			}
			continue
		}
		if err != nil || cmd != tt.cmd || term != tt.term {
			t.Errorf("%s: got (%d, %q, %v), want (%d, %q, nil)", tt.name, cmd, term, err, tt.cmd, tt.term)
		}
	}
}

func TestTTYPERoundTrip(t *testing.T) {
	for _, name := range []string{"", "xterm", "XTERM-256COLOR", "MTTS 2825", "DEC-VT100"} {
		cmd, got, err := ParseTTYPE(AppendTTYPEIs(nil, name))
		if err != nil || cmd != TTYPEIs || got != name {
			t.Errorf("%q: got (%d, %q, %v)", name, cmd, got, err)
		}
	}
	if cmd, _, err := ParseTTYPE(AppendTTYPESend(nil)); err != nil || cmd != TTYPESend {
		t.Errorf("SEND: got (%d, %v)", cmd, err)
	}
}

func TestTTYPECycle(t *testing.T) {
	tests := []struct {
		name     string
		values   []string // the IS answers, in order
		more     []bool   // Add's result for each
		names    []string
		terminal string
		mtts     int
		mttsOK   bool
	}{
		{
			// client-busybox.brief.log: the list ends by repeating.
			name: "single type repeated", values: []string{"xterm", "xterm"},
			more: []bool{true, false}, names: []string{"xterm"}, terminal: "xterm",
		},
		{
			// client-tintin.brief.log: MTTS as the third value.
			name:   "MUD client",
			values: []string{"TINTIN++", "xterm", "MTTS 271", "MTTS 271"},
			more:   []bool{true, true, false, false},
			names:  []string{"TINTIN++", "xterm", "MTTS 271"}, terminal: "xterm",
			mtts: 271, mttsOK: true,
		},
		{
			// client-tf5.brief.log: four types, the last one repeated.
			name:   "TinyFugue",
			values: []string{"TINYFUGUE", "ANSI-ATTR", "ANSI", "UNKNOWN", "UNKNOWN"},
			more:   []bool{true, true, true, true, false},
			names:  []string{"TINYFUGUE", "ANSI-ATTR", "ANSI", "UNKNOWN"}, terminal: "UNKNOWN",
		},
		{
			name: "repeat ignores case", values: []string{"XTERM", "xterm"},
			more: []bool{true, false}, names: []string{"XTERM"}, terminal: "XTERM",
		},
		{
			name: "back to the first", values: []string{"A", "B", "C", "a"},
			more: []bool{true, true, true, false}, names: []string{"A", "B", "C"}, terminal: "C",
		},
		{
			name: "empty value first", values: []string{""},
			more: []bool{false},
		},
		{
			name: "empty value later", values: []string{"VT100", ""},
			more: []bool{true, false}, names: []string{"VT100"}, terminal: "VT100",
		},
		{
			name:   "bound of 8",
			values: []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"},
			more:   []bool{true, true, true, true, true, true, true, false, false},
			names:  []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"}, terminal: "T8",
		},
		{
			name: "MTTS first", values: []string{"MTTS 2825"},
			more: []bool{false}, names: []string{"MTTS 2825"}, mtts: 2825, mttsOK: true,
		},
		{
			name: "MTTS lower case", values: []string{"mud", "ansi", "mtts 9"},
			more: []bool{true, true, false}, names: []string{"mud", "ansi", "mtts 9"}, terminal: "ansi",
			mtts: 9, mttsOK: true,
		},
		{
			name: "MTTS not a number", values: []string{"mud", "xterm", "MTTS lots"},
			more: []bool{true, true, false}, names: []string{"mud", "xterm", "MTTS lots"}, terminal: "xterm",
		},
		{
			name: "MTTS negative", values: []string{"mud", "MTTS -1"},
			more: []bool{true, false}, names: []string{"mud", "MTTS -1"}, terminal: "mud",
		},
		{
			name: "MTTS too large", values: []string{"MTTS 99999999999999999999"},
			more: []bool{false}, names: []string{"MTTS 99999999999999999999"},
		},
		{
			name: "MTTS without space is a name", values: []string{"MTTSX", "MTTSX"},
			more: []bool{true, false}, names: []string{"MTTSX"}, terminal: "MTTSX",
		},
		{
			name: "B C B C never loops", values: []string{"A", "B", "C", "B", "C", "B", "C", "B", "C"},
			more:  []bool{true, true, true, true, true, true, true, false, false},
			names: []string{"A", "B", "C"}, terminal: "B",
		},
	}
	for _, tt := range tests {
		var c TTYPECycle
		if c.Done() || c.Terminal() != "" || c.Names() != nil {
			t.Fatalf("zero TTYPECycle is not empty")
		}
		for i, v := range tt.values {
			if got := c.Add(v); got != tt.more[i] {
				t.Errorf("%s: Add(%q) #%d = %v, want %v", tt.name, v, i+1, got, tt.more[i])
			}
			if c.Done() == tt.more[i] {
				t.Errorf("%s: Done() = %v after Add #%d returned %v", tt.name, c.Done(), i+1, tt.more[i])
			}
		}
		if got := c.Names(); !slices.Equal(got, tt.names) {
			t.Errorf("%s: Names() = %q, want %q", tt.name, got, tt.names)
		}
		if got := c.Terminal(); got != tt.terminal {
			t.Errorf("%s: Terminal() = %q, want %q", tt.name, got, tt.terminal)
		}
		if bits, ok := c.MTTS(); bits != tt.mtts || ok != tt.mttsOK {
			t.Errorf("%s: MTTS() = (%d, %v), want (%d, %v)", tt.name, bits, ok, tt.mtts, tt.mttsOK)
		}
	}
}

func TestTTYPECycleNamesIsACopy(t *testing.T) {
	var c TTYPECycle
	c.Add("A")
	c.Names()[0] = "B"
	if c.Names()[0] != "A" {
		t.Error("Names returned the cycle's own slice")
	}
}

func TestMTTSBits(t *testing.T) {
	consts := []int{
		MTTSANSI, MTTSVT100, MTTSUTF8, MTTS256Colors, MTTSMouse, MTTSOSCPalette,
		MTTSScreenReader, MTTSProxy, MTTSTruecolor, MTTSMNES, MTTSMSLP, MTTSSSL,
	}
	for i, c := range consts {
		if c != 1<<i {
			t.Errorf("MTTS constant #%d = %d, want %d", i, c, 1<<i)
		}
	}
	tests := []struct {
		bits int
		set  []int
	}{
		{2825, []int{MTTSSSL, MTTSMNES, MTTSTruecolor, MTTS256Colors, MTTSANSI}},
		{271, []int{MTTSTruecolor, MTTS256Colors, MTTSUTF8, MTTSVT100, MTTSANSI}}, // TinTin++
		{137, []int{MTTSProxy, MTTS256Colors, MTTSANSI}},
		{0, nil},
		{4095, consts},
	}
	for _, tt := range tests {
		sum := 0
		for _, c := range tt.set {
			sum |= c
		}
		if sum != tt.bits {
			t.Errorf("%d: constants sum to %d", tt.bits, sum)
		}
		for _, c := range consts {
			if (tt.bits&c != 0) != slices.Contains(tt.set, c) {
				t.Errorf("%d: bit %d set = %v", tt.bits, c, tt.bits&c != 0)
			}
		}
	}
}

func FuzzParseTTYPE(f *testing.F) {
	for _, s := range []string{"\x01", "\x00xterm", "\x00XTERM-256COLOR", "\x00MTTS 271", "\x00", "", "\x01x", "\x00\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		cmd, name, err := ParseTTYPE(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		var q []byte
		if cmd == TTYPESend {
			q = AppendTTYPESend(nil)
		} else {
			q = AppendTTYPEIs(nil, name)
		}
		if !bytes.Equal(p, q) {
			t.Fatalf("re-encoded % x as % x", p, q)
		}
		var c TTYPECycle
		for range TTYPECycleMax + 1 {
			c.Add(name)
		}
		if !c.Done() {
			t.Fatal("cycle not done after TTYPECycleMax values")
		}
	})
}
