package charset

import (
	"sort"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// undefined marks a byte a single-byte table does not map.
const undefined rune = -1

// A singleByte is an encoding of one byte per character, given by a
// table. It serves the charmaps of golang.org/x/text (faster than theirs,
// and with the Errors policies) and the retro encodings.
type singleByte struct {
	name string
	// utf is the UTF-8 form of each byte's character; ulen its length, 0
	// for an undefined byte.
	utf  [256][4]byte
	ulen [256]uint8
	// order is the order in which bytes claim a character for the
	// encoder when several decode to it: the first wins.
	order func(yield func(b int) bool)
	// foldEOL makes the encoder write CR, LF and CR LF as the byte of LF
	// (ATASCII has no CR).
	foldEOL bool

	encOnce sync.Once
	enc     *sbEncodeTable
}

// An sbEncodeTable maps characters to bytes: ASCII by array, the rest of
// the Basic Multilingual Plane by 256-entry pages, each entry the byte
// plus one (0 for none), and the few characters beyond by a sorted list.
type sbEncodeTable struct {
	ascii  [utf8.RuneSelf]int16
	pages  [256]*[256]uint16
	astral []runeByte
	// repl is the byte of '?', written for a character the table lacks
	// under Replace; -1 when there is none.
	repl int
}

type runeByte struct {
	r rune
	b byte
}

// newSingleByte makes an encoding from a table of 256 characters.
func newSingleByte(name string, table *[256]rune, order func(yield func(b int) bool), foldEOL bool) *singleByte {
	t := &singleByte{name: name, order: order, foldEOL: foldEOL}
	for b, r := range table {
		if r != undefined {
			t.ulen[b] = uint8(utf8.EncodeRune(t.utf[b][:], r))
		}
	}
	return t
}

// lowFirst is the usual order: the lowest byte wins.
func lowFirst(yield func(b int) bool) {
	for b := 0; b < 256; b++ {
		if !yield(b) {
			return
		}
	}
}

// decodeRune returns the character of byte b, or undefined.
func (t *singleByte) decodeRune(b byte) rune {
	if t.ulen[b] == 0 {
		return undefined
	}
	r, _ := utf8.DecodeRune(t.utf[b][:t.ulen[b]])
	return r
}

// encodeTable builds the encoder's table on first use: many encodings are
// only ever decoded.
func (t *singleByte) encodeTable() *sbEncodeTable {
	t.encOnce.Do(func() {
		e := &sbEncodeTable{repl: -1}
		for i := range e.ascii {
			e.ascii[i] = -1
		}
		t.order(func(b int) bool {
			r := t.decodeRune(byte(b))
			switch {
			case r == undefined:
			case r < utf8.RuneSelf:
				if e.ascii[r] < 0 {
					e.ascii[r] = int16(b)
				}
			case r <= 0xFFFF:
				page := e.pages[r>>8]
				if page == nil {
					page = new([256]uint16)
					e.pages[r>>8] = page
				}
				if page[r&0xFF] == 0 {
					page[r&0xFF] = uint16(b) + 1
				}
			default:
				if _, ok := e.lookupAstral(r); !ok {
					e.astral = append(e.astral, runeByte{r, byte(b)})
					sort.Slice(e.astral, func(i, j int) bool { return e.astral[i].r < e.astral[j].r })
				}
			}
			return true
		})
		if t.foldEOL {
			e.ascii['\r'] = e.ascii['\n']
		}
		e.repl = int(e.ascii['?'])
		t.enc = e
	})
	return t.enc
}

func (e *sbEncodeTable) lookupAstral(r rune) (byte, bool) {
	i := sort.Search(len(e.astral), func(i int) bool { return e.astral[i].r >= r })
	if i < len(e.astral) && e.astral[i].r == r {
		return e.astral[i].b, true
	}
	return 0, false
}

// lookup returns the byte of r, or -1.
func (e *sbEncodeTable) lookup(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		return int(e.ascii[r])
	case r <= 0xFFFF:
		if page := e.pages[r>>8]; page != nil {
			return int(page[r&0xFF]) - 1
		}
		return -1
	}
	if b, ok := e.lookupAstral(r); ok {
		return int(b)
	}
	return -1
}

