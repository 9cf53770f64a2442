package telnet

import (
	"compress/zlib"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"
)

// mudText is n bytes of text such as a MUD sends: lines of words from a
// small vocabulary, with colour codes and CR LF.
func mudText(n int) []byte {
	words := strings.Fields("the a dark room north south east west you see a sword shield goblin orc " +
		"attacks hits misses tavern \x1b[1;32mgreen\x1b[0m \x1b[31mred\x1b[0m HP: 123/456 MP: 78/90 " +
		"exits: [n s e w] a long corridor stretches into darkness ahead of you")
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		if r.IntN(10) == 0 {
			b.WriteString("\r\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return []byte(b.String()[:n])
}

// zlibWriter is the standard library's way to compress a connection: a
// zlib writer flushed after every write.
type zlibWriter struct{ w *zlib.Writer }

func (z zlibWriter) Write(p []byte) (int, error) {
	n, err := z.w.Write(p)
	if err == nil {
		err = z.w.Flush()
	}
	return n, err
}

// zlibReader reads a zlib stream from src, starting on the first Read,
// since a zlib reader reads the stream's header when it is made.
type zlibReader struct {
	src io.Reader
	zr  io.Reader
}

func (z *zlibReader) Read(p []byte) (int, error) {
	if z.zr == nil {
		zr, err := zlib.NewReader(z.src)
		if err != nil {
			return 0, err
		}
		z.zr = zr
	}
	return z.zr.Read(p)
}

// countingConn counts the bytes written through it.
type countingConn struct {
	net.Conn
	n int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n += int64(n)
	return n, err
}

// compressVolume is how much text each leg of a round of
// BenchmarkPairedCompression moves: never the same text twice, so that
// no compressor finds it all in its window.
const compressVolume = 8 << 20

// transferText writes text to w in writes of size bytes while r reads it,
// and returns how long it took.
func transferText(b *testing.B, w io.Writer, r io.Reader, text []byte, size int, rbuf []byte) time.Duration {
	return timeTransfer(b, func() error {
		for p := text; len(p) > 0; p = p[min(size, len(p)):] {
			if _, err := w.Write(p[:min(size, len(p))]); err != nil {
				return err
			}
		}
		return nil
	}, r, len(text), rbuf)
}

// BenchmarkPairedCompression moves MUD text from a server to a client in
// writes of the size named, in paired rounds over three loopback
// connections: two Conns without MCCP, two Conns with MCCP2 (the server
// compresses, the client decompresses), and the standard library's zlib
// writer (flushed after each write) and reader on raw TCP. It reports
// x-plain, the median of the compressed Conns' throughput over the plain
// Conns', x-zlib, over the standard library's, and the size of the
// compressed stream as a fraction of the text, ours and the standard
// library's.
func BenchmarkPairedCompression(b *testing.B) {
	for _, size := range []int{256, 4 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			cc, sc := benchLoopback(b)
			pclient, pserver := handshakeBoth(b, Client(cc, WithRawLineEndings()), Server(sc, WithRawLineEndings()))

			cc, sc = benchLoopback(b)
			zwire := &countingConn{Conn: sc}
			zclient, zserver := handshakeBoth(b, Client(cc, WithRawLineEndings(), WithCompression()),
				Server(zwire, WithRawLineEndings(), WithCompression()))

			cc, sc = benchLoopback(b)
			swire := &countingConn{Conn: sc}
			zw, _ := zlib.NewWriterLevel(swire, zlib.DefaultCompression)
			sclient, sserver := &zlibReader{src: cc}, zlibWriter{zw}

			text := mudText(compressVolume)
			rbuf := make([]byte, 64<<10)
			var xPlain, xZlib []float64
			var zOut, sOut, in int64
			for b.Loop() {
				tPlain := transferText(b, pserver, pclient, text, size, rbuf)
				zBefore, sBefore := zwire.n, swire.n
				tMCCP := transferText(b, zserver, zclient, text, size, rbuf)
				tStd := transferText(b, sserver, sclient, text, size, rbuf)
				zOut += zwire.n - zBefore
				sOut += swire.n - sBefore
				in += compressVolume
				xPlain = append(xPlain, tPlain.Seconds()/tMCCP.Seconds())
				xZlib = append(xZlib, tStd.Seconds()/tMCCP.Seconds())
			}
			b.ReportMetric(median(xPlain), "x-plain")
			b.ReportMetric(median(xZlib), "x-zlib")
			b.ReportMetric(float64(zOut)/float64(in), "ratio")
			b.ReportMetric(float64(sOut)/float64(in), "zlib-ratio")
		})
	}
}
