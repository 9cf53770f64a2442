package telnet

import (
	"bytes"
	"testing"
)

// FuzzWriteCut checks the write side's encodings against a model and each
// other for any data, mode and cut: the wire form is the model's; the
// pieces of segments, however small the
// bound on their number, join into the one wire form; and a write cut
// anywhere in that wire form, completed by what sent says is owed, then
// by the rest of the data encoded after sent's CR state, is the whole
// wire form again, so that a Write retried after a timeout never
// corrupts the stream.
func FuzzWriteCut(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\xff\n\r"), uint8(2), true, uint16(5), uint8(3))
	f.Add([]byte("\xff\xff\n\n\r\r\x00"), uint8(1), false, uint16(3), uint8(1))
	f.Add([]byte("plain text"), uint8(0), false, uint16(4), uint8(8))
	f.Fuzz(func(t *testing.T, p []byte, m uint8, afterCR bool, cut uint16, max uint8) {
		mode := writeMode(m % 3)
		whole, _ := mode.append(nil, p, afterCR)
		if model := wireModel(mode, p, afterCR); !bytes.Equal(whole, model) {
			t.Fatalf("mode %d after CR %v: %q is sent as %q, want %q", mode, afterCR, p, whole, model)
		}

		// Pieces at most max+3 a call, as Write takes them.
		var joined []byte
		cr := afterCR
		for rest := p; ; {
			segs, n, endCR := mode.segments(nil, rest, cr, int(max)+3)
			for _, s := range segs {
				joined = append(joined, s...)
			}
			rest, cr = rest[n:], endCR
			if len(rest) == 0 {
				break
			}
			if n == 0 && len(segs) == 0 {
				t.Fatalf("segments made no progress on %q", rest)
			}
		}
		if !bytes.Equal(joined, whole) {
			t.Fatalf("mode %d: pieces join to %q, want %q", mode, joined, whole)
		}

		wire := int(cut) % (len(whole) + 1)
		n, owed, cr2 := mode.sent(p, wire, afterCR)
		rest, _ := mode.append(nil, p[n:], cr2)
		resumed := append(append(append([]byte{}, whole[:wire]...), owed...), rest...)
		if !bytes.Equal(resumed, whole) {
			t.Fatalf("mode %d after CR %v: cut at %d of %q resumes as %q, want %q", mode, afterCR, wire, p, resumed, whole)
		}
	})
}

// wireModel is the wire form of p in mode m after afterCR, made a byte at
// a time as RFC 854 and 856 have it: IAC doubled; in the text modes LF
// sent as CR LF unless a CR is before it; in the NVT a CR not followed by
// LF followed by NUL.
func wireModel(m writeMode, p []byte, afterCR bool) []byte {
	var out []byte
	for k, b := range p {
		prevCR := afterCR
		if k > 0 {
			prevCR = p[k-1] == '\r'
		}
		if m == writeNVT && prevCR && b != '\n' {
			out = append(out, 0)
		}
		switch {
		case b == 0xff:
			out = append(out, 0xff, 0xff)
		case b == '\n' && m != writeRaw && !prevCR:
			out = append(out, '\r', '\n')
		default:
			out = append(out, b)
		}
	}
	return out
}
