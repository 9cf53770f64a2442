package main

import (
	"errors"

	"github.com/telnetkit/telnet/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// A codec is the server's encoding, converted to and from the UTF-8 of
// the terminal with an errors policy (--encoding, --encoding-errors).
//
// The encoding applies in both directions whether BINARY is agreed or not:
// every encoding but US-ASCII implies --force-binary, as in telnetlib3's
// programs, and US-ASCII is what the NVT is without BINARY anyway.
type codec struct {
	enc    encoding.Encoding
	name   string // canonical
	policy charset.Errors
}

// lookupCodec returns the codec of an encoding name as people type it
// ("utf8", "latin1", "cp437", "petscii", ...).
func lookupCodec(name string, policy charset.Errors) (*codec, error) {
	enc, canonical, err := charset.Lookup(name)
	if err != nil {
		return nil, err
	}
	return &codec{enc: enc, name: canonical, policy: policy}, nil
}

// retro reports whether the encoding is that of an 8-bit home computer,
// whose terminal is driven a key at a time.
func (c *codec) retro() bool { return charset.Retro(c.name) }

// A decoder turns what the server sends into UTF-8 for the terminal.
type decoder struct {
	d   *charset.Decoder
	buf []byte
}

func (c *codec) newDecoder() *decoder { return &decoder{d: charset.NewDecoder(c.enc, c.policy)} }

// decode returns p in UTF-8, in p itself when it is valid UTF-8 to be
// shown as it is. Under the strict policy, the error comes with what was
// decoded before the invalid byte.
func (d *decoder) decode(p []byte) ([]byte, error) {
	if n, ok := d.d.DecodeInPlace(p); ok {
		return p[:n], nil
	}
	var err error
	d.buf, err = convert(d.d.Decode, d.buf[:0], p)
	return d.buf, err
}

// An encoder turns what is typed, UTF-8, into the server's encoding.
type encoder struct {
	e   *charset.Encoder
	buf []byte
}

func (c *codec) newEncoder() *encoder { return &encoder{e: charset.NewEncoder(c.enc, c.policy)} }

// encode returns p in the server's encoding; the result is valid until
// the next call.
func (e *encoder) encode(p []byte) ([]byte, error) {
	if e.e.Passthrough() {
		return p, nil
	}
	var err error
	e.buf, err = convert(e.e.Encode, e.buf[:0], p)
	return e.buf, err
}

// convert appends to dst all of src run through step, a Decode or Encode
// method, growing dst as it fills. It stops at the first other error.
func convert(step func(dst, src []byte) (int, int, error), dst, src []byte) ([]byte, error) {
	for {
		if free := cap(dst) - len(dst); free < 4*len(src)+16 {
			dst = append(dst[:cap(dst)], make([]byte, 4*len(src)+16-free)...)[:len(dst)]
		}
		nDst, nSrc, err := step(dst[len(dst):cap(dst)], src)
		dst = dst[:len(dst)+nDst]
		src = src[nSrc:]
		if errors.Is(err, transform.ErrShortDst) {
			continue
		}
		return dst, err
	}
}
