package negotiate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// decodeSB decodes a subnegotiation payload with the decoder of its
// option, and reports whether the option has one.
func decodeSB(opt Option, p []byte) (bool, error) {
	var err error
	switch opt {
	case TTYPE:
		_, _, err = ParseTTYPE(p)
	case NAWS:
		_, _, err = ParseNAWS(p)
	case TSPEED:
		_, _, _, err = ParseTSPEED(p)
	case XDISPLOC:
		_, _, err = ParseXDISPLOC(p)
	case SNDLOC:
		_, err = ParseSNDLOC(p)
	case LFLOW:
		_, err = ParseLFLOW(p)
	case NewEnviron:
		_, _, err = ParseEnviron(p)
	case OldEnviron:
		_, _, _, err = ParseOldEnviron(p, OldEnvironUnknown)
	case Charset:
		_, err = ParseCharset(p)
	case Linemode:
		_, err = ParseLinemode(p)
	case Status:
		_, _, err = ParseStatus(p)
	case ComPort:
		_, err = ParseComPort(p)
	case GMCP:
		_, _, err = ParseGMCP(p)
	case MSDP:
		_, err = ParseMSDP(p)
	case MSSP:
		_, err = ParseMSSP(p)
	default:
		return false, nil
	}
	return true, err
}

// TestSessionsDecode runs every captured session through an engine and
// decodes every subnegotiation real peers sent with the decoder of its
// option: each must decode.
func TestSessionsDecode(t *testing.T) {
	decoded := map[Option]int{}
	for name, s := range sessions(t) {
		if strings.HasPrefix(name, "pair-netkit--") {
			continue // this session turns to TLS in-band: the rest is not Telnet
		}
		e := New(testPolicy())
		e.Feed(s)
		for _, ev := range e.Events() {
			switch ev.Kind {
			case EventSubnegotiation:
				ok, err := decodeSB(ev.Option, ev.Data)
				if err != nil {
					t.Errorf("%s: %v: %v", name, ev, err)
				}
				if ok {
					decoded[ev.Option]++
				}
			case EventError:
				t.Errorf("%s: %v", name, ev)
			}
		}
	}
	// The captures hold these options' subnegotiations; if one went
	// missing, the test would prove less than it says.
	for _, o := range []Option{TTYPE, NAWS, TSPEED, XDISPLOC, NewEnviron, OldEnviron, Charset, Linemode, LFLOW} {
		if decoded[o] == 0 {
			t.Errorf("no %v subnegotiation decoded from the captures", o)
		}
	}
	var seen []string
	for o, n := range decoded {
		seen = append(seen, fmt.Sprintf("%v=%d", o, n))
	}
	slices.Sort(seen)
	t.Logf("decoded: %v", seen)
}
