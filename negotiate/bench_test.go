package negotiate

import (
	"bytes"
	"testing"
)

// benchData returns size bytes of text with an escaped IAC (IAC IAC, one
// data byte 0xFF) every `every` bytes, or none when every is 0.
func benchData(size, every int) []byte {
	b := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog.\r\n"), size/46+1)[:size]
	if every > 0 {
		for i := every - 2; i+1 < size; i += every {
			b[i], b[i+1] = iac, iac
		}
	}
	return b
}

func benchmarkFeed(b *testing.B, every int) {
	const size = 32 << 10
	src := benchData(size, every)
	// Feed rewrites its buffer in place, so each call gets a fresh copy,
	// made with the timer stopped, a batch at a time.
	const batch = 64
	bufs := make([][]byte, batch)
	for i := range bufs {
		bufs[i] = bytes.Clone(src)
	}
	e := New(testPolicy())
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 && i > 0 && every > 0 {
			b.StopTimer()
			for _, buf := range bufs {
				copy(buf, src)
			}
			b.StartTimer()
		}
		e.Feed(bufs[i%batch])
	}
}

func BenchmarkFeedNoIAC(b *testing.B)         { benchmarkFeed(b, 0) }
func BenchmarkFeedIACPerKiB(b *testing.B)     { benchmarkFeed(b, 1024) }
func BenchmarkFeedIACPer16Bytes(b *testing.B) { benchmarkFeed(b, 16) }

// BenchmarkFeedNegotiation feeds a fresh engine the opening burst of a
// session, the per-byte path, and collects the replies: the cost of a
// handshake, engine set-up included.
func BenchmarkFeedNegotiation(b *testing.B) {
	src := []byte("\xff\xfd\x18\xff\xfb\x03\xff\xfb\x01\xff\xfd\x1f\xff\xfd\x27\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0" +
		"\xff\xfa\x18\x00XTERM-256COLOR\xff\xf0hello\xff\xf1")
	buf := make([]byte, len(src))
	out := make([]byte, 0, 256)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		e := Engine{policy: testPolicy(), maxSB: DefaultMaxSubnegotiation}
		copy(buf, src)
		e.Feed(buf)
		out = e.AppendOutput(out[:0])
	}
}

func BenchmarkAppendEscaped(b *testing.B) {
	for _, tc := range []struct {
		name  string
		every int
	}{{"NoIAC", 0}, {"IACPerKiB", 1024}, {"IACPer16Bytes", 16}} {
		b.Run(tc.name, func(b *testing.B) {
			src := benchData(32<<10, tc.every)
			dst := make([]byte, 0, 2*len(src))
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendEscaped(dst[:0], src)
			}
		})
	}
}
