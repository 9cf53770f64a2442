package charset

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// A converter turns complete units of src (characters, or escape
// sequences of a stateful encoding) into dst. With atEOF false it stops
// before an incomplete unit at the end of src and returns
// transform.ErrShortSrc; with atEOF true an incomplete unit is invalid
// input. It returns transform.ErrShortDst when the next unit's output does
// not fit. Input it cannot convert is handled by pol: Replace writes a
// replacement, Ignore drops it, Strict drops it and returns errBadInput or
// errNotRepresentable with nSrc past it, so that a caller never stalls on
// it.
type converter interface {
	convert(dst, src []byte, atEOF bool, pol Errors) (nDst, nSrc int, err error)
	reset()
}

// The errors a converter returns under Strict; Decoder and Encoder turn
// them into errors that name the encoding.
var (
	errBadInput         = errors.New("bad input")
	errNotRepresentable = errors.New("not representable")
)

// A codec makes the converters of one encoding. The encodings of this
// package implement it, and so do the converters built for the encodings
// of golang.org/x/text.
type codec interface {
	newDecoder() converter
	newEncoder() converter
}

// maxHeld bounds the bytes of an incomplete unit a stream holds between
// calls. No encoding has a longer unit: 4 bytes for GB18030, UTF-32 and
// the escape sequences of ISO-2022-JP.
const maxHeld = 8

// A stream runs a converter over input that arrives in pieces. It holds
// the incomplete unit at the end of one piece and completes it with the
// start of the next, so that callers never have to keep a tail themselves.
type stream struct {
	conv  converter
	pol   Errors
	held  [maxHeld]byte
	nheld int
	// flushErr is an error flush met before its destination filled, to
	// be returned by the flush call that completes.
	flushErr error
}

// run converts src into dst. It consumes all of src unless dst fills
// (transform.ErrShortDst) or, under Strict, bad input is met; it never
// returns transform.ErrShortSrc.
func (s *stream) run(dst, src []byte) (nDst, nSrc int, err error) {
	if s.nheld > 0 {
		nDst, nSrc, err = s.completeHeld(dst, src)
		if err != nil || s.nheld > 0 {
			return nDst, nSrc, err
		}
	}
	nd, ns, err := s.conv.convert(dst[nDst:], src[nSrc:], false, s.pol)
	nDst += nd
	nSrc += ns
	if err != transform.ErrShortSrc {
		return nDst, nSrc, err
	}
	tail := src[nSrc:]
	if len(tail) > len(s.held) {
		// No encoding has a unit this long; treat the tail as final
		// rather than drop it.
		nd, ns, err = s.conv.convert(dst[nDst:], tail, true, s.pol)
		return nDst + nd, nSrc + ns, err
	}
	s.nheld = copy(s.held[:], tail)
	return nDst, len(src), nil
}

// completeHeld converts the held unit with as many bytes of src as fit
// beside it. It returns the bytes of src it consumed.
func (s *stream) completeHeld(dst, src []byte) (nDst, nSrc int, err error) {
	l := s.nheld
	n := copy(s.held[l:], src)
	buf := s.held[:l+n]
	final := false
	if n == 0 && l == len(s.held) {
		final = true // cannot grow: give up on the unit rather than stall
	}
	nd, ns, err := s.conv.convert(dst, buf, final, s.pol)
	if err == transform.ErrShortSrc {
		err = nil
	}
	if ns >= l {
		// The held unit is done; the bytes of src after ns are read again
		// from src itself.
		s.nheld = 0
		return nd, ns - l, err
	}
	s.nheld = copy(s.held[:], buf[ns:])
	return nd, n, err
}

// flush converts what is held as the end of the input. Under Strict it
// goes on past bad input, and reports the first once all is converted.
func (s *stream) flush(dst []byte) (nDst int, err error) {
	for {
		nd, ns, err := s.conv.convert(dst[nDst:], s.held[:s.nheld], true, s.pol)
		nDst += nd
		s.nheld = copy(s.held[:], s.held[ns:s.nheld])
		switch err {
		case nil:
			err, s.flushErr = s.flushErr, nil
			return nDst, err
		case transform.ErrShortDst:
			return nDst, err
		}
		if ns == 0 {
			s.nheld = 0 // a converter that cannot finish its input: drop it
		}
		if s.flushErr == nil {
			s.flushErr = err
		}
	}
}