func (t *singleByte) newDecoder() converter { return sbDecoder{t} }
func (t *singleByte) newEncoder() converter { return &sbEncoder{t: t, e: t.encodeTable()} }

// NewDecoder implements encoding.Encoding; invalid bytes decode as
// U+FFFD.
func (t *singleByte) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: adaptor{t.newDecoder(), Replace, t.name}}
}

// NewEncoder implements encoding.Encoding; a character the encoding
// lacks is an error, which encoding.ReplaceUnsupported can replace.
func (t *singleByte) NewEncoder() *encoding.Encoder {
	return &encoding.Encoder{Transformer: adaptor{t.newEncoder(), Strict, t.name}}
}

// String returns the canonical name.
func (t *singleByte) String() string { return t.name }

type sbDecoder struct{ t *singleByte }

func (sbDecoder) reset() {}

func (d sbDecoder) convert(dst, src []byte, _ bool, pol Errors) (nDst, nSrc int, err error) {
	t := d.t
	for nSrc < len(src) {
		c := src[nSrc]
		switch n := int(t.ulen[c]); {
		case n == 1 && nDst < len(dst):
			dst[nDst] = t.utf[c][0]
			nDst++
		case n == 0:
			n, err := invalid(dst[nDst:], pol)
			if err == transform.ErrShortDst {
				return nDst, nSrc, err
			}
			nDst += n
			if err != nil {
				return nDst, nSrc + 1, err
			}
		case nDst+n <= len(dst):
			copy(dst[nDst:], t.utf[c][:n])
			nDst += n
		default:
			return nDst, nSrc, transform.ErrShortDst
		}
		nSrc++
	}
	return nDst, nSrc, nil
}

type sbEncoder struct {
	t       *singleByte
	e       *sbEncodeTable
	afterCR bool // the last character was CR, whose LF foldEOL drops
}

func (s *sbEncoder) reset() { s.afterCR = false }

func (s *sbEncoder) convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error) {
	e := s.e
	for nSrc < len(src) {
		r, size := rune(src[nSrc]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[nSrc:])
			if size == 1 && !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		if s.t.foldEOL {
			afterCR := s.afterCR
			s.afterCR = r == '\r'
			if r == '\n' && afterCR {
				nSrc += size
				continue
			}
		}
		b := -1
		if r != utf8.RuneError || size > 1 {
			b = e.lookup(r)
		}
		if b < 0 {
			if pol == Strict {
				if size == 1 && r == utf8.RuneError {
					return nDst, nSrc + size, errBadInput
				}
				return nDst, nSrc + size, errNotRepresentable
			}
			if pol == Ignore || e.repl < 0 {
				nSrc += size
				continue
			}
			b = e.repl
		}
		if nDst == len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		dst[nDst] = byte(b)
		nDst++
		nSrc += size
	}
	return nDst, nSrc, nil
}

// An adaptor makes a converter a transform.Transformer with a fixed
// policy, for the encoding.Encoding interface.
type adaptor struct {
	c    converter
	pol  Errors
	name string
}

func (a adaptor) Reset() { a.c.reset() }

func (a adaptor) Transform(dst, src []byte, atEOF bool) (int, int, error) {
	nDst, nSrc, err := a.c.convert(dst, src, atEOF, a.pol)
	if err == errNotRepresentable || err == errBadInput {
		// x/text's convention: stop before the character, and say what
		// it is, so that encoding.ReplaceUnsupported can go on.
		r, size := utf8.DecodeLastRune(src[:nSrc])
		return nDst, nSrc - size, &unencodableError{name: a.name, r: r}
	}
	return nDst, nSrc, err
}
