package charset

import (
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// utf8Codec is UTF-8, which needs validation on the way in and nothing on
// the way out.
type utf8Codec struct{}

func (utf8Codec) newDecoder() converter { return utf8Decoder{} }
func (utf8Codec) newEncoder() converter { return copier{} }

// copier passes its input through.
type copier struct{}

func (copier) convert(dst, src []byte, _ bool, _ Errors) (int, int, error) {
	n := copy(dst, src)
	if n < len(src) {
		return n, n, transform.ErrShortDst
	}
	return n, n, nil
}

func (copier) reset() {}

// utf8Decoder passes UTF-8 through. Under Replace it does not validate:
// an invalid byte reaches the reader unchanged, and Go reads it as U+FFFD
// wherever it decodes runes (range, utf8.DecodeRune, strings.ToValidUTF8),
// so validating would cost time for nothing a Go program would see.
// Under Ignore and Strict it validates; each byte that does not start a
// valid sequence is one invalid unit, as for utf8.DecodeRune.
type utf8Decoder struct{}

func (utf8Decoder) reset() {}

func (utf8Decoder) convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error) {
	// The fast path: valid input, copied in one go.
	end := len(src)
	if !atEOF {
		end -= incompleteTail(src)
	}
	if end <= len(dst) && (pol == Replace || utf8.Valid(src[:end])) {
		copy(dst, src[:end])
		if end < len(src) {
			err = transform.ErrShortSrc
		}
		return end, end, err
	}
	if pol == Replace {
		// dst is short: fill it with whole characters.
		n := len(dst) - incompleteTail(src[:len(dst)])
		copy(dst, src[:n])
		return n, n, transform.ErrShortDst
	}
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst == len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			n, err := invalid(dst[nDst:], pol)
			if err == transform.ErrShortDst {
				return nDst, nSrc, err
			}
			nDst += n
			nSrc++
			if err != nil {
				return nDst, nSrc, err
			}
			continue
		}
		if nDst+size > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		nSrc += size
	}
	return nDst, nSrc, nil
}

// invalid applies the policy of a decoder to one invalid unit: it writes
// U+FFFD to dst under Replace, and returns errBadInput under Strict.
func invalid(dst []byte, pol Errors) (int, error) {
	switch pol {
	case Ignore:
		return 0, nil
	case Strict:
		return 0, errBadInput
	}
	if len(dst) < len(replacement) {
		return 0, transform.ErrShortDst
	}
	return copy(dst, replacement), nil
}

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// incompleteTail returns the length of the start of a UTF-8 sequence that
// ends p before its last byte, or 0.
func incompleteTail(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax+1; i-- {
		c := p[i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(p[i:]) {
				return 0
			}
			return len(p) - i
		}
	}
	return 0
}