func (s *stream) reset() {
	s.nheld = 0
	s.flushErr = nil
	s.conv.reset()
}

// A Decoder turns bytes in an encoding into UTF-8, as a stream: it keeps
// its state between calls, so that a character split across two calls is
// decoded whole, and it never needs its caller to keep an unread tail.
// Input that is not valid in the encoding is handled by the Decoder's
// [Errors] policy, with one exception that makes UTF-8 free: a UTF-8
// Decoder under [Replace] passes its input through unvalidated (still
// holding a character cut short at the end of a call), since every Go
// function that reads runes reads an invalid byte as U+FFFD anyway; under
// [Ignore] and [Strict] it validates. A Decoder is not safe for
// concurrent use.
//
// Decoder implements transform.Transformer, so that it also works with
// transform.NewReader.
type Decoder struct {
	side
}

// side is what a Decoder and an Encoder share: the stream, the encoding's
// name and the errors that name it, made once so that reporting one does
// not allocate.
type side struct {
	s       stream
	name    string
	pass    bool
	errBad  error
	errNRep error
}

// set points the side at the converter c made for the encoding name.
func (sd *side) set(c codec, conv converter, name, badFormat string) {
	sd.s.conv = conv
	sd.s.nheld = 0
	sd.s.flushErr = nil
	_, sd.pass = c.(utf8Codec)
	if name != sd.name || sd.errBad == nil {
		sd.name = name
		sd.errBad = fmt.Errorf(badFormat, name, ErrInvalid)
		sd.errNRep = fmt.Errorf("charset: character not representable in %s: %w", name, ErrUnencodable)
	}
}

// wrap turns the internal errors of a converter into those that name the
// encoding.
func (sd *side) wrap(err error) error {
	switch err {
	case errBadInput:
		return sd.errBad
	case errNotRepresentable:
		return sd.errNRep
	}
	return err
}

// NewDecoder returns a Decoder from enc to UTF-8 with the policy errs. enc
// may be any encoding: those [Lookup] returns are decoded by the fast
// converters of this package; a nil enc means UTF-8.
func NewDecoder(enc encoding.Encoding, errs Errors) *Decoder {
	d := &Decoder{side{s: stream{pol: errs}}}
	d.SetEncoding(enc)
	return d
}

// SetEncoding makes d decode from enc from the next byte on, for an
// encoding agreed in the middle of a stream. A partial character held from
// the old encoding is dropped: call [Decoder.Flush] first to have it
// decoded as the end of the old encoding's input.
func (d *Decoder) SetEncoding(enc encoding.Encoding) {
	c, name := codecOf(enc)
	d.set(c, c.newDecoder(), name, "charset: invalid %s input: %w")
}

// Name returns the canonical name of the encoding d decodes.
func (d *Decoder) Name() string { return d.name }

// Decode decodes src into dst and returns the bytes written and read.
// It reads all of src, holding an incomplete character at its end for the
// next call, unless dst fills first: it then returns
// transform.ErrShortDst, and the caller passes src[nSrc:] again with room.
// A dst of at least 16 bytes always makes progress.
//
// Under [Strict], invalid input is dropped and Decode returns an error
// wrapping [ErrInvalid], with dst[:nDst] holding what was decoded before
// it and nSrc counting the bytes up to and including it: the next call
// goes on after it.
func (d *Decoder) Decode(dst, src []byte) (nDst, nSrc int, err error) {
	nDst, nSrc, err = d.s.run(dst, src)
	return nDst, nSrc, d.wrap(err)
}

// Flush decodes what d holds as the end of the input: a partial character
// is invalid, and is handled by the policy. It returns the bytes written
// to dst; transform.ErrShortDst means dst had no room, and Flush should be
// called again.
func (d *Decoder) Flush(dst []byte) (int, error) {
	n, err := d.s.flush(dst)
	return n, d.wrap(err)
}

// Buffered returns the number of input bytes d holds: the start of a
// character whose end has not arrived.
func (d *Decoder) Buffered() int { return d.s.nheld }

// Passthrough reports whether d decodes UTF-8 and holds nothing, so that
// valid UTF-8 decodes to itself and [Decoder.DecodeInPlace] can be used.
func (d *Decoder) Passthrough() bool { return d.pass && d.s.nheld == 0 }

