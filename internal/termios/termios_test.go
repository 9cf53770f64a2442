//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package termios

import (
	"testing"

	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

func TestSLCRoundTrip(t *testing.T) {
	var tio unix.Termios
	tio.Cc[unix.VINTR] = 0x18
	tio.Cc[unix.VERASE] = 0x08
	tio.Cc[unix.VWERASE] = vdisable
	slc := SLC(&tio)
	for _, tc := range []struct {
		f    negotiate.SLCFunction
		want negotiate.SLCTriplet
	}{
		{negotiate.SLCIP, negotiate.SLCTriplet{Func: negotiate.SLCIP,
			Mod: negotiate.SLCValue | negotiate.SLCFlushIn | negotiate.SLCFlushOut, Value: 0x18}},
		{negotiate.SLCEC, negotiate.SLCTriplet{Func: negotiate.SLCEC, Mod: negotiate.SLCValue, Value: 0x08}},
		{negotiate.SLCEW, negotiate.SLCTriplet{Func: negotiate.SLCEW, Mod: negotiate.SLCNoSupport}},
		// A function the terminal has no character for keeps its default.
		{negotiate.SLCAYT, negotiate.DefaultSLC().Get(negotiate.SLCAYT)},
	} {
		if got := slc.Get(tc.f); got != tc.want {
			t.Errorf("SLC %v = %v, want %v", tc.f, got, tc.want)
		}
	}
	var back unix.Termios
	ApplySLC(&back, slc)
	for _, cc := range []int{unix.VINTR, unix.VERASE, unix.VWERASE} {
		if back.Cc[cc] != tio.Cc[cc] {
			t.Errorf("control character %d: %#x, want %#x", cc, back.Cc[cc], tio.Cc[cc])
		}
	}
	if c, ok := CommandChar(&back, negotiate.IP); !ok || c != 0x18 {
		t.Errorf("CommandChar(IP) = %#x, %v", c, ok)
	}
	if c, ok := CommandChar(&back, negotiate.BRK); !ok || c != 0x18 {
		t.Errorf("CommandChar(BRK) = %#x, %v", c, ok)
	}
	if _, ok := CommandChar(&back, negotiate.AYT); ok {
		t.Error("CommandChar(AYT) has a character")
	}
}

func TestForwardMask(t *testing.T) {
	var tio unix.Termios
	if m := ForwardMask(&tio); m != (negotiate.ForwardMask{}) {
		t.Errorf("no EOL character: mask %v", m)
	}
	tio.Cc[unix.VEOL] = 0x02
	tio.Cc[unix.VEOL2] = vdisable
	if m := ForwardMask(&tio); m != negotiate.NewForwardMask(0x02) {
		t.Errorf("EOL ^B: mask %v", m)
	}
}
