package charset

import (
	"bytes"
	"testing"
)

// benchText is terminal output: mostly ASCII, some accents and box
// drawing, 32 KiB, the size of a large read.
var benchText = bytes.Repeat([]byte("The quick brown fox, ┌──┐ │ok│ └──┘ café naïve, jumps over the lazy dog.\r\n"), 32*1024/80)

// BenchmarkCopy is the baseline: copying a read into the caller's buffer.
func BenchmarkCopy(b *testing.B) {
	dst := make([]byte, len(benchText))
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		copy(dst, benchText)
	}
}

// BenchmarkDecodeUTF8 validates and copies, as Decode does for UTF-8.
func BenchmarkDecodeUTF8(b *testing.B) {
	d := NewDecoder(nil, Replace)
	dst := make([]byte, len(benchText))
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		d.Decode(dst, benchText)
	}
}

// BenchmarkDecodeUTF8InPlace validates only, as DecodeInPlace does.
func BenchmarkDecodeUTF8InPlace(b *testing.B) {
	d := NewDecoder(nil, Replace)
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		d.DecodeInPlace(benchText)
	}
}

func BenchmarkDecodeCP437(b *testing.B) {
	enc := mustLookup(b, "cp437")
	src, _ := encodeAll(b, enc, Replace, one(benchText))
	d := NewDecoder(enc, Replace)
	dst := make([]byte, 3*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		d.Decode(dst, src)
	}
}

func BenchmarkEncodeCP437(b *testing.B) {
	e := NewEncoder(mustLookup(b, "cp437"), Replace)
	dst := make([]byte, len(benchText))
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		e.Encode(dst, benchText)
	}
}

// BenchmarkDecodeCP437XText is x/text's own CP437 decoder, for comparison.
func BenchmarkDecodeCP437XText(b *testing.B) {
	enc := mustLookup(b, "cp437")
	src, _ := encodeAll(b, enc, Replace, one(benchText))
	t := enc.NewDecoder()
	dst := make([]byte, 3*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		t.Transform(dst, src, true)
	}
}

func BenchmarkDecodeShiftJIS(b *testing.B) {
	enc := mustLookup(b, "sjis")
	src, _ := encodeAll(b, enc, Replace, one(bytes.Repeat([]byte("日本語のテキスト, some ASCII. "), 1000)))
	for _, pol := range []Errors{Replace, Strict} {
		b.Run(pol.String(), func(b *testing.B) {
			d := NewDecoder(enc, pol)
			dst := make([]byte, 3*len(src))
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				d.Decode(dst, src)
			}
		})
	}
}
