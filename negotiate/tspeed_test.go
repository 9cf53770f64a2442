package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

func TestTSPEEDEncodeGolden(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    []byte
	}{
		// client-plink.extra.log and others: SEND, then IS "38400,38400".
		{"send", AppendTSPEEDSend(nil), []byte("\xff\xfa\x20\x01\xff\xf0")},
		{"is 38400", AppendTSPEEDIs(nil, 38400, 38400), []byte("\xff\xfa\x20\x0038400,38400\xff\xf0")},
		{"is tx differs from rx", AppendTSPEEDIs(nil, 9600, 1200), []byte("\xff\xfa\x20\x009600,1200\xff\xf0")},
		{"is zero", AppendTSPEEDIs(nil, 0, 0), []byte("\xff\xfa\x20\x000,0\xff\xf0")},
		{"is clamped", AppendTSPEEDIs(nil, -1, 1<<40), []byte("\xff\xfa\x20\x000,2147483647\xff\xf0")},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, TSPEED, tt.payload)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: wire %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseTSPEED(t *testing.T) {
	tests := []struct {
		p       string
		cmd     SubCommand
		tx, rx  int
		wantErr bool
	}{
		{"\x01", TSPEEDSend, 0, 0, false},
		{"\x0038400,38400", TSPEEDIs, 38400, 38400, false},
		{"\x009600,1200", TSPEEDIs, 9600, 1200, false},
		{"\x000,0", TSPEEDIs, 0, 0, false},
		{"\x00000000000000000000000009600,00", TSPEEDIs, 9600, 0, false},
		{"\x002147483647,1", TSPEEDIs, 2147483647, 1, false},
		{"", 0, 0, 0, true},
		{"\x00", 0, 0, 0, true},
		{"\x00,", 0, 0, 0, true},
		{"\x0038400", 0, 0, 0, true},
		{"\x0038400,", 0, 0, 0, true},
		{"\x00,38400", 0, 0, 0, true},
		{"\x00 9600,9600", 0, 0, 0, true},
		{"\x009600 ,9600", 0, 0, 0, true},
		{"\x00+9600,9600", 0, 0, 0, true},
		{"\x00-1,9600", 0, 0, 0, true},
		{"\x009600,9600,9600", 0, 0, 0, true},
		{"\x009600,96\xff0", 0, 0, 0, true},
		{"\x002147483648,1", 0, 0, 0, true},
		{"\x0099999999999999999999999,1", 0, 0, 0, true},
		{"\x01x", 0, 0, 0, true},
		{"\x019600,9600", 0, 0, 0, true},
		{"\x029600,9600", 0, 0, 0, true},
		{"\xff", 0, 0, 0, true},
	}
	for _, tt := range tests {
		cmd, tx, rx, err := ParseTSPEED([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%q: err = %v, want ErrMalformed", tt.p, err)
			}
			continue
		}
		if err != nil || cmd != tt.cmd || tx != tt.tx || rx != tt.rx {
			t.Errorf("%q: got (%d, %d, %d, %v), want (%d, %d, %d)", tt.p, cmd, tx, rx, err, tt.cmd, tt.tx, tt.rx)
		}
	}
}

func TestTSPEEDRoundTrip(t *testing.T) {
	for _, s := range [][2]int{{38400, 38400}, {0, 0}, {300, 115200}, {2147483647, 2147483647}} {
		cmd, tx, rx, err := ParseTSPEED(AppendTSPEEDIs(nil, s[0], s[1]))
		if err != nil || cmd != TSPEEDIs || tx != s[0] || rx != s[1] {
			t.Errorf("%v: got (%d, %d, %d, %v)", s, cmd, tx, rx, err)
		}
	}
	if cmd, _, _, err := ParseTSPEED(AppendTSPEEDSend(nil)); err != nil || cmd != TSPEEDSend {
		t.Errorf("SEND: got (%d, %v)", cmd, err)
	}
}

func FuzzParseTSPEED(f *testing.F) {
	for _, s := range []string{"\x01", "\x0038400,38400", "\x009600,1200", "\x00,", "\x002147483648,1", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		cmd, tx, rx, err := ParseTSPEED(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		var q []byte
		if cmd == TSPEEDSend {
			q = AppendTSPEEDSend(nil)
		} else {
			q = AppendTSPEEDIs(nil, tx, rx)
		}
		cmd2, tx2, rx2, err := ParseTSPEED(q)
		if err != nil || cmd2 != cmd || tx2 != tx || rx2 != rx {
			t.Fatalf("% x re-encoded as %q decodes to (%d, %d, %d, %v)", p, q, cmd2, tx2, rx2, err)
		}
	})
}
