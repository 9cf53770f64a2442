package charset

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// runner is Decode or Encode.
type runner func(dst, src []byte) (int, int, error)

// feed runs pieces through run with a destination of dstSize bytes, then
// flush, as a reader would: it checks that every call makes progress, and
// returns the output and the number of errors reported.
func feed(t testing.TB, run runner, flush func([]byte) (int, error), pieces [][]byte, dstSize int) ([]byte, int) {
	t.Helper()
	var out []byte
	errs := 0
	dst := make([]byte, dstSize)
	stuck := false // the last call reported an error about held bytes only
	for _, p := range pieces {
		for len(p) > 0 {
			nDst, nSrc, err := run(dst, p)
			out = append(out, dst[:nDst]...)
			p = p[nSrc:]
			if nSrc > 0 {
				stuck = false
			}
			switch {
			case err == nil:
				if len(p) != 0 {
					t.Fatalf("returned nil with %d bytes unread", len(p))
				}
			case err == transform.ErrShortDst:
				if nDst == 0 && nSrc == 0 {
					t.Fatalf("no progress with a %d-byte destination", dstSize)
				}
			case errors.Is(err, ErrInvalid) || errors.Is(err, ErrUnencodable):
				errs++
				// An error about the bytes held from the last call
				// consumes nothing new, but the next call must.
				if nSrc == 0 && stuck {
					t.Fatalf("error %v twice without consuming input", err)
				}
				stuck = nSrc == 0
				continue
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
	}
	for {
		n, err := flush(dst)
		out = append(out, dst[:n]...)
		if err == transform.ErrShortDst {
			if n == 0 {
				t.Fatal("flush makes no progress")
			}
			continue
		}
		if err != nil {
			errs++
		}
		return out, errs
	}
}

func decodeAll(t testing.TB, enc encoding.Encoding, pol Errors, pieces [][]byte) ([]byte, int) {
	t.Helper()
	d := NewDecoder(enc, pol)
	return feed(t, d.Decode, d.Flush, pieces, 64)
}

func encodeAll(t testing.TB, enc encoding.Encoding, pol Errors, pieces [][]byte) ([]byte, int) {
	t.Helper()
	e := NewEncoder(enc, pol)
	return feed(t, e.Encode, e.Flush, pieces, 64)
}

func one(b []byte) [][]byte { return [][]byte{b} }

// bytewise splits b into one-byte pieces.
func bytewise(b []byte) [][]byte {
	var out [][]byte
	for i := range b {
		out = append(out, b[i:i+1])
	}
	return out
}

func mustLookup(t testing.TB, name string) encoding.Encoding {
	t.Helper()
	enc, _, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}
