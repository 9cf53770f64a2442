package charset

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownEncoding is the error, wrapped, that [Lookup] returns for a
// name it does not know.
var ErrUnknownEncoding = errors.New("charset: unknown encoding")

// ErrInvalid is the error, wrapped, that a [Decoder] with the [Strict]
// policy returns for bytes that are not valid in its encoding, and that an
// [Encoder] with [Strict] returns for input that is not valid UTF-8.
var ErrInvalid = errors.New("charset: invalid input")

// ErrUnencodable is the error, wrapped, that an [Encoder] with the
// [Strict] policy returns for a character its encoding cannot represent.
var ErrUnencodable = errors.New("charset: character not representable")

// Errors is the policy of a [Decoder] or [Encoder] for input it cannot
// convert. Its zero value is [Replace].
type Errors uint8

const (
	// Replace decodes each invalid byte sequence as U+FFFD and encodes
	// each character the encoding lacks as '?'.
	Replace Errors = iota
	// Ignore drops what cannot be converted.
	Ignore
	// Strict drops what cannot be decoded and reports it with an error
	// wrapping [ErrInvalid]; an Encoder stops before a character it cannot
	// encode and reports an error wrapping [ErrUnencodable] or
	// [ErrInvalid].
	Strict
)

// String returns "replace", "ignore" or "strict".
func (e Errors) String() string {
	switch e {
	case Replace:
		return "replace"
	case Ignore:
		return "ignore"
	case Strict:
		return "strict"
	}
	return fmt.Sprintf("Errors(%d)", uint8(e))
}

// ParseErrors returns the policy named "replace", "ignore" or "strict", in
// any case: the values telnetlib3's --encoding-errors takes.
func ParseErrors(s string) (Errors, error) {
	for _, e := range []Errors{Replace, Ignore, Strict} {
		if strings.EqualFold(s, e.String()) {
			return e, nil
		}
	}
	return Replace, fmt.Errorf("charset: unknown errors policy %q (want replace, ignore or strict)", s)
}

// unencodableError is what an encoder of this package reports for a
// character it cannot represent. Its Replacement method makes it work with
// encoding.ReplaceUnsupported, as golang.org/x/text's own errors do.
type unencodableError struct {
	name string
	r    rune
}

func (e *unencodableError) Error() string {
	return fmt.Sprintf("charset: %U is not representable in %s", e.r, e.name)
}

func (e *unencodableError) Unwrap() error { return ErrUnencodable }

// Replacement returns the byte x/text substitutes for an unencodable
// character: ASCII SUB.
func (e *unencodableError) Replacement() byte { return 0x1a }