// DecodeInPlace is the fast path for UTF-8: it decodes p where it lies.
// When [Decoder.Passthrough] is true and p needs no change (under
// [Replace] always, as Decode passes UTF-8 through unvalidated; under
// Ignore and Strict when p is valid UTF-8), it keeps a character cut
// short at the end of p for the next call, leaves the rest of p as it is
// and returns its length and true: nothing is copied, and under Replace
// nothing is read but the last three bytes. Otherwise it changes nothing
// and returns false, and the caller must use [Decoder.Decode] with a
// separate destination.
func (d *Decoder) DecodeInPlace(p []byte) (n int, ok bool) {
	if !d.Passthrough() {
		return 0, false
	}
	n = len(p) - incompleteTail(p)
	if d.s.pol != Replace && !utf8.Valid(p[:n]) {
		return 0, false
	}
	d.s.nheld = copy(d.s.held[:], p[n:])
	return n, true
}

// Transform implements transform.Transformer: it decodes src and, when
// atEOF is true and src is all read, flushes.
func (d *Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	nDst, nSrc, err = d.Decode(dst, src)
	if err == nil && atEOF {
		var n int
		n, err = d.Flush(dst[nDst:])
		nDst += n
	}
	return nDst, nSrc, err
}

// Reset drops what d holds, for a new stream in the same encoding.
func (d *Decoder) Reset() { d.s.reset() }

// An Encoder turns UTF-8 into bytes in an encoding, as a stream: it keeps
// its state between calls, so that a character split across two calls is
// encoded whole, and a stateful encoding (ISO-2022-JP) keeps its shift
// state. What the encoding cannot represent, and input that is not UTF-8,
// is handled by the Encoder's [Errors] policy. An Encoder to UTF-8 copies
// its input unchanged, without validating it. An Encoder is not safe for
// concurrent use.
//
// Encoder implements transform.Transformer.
type Encoder struct {
	side
}

// NewEncoder returns an Encoder from UTF-8 to enc with the policy errs. A
// nil enc means UTF-8.
func NewEncoder(enc encoding.Encoding, errs Errors) *Encoder {
	e := &Encoder{side{s: stream{pol: errs}}}
	e.SetEncoding(enc)
	return e
}

// SetEncoding makes e encode to enc from the next character on. A partial
// character held is dropped, and a stateful encoding is not returned to
// its initial state: call [Encoder.Flush] first for both.
func (e *Encoder) SetEncoding(enc encoding.Encoding) {
	c, name := codecOf(enc)
	e.set(c, c.newEncoder(), name, "charset: invalid UTF-8 for %s: %w")
}

// Encode encodes src into dst and returns the bytes written and read,
// with the contract of [Decoder.Decode]. Under [Strict], a character the
// encoding lacks is dropped and Encode returns an error wrapping
// [ErrUnencodable] (or [ErrInvalid] for input that is not UTF-8), with
// nSrc counting the bytes up to and including it.
func (e *Encoder) Encode(dst, src []byte) (nDst, nSrc int, err error) {
	if e.pass {
		n := copy(dst, src)
		if n < len(src) {
			err = transform.ErrShortDst
		}
		return n, n, err
	}
	nDst, nSrc, err = e.s.run(dst, src)
	return nDst, nSrc, e.wrap(err)
}

// Flush writes what e holds as the end of the input: a partial character
// is invalid, and a stateful encoding returns to its initial state.
func (e *Encoder) Flush(dst []byte) (int, error) {
	n, err := e.s.flush(dst)
	return n, e.wrap(err)
}

// Passthrough reports whether e encodes to UTF-8, so that a caller may
// write its input unchanged instead of calling [Encoder.Encode].
func (e *Encoder) Passthrough() bool { return e.pass }

// Transform implements transform.Transformer: it encodes src and, when
// atEOF is true and src is all read, flushes.
func (e *Encoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	nDst, nSrc, err = e.Encode(dst, src)
	if err == nil && atEOF {
		var n int
		n, err = e.Flush(dst[nDst:])
		nDst += n
	}
	return nDst, nSrc, err
}

// Name returns the canonical name of the encoding e encodes to.
func (e *Encoder) Name() string { return e.name }

// Reset drops what e holds and returns a stateful encoding to its initial
// state without writing anything, for a new stream.
func (e *Encoder) Reset() { e.s.reset() }
