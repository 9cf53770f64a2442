package charset

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// xCodec runs the transformers of a golang.org/x/text encoding, adding the
// Errors policies they lack: x/text decoders always replace, and encoders
// always fail.
type xCodec struct {
	enc encoding.Encoding
	// fffd lists the byte sequences that encode U+FFFD itself, in the
	// encodings that have one (UTF-16, UTF-32, GB18030): a U+FFFD decoded
	// from them is input, not a replacement.
	fffd [][]byte
}

func (c xCodec) newDecoder() converter {
	return &xDecoder{t: c.enc.NewDecoder(), fffd: c.fffd}
}

func (c xCodec) newEncoder() converter {
	return &xEncoder{t: c.enc.NewEncoder(), qmark: [1]byte{'?'}}
}

type xDecoder struct {
	t    transform.Transformer
	fffd [][]byte
}

func (d *xDecoder) reset() { d.t.Reset() }

func (d *xDecoder) convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error) {
	if pol == Replace {
		return d.t.Transform(dst, src, atEOF)
	}
	// Ignore and Strict must know which input became U+FFFD, which the
	// transformer does not say: have it decode one character at a time,
	// by giving it the shortest input it decodes something from and the
	// shortest output that takes that something.
	for nSrc < len(src) {
		nd, ns, err := d.step(dst[nDst:], src[nSrc:], atEOF)
		if nd == 0 && ns == 0 {
			return nDst, nSrc, err
		}
		if bytes.Contains(dst[nDst:nDst+nd], []byte(replacement)) && !d.isFFFD(src[nSrc:nSrc+ns]) {
			if pol == Strict {
				return nDst, nSrc + ns, errBadInput
			}
			nd = 0
		}
		nDst += nd
		nSrc += ns
	}
	return nDst, nSrc, nil
}

// maxUnitOutput bounds the UTF-8 one unit decodes to: two characters,
// for the Big5-HKSCS pairs that decode to a letter and a combining mark.
const maxUnitOutput = 8

// step decodes the first unit of src alone. It returns no progress and
// transform.ErrShortSrc for an incomplete unit, or transform.ErrShortDst
// when dst cannot take the unit's output.
func (d *xDecoder) step(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for k := 1; k <= len(src); k++ {
		final := atEOF && k == len(src)
		for m := 1; m <= maxUnitOutput; m++ {
			if m > len(dst) {
				return 0, 0, transform.ErrShortDst
			}
			nDst, nSrc, err = d.t.Transform(dst[:m], src[:k], final)
			if nDst > 0 || nSrc > 0 {
				return nDst, nSrc, nil
			}
			if err != transform.ErrShortDst {
				break // the unit needs more input
			}
		}
	}
	if atEOF {
		return 0, len(src), nil // a transformer that will not finish: drop the rest
	}
	return 0, 0, transform.ErrShortSrc
}

func (d *xDecoder) isFFFD(unit []byte) bool {
	for _, seq := range d.fffd {
		if bytes.HasSuffix(unit, seq) {
			return true
		}
	}
	return false
}

type xEncoder struct {
	t     transform.Transformer
	qmark [1]byte // '?', the replacement, kept here so that it is not allocated
}

func (e *xEncoder) reset() { e.t.Reset() }

func (e *xEncoder) convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error) {
	for {
		nd, ns, err := e.t.Transform(dst[nDst:], src[nSrc:], atEOF)
		nDst += nd
		nSrc += ns
		if err == nil || err == transform.ErrShortDst || err == transform.ErrShortSrc {
			return nDst, nSrc, err
		}
		// The transformer stopped at a character it cannot encode, or at
		// a byte that is not UTF-8.
		r, size := utf8.DecodeRune(src[nSrc:])
		switch pol {
		case Strict:
			if r == utf8.RuneError && size <= 1 {
				return nDst, nSrc + size, errBadInput
			}
			return nDst, nSrc + size, errNotRepresentable
		case Replace:
			nd, _, err := e.t.Transform(dst[nDst:], e.qmark[:], false)
			if err == transform.ErrShortDst {
				return nDst, nSrc, err
			}
			nDst += nd
		}
		nSrc += size
	}
}
