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
	// transformer does not say: feed it the shortest prefix it consumes,
	// one unit at a time.
	for nSrc < len(src) {
		var nd, ns int
		for k := 1; ; k++ {
			end, final := nSrc+k, false
			if end >= len(src) {
				end, final = len(src), atEOF
			}
			nd, ns, err = d.t.Transform(dst[nDst:], src[nSrc:end], final)
			if ns > 0 || nd > 0 {
				break
			}
			if err == transform.ErrShortDst {
				return nDst, nSrc, err
			}
			if end == len(src) {
				if err == nil {
					return nDst, len(src), nil
				}
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		unit := src[nSrc : nSrc+ns]
		if bytes.Contains(dst[nDst:nDst+nd], []byte(replacement)) && !d.isFFFD(unit) {
			n, err := invalid(dst[nDst:], pol) // dst has room: the transformer wrote there
			nDst += n
			nSrc += ns
			if err != nil {
				return nDst, nSrc, err
			}
			continue
		}
		nDst += nd
		nSrc += ns
	}
	return nDst, nSrc, nil
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
