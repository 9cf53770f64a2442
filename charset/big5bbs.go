package charset

import (
	"sort"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// Big5BBS returns the encoding of Taiwanese BBSes (PttBBS and the PCMan
// clients), which mixes Big5 text with single "half-width" art bytes that
// overlap the Big5 lead bytes. It decodes as telnetlib3's big5bbs does:
//
//   - a lead byte 0xA1-0xFE followed by a trail byte (0x40-0x7E or
//     0xA1-0xFE) that Big5 defines with it is that Big5 character;
//   - any other lead byte stands alone and decodes as in CP437 (0xB0 is
//     '░'), and the byte after it is read again on its own;
//   - the bytes below 0xA1, and 0xFF, decode as in ISO-8859-1.
//
// Big5 here is the original standard's ranges (0xA140-0xA3BF,
// 0xA440-0xC67E, 0xC940-0xF9D5) of the Big5 table of golang.org/x/text,
// so that the ETEN extension pairs that BBS art repeats, such as
// 0xF9 0xF9, decode as two CP437 characters. A lead byte at the end of
// one call that could start a pair is held until the next byte arrives. The encoder writes a
// character as ISO-8859-1 when the decoder reads that byte back as it,
// else as Big5, else as the CP437 byte 0xA1-0xFE that decodes to it.
// Names: "big5bbs", "big5_bbs", "big5_pcman", "big5_pcmanx", "big5_ptt".
func Big5BBS() encoding.Encoding { return big5BBS() }

type big5bbs struct{}

var big5BBS = sync.OnceValue(func() *big5bbs { return &big5bbs{} })

// big5Lead and big5Trail bound the original Big5 code space.
const (
	big5LeadMin, big5LeadMax = 0xA1, 0xF9
	big5Trails               = 157 // 0x40-0x7E and 0xA1-0xFE
)

// big5Tables holds the restricted Big5 table: the character of each pair,
// 0 when undefined, and the pairs sorted by character for the encoder.
type big5Tables struct {
	decode [(big5LeadMax - big5LeadMin + 1) * big5Trails]rune
	encode []runeCode
	cp437  [256]rune // the character of each lone lead byte
	cp437r map[rune]byte
}

type runeCode struct {
	r    rune
	code uint16
}

var big5Table = sync.OnceValue(func() *big5Tables {
	t := &big5Tables{cp437r: make(map[rune]byte)}
	dec := traditionalchinese.Big5.NewDecoder()
	var out [8]byte
	for lead := big5LeadMin; lead <= big5LeadMax; lead++ {
		for i := 0; i < big5Trails; i++ {
			trail := trailByte(i)
			code := lead<<8 | trail
			if !inBig5(code) {
				continue
			}
			n, _, err := dec.Transform(out[:], []byte{byte(lead), byte(trail)}, true)
			r, size := utf8.DecodeRune(out[:n])
			if err != nil || size != n || r == utf8.RuneError {
				continue
			}
			t.decode[(lead-big5LeadMin)*big5Trails+i] = r
			t.encode = append(t.encode, runeCode{r, uint16(code)})
		}
	}
	sort.SliceStable(t.encode, func(i, j int) bool { return t.encode[i].r < t.encode[j].r })
	for b := 0xA1; b <= 0xFE; b++ {
		r := charmap.CodePage437.DecodeByte(byte(b))
		t.cp437[b] = r
		t.cp437r[r] = byte(b)
	}
	return t
})

// inBig5 reports whether code lies in the ranges of the original Big5.
func inBig5(code int) bool {
	return 0xA140 <= code && code <= 0xA3BF || 0xA440 <= code && code <= 0xC67E || 0xC940 <= code && code <= 0xF9D5
}

// trailIndex returns the index of a Big5 trail byte, or -1.
func trailIndex(b byte) int {
	switch {
	case 0x40 <= b && b <= 0x7E:
		return int(b) - 0x40
	case 0xA1 <= b && b <= 0xFE:
		return int(b) - 0xA1 + 0x3F
	}
	return -1
}

func trailByte(i int) int {
	if i < 0x3F {
		return 0x40 + i
	}
	return 0xA1 + i - 0x3F
}

// pair returns the Big5 character of lead and trail, or 0.
func (t *big5Tables) pair(lead, trail byte) rune {
	i := trailIndex(trail)
	if i < 0 || lead < big5LeadMin || lead > big5LeadMax {
		return 0
	}
	return t.decode[(int(lead)-big5LeadMin)*big5Trails+i]
}

func (*big5bbs) String() string { return "big5bbs" }

func (b *big5bbs) newDecoder() converter { return big5Decoder{big5Table()} }
func (b *big5bbs) newEncoder() converter { return big5Encoder{big5Table()} }

// NewDecoder implements encoding.Encoding.
func (b *big5bbs) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: adaptor{b.newDecoder(), Replace, b.String()}}
}

// NewEncoder implements encoding.Encoding; a character the encoding
// lacks is an error, which encoding.ReplaceUnsupported can replace.
func (b *big5bbs) NewEncoder() *encoding.Encoder {
	return &encoding.Encoder{Transformer: adaptor{b.newEncoder(), Strict, b.String()}}
}

type big5Decoder struct{ t *big5Tables }

func (big5Decoder) reset() {}

// convert never meets invalid input: every byte decodes to something.
func (d big5Decoder) convert(dst, src []byte, atEOF bool, _ Errors) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < 0xA1 || c == 0xFF {
			if c < utf8.RuneSelf {
				if nDst == len(dst) {
					return nDst, nSrc, transform.ErrShortDst
				}
				dst[nDst] = c
				nDst++
				nSrc++
				continue
			}
			if nDst+2 > len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], rune(c))
			nSrc++
			continue
		}
		if c <= big5LeadMax && nSrc+1 == len(src) && !atEOF {
			// Only the next byte tells a Big5 pair from an art byte.
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := rune(0), 2
		if nSrc+1 < len(src) {
			r = d.t.pair(c, src[nSrc+1])
		}
		if r == 0 {
			r, size = d.t.cp437[c], 1
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}

type big5Encoder struct{ t *big5Tables }

func (big5Encoder) reset() {}

func (e big5Encoder) convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		r, size := rune(src[nSrc]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[nSrc:])
			if size == 1 && !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		var buf [2]byte
		n := 0
		switch {
		case r == utf8.RuneError && size == 1:
		case r < 0xA1 || r == 0xFF:
			buf[0], n = byte(r), 1
		default:
			i := sort.Search(len(e.t.encode), func(i int) bool { return e.t.encode[i].r >= r })
			if i < len(e.t.encode) && e.t.encode[i].r == r {
				code := e.t.encode[i].code
				buf[0], buf[1], n = byte(code>>8), byte(code), 2
			} else if b, ok := e.t.cp437r[r]; ok {
				buf[0], n = b, 1
			}
		}
		if n == 0 {
			switch pol {
			case Strict:
				if r == utf8.RuneError && size == 1 {
					return nDst, nSrc + size, errBadInput
				}
				return nDst, nSrc + size, errNotRepresentable
			case Replace:
				buf[0], n = '?', 1
			}
		}
		if nDst+n > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], buf[:n])
		nSrc += size
	}
	return nDst, nSrc, nil
}
