package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

func TestLFLOWEncodeGolden(t *testing.T) {
	tests := []struct {
		cmd  LFLOWCommand
		want []byte
	}{
		{LFLOWOff, []byte("\xff\xfa\x21\x00\xff\xf0")},
		{LFLOWOn, []byte("\xff\xfa\x21\x01\xff\xf0")},
		{LFLOWRestartAny, []byte("\xff\xfa\x21\x02\xff\xf0")},
		// pair-inetutils--inetutils-telnetd.log: IAC SB LFLOW RESTART-XON IAC SE.
		{LFLOWRestartXON, []byte("\xff\xfa\x21\x03\xff\xf0")},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, LFLOW, AppendLFLOW(nil, tt.cmd))
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%d: wire % x, want % x", tt.cmd, got, tt.want)
		}
	}
}

func TestParseLFLOW(t *testing.T) {
	for cmd := LFLOWOff; cmd <= LFLOWRestartXON; cmd++ {
		got, err := ParseLFLOW(AppendLFLOW(nil, cmd))
		if err != nil || got != cmd {
			t.Errorf("%d: got (%d, %v)", cmd, got, err)
		}
	}
	for _, p := range []string{"", "\x04", "\xff", "\x00\x00", "\x03\xff"} {
		if _, err := ParseLFLOW([]byte(p)); !errors.Is(err, ErrMalformed) {
			t.Errorf("% x: err = %v, want ErrMalformed", p, err)
		}
	}
}

func FuzzParseLFLOW(f *testing.F) {
	for _, s := range []string{"\x00", "\x01", "\x02", "\x03", "\x04", "", "\x00\x01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		cmd, err := ParseLFLOW(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if q := AppendLFLOW(nil, cmd); !bytes.Equal(p, q) {
			t.Fatalf("re-encoded % x as % x", p, q)
		}
	})
}
