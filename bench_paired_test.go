package telnet

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/telnetkit/telnet/internal/testcert"
	"github.com/telnetkit/telnet/negotiate"
)

// pairedVolume is how much data each leg of a paired round moves.
const pairedVolume = 64 << 20

// BenchmarkPaired moves the same data over raw loopback TCP and through a
// Conn with the default options (BINARY agreed, line endings translated)
// over the same sockets, back to back in every iteration, so that both
// legs see the same machine. It reports x-raw, the median over the
// iterations of the Conn's throughput divided by the raw connection's,
// and the median throughput of each leg. Run it with -benchtime=Nx for N
// rounds.
//
// Write is the Conn writing and a raw reader; Read is a raw writer
// sending the wire form and the Conn reading. IAC0 has no IAC in the data,
// IAC1K one IAC per KiB; the last element is the size of each write and
// read.
//
// RawEOL is the same with [WithRawLineEndings], for the cost of the
// line-ending translation: without it, a byte-moving Conn scans its data
// for IAC only.
func BenchmarkPaired(b *testing.B) {
	for _, dir := range []string{"Write", "Read"} {
		for _, every := range []int{0, 1024} {
			for _, size := range []int{32 << 10, 1 << 20} {
				name := fmt.Sprintf("%s/IAC%s/%dK", dir, map[int]string{0: "0", 1024: "1K"}[every], size>>10)
				b.Run(name, func(b *testing.B) {
					cc, sc := benchLoopback(b)
					pairedRounds(b, cc, sc, sc, dir == "Read", every, size)
				})
			}
		}
		for _, size := range []int{32 << 10, 1 << 20} {
			name := fmt.Sprintf("%s/IAC0/%dK/RawEOL", dir, size>>10)
			b.Run(name, func(b *testing.B) {
				cc, sc := benchLoopback(b)
				pairedRounds(b, cc, sc, sc, dir == "Read", 0, size, WithRawLineEndings())
			})
		}
	}
}

// BenchmarkPairedTLS is BenchmarkPaired over TLS 1.3: the raw leg is the
// *tls.Conn alone, so that x-raw is the cost of the Telnet layer on top
// of TLS.
func BenchmarkPairedTLS(b *testing.B) {
	for _, dir := range []string{"Write", "Read"} {
		for _, size := range []int{32 << 10, 1 << 20} {
			b.Run(fmt.Sprintf("%s/IAC0/%dK", dir, size>>10), func(b *testing.B) {
				cc, sc := benchTLSLoopback(b)
				pairedRounds(b, cc, sc, sc, dir == "Read", 0, size)
			})
		}
	}
}

// BenchmarkPairedDaemon is BenchmarkPaired's Write for the Conn a Daemon
// serves, over the Daemon's wrapper of the accepted connection. Joined
// hides the wrapper's vectored writes, as it had none before: the Conn
// then joins its pieces into chunks.
func BenchmarkPairedDaemon(b *testing.B) {
	for _, joined := range []bool{false, true} {
		for _, every := range []int{0, 1024} {
			for _, size := range []int{32 << 10, 1 << 20} {
				name := fmt.Sprintf("IAC%s/%dK", map[int]string{0: "0", 1024: "1K"}[every], size>>10)
				if joined {
					name += "/Joined"
				}
				b.Run(name, func(b *testing.B) {
					cc, sc := benchLoopback(b)
					ctx, cancel := context.WithCancelCause(context.Background())
					b.Cleanup(func() { cancel(nil) })
					var under net.Conn = newServerConn(ctx, cancel, sc, 0, nil, slog.New(slog.DiscardHandler))
					if joined {
						under = struct{ net.Conn }{under}
					}
					pairedRounds(b, cc, sc, under, false, every, size)
				})
			}
		}
	}
}

// benchTLSLoopback returns the two ends of a loopback connection over TLS,
// handshake done.
func benchTLSLoopback(b *testing.B) (net.Conn, net.Conn) {
	cc, sc := benchLoopback(b)
	cert := testcert.New(b)
	config := cert.ClientConfig()
	config.ServerName = "localhost"
	tc, ts := tls.Client(cc, config), tls.Server(sc, cert.ServerConfig())
	done := make(chan error, 1)
	go func() { done <- ts.Handshake() }()
	if err := tc.Handshake(); err != nil {
		b.Fatal(err)
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	return tc, ts
}

// pairedRounds runs BenchmarkPaired's rounds over the two ends of a
// connection, cc the client's; the server's Conn is over under, sc or a
// wrapper of it.
func pairedRounds(b *testing.B, cc, sc, under net.Conn, read bool, every, size int, opts ...Option) {
	_, server := benchPair2(b, cc, under, opts...)
	data := pairedPayload(every, size)
	wire := negotiate.AppendEscaped(nil, data)
	rbuf := make([]byte, size)

	var ratios, rawRates, connRates []float64
	for b.Loop() {
		var raw, conn time.Duration
		if read {
			raw = transfer(b, cc, sc, data, rbuf, len(data))
			conn = transfer(b, cc, server, wire, rbuf, len(data))
		} else {
			raw = transfer(b, sc, cc, data, rbuf, len(data))
			conn = transfer(b, server, cc, data, rbuf, len(wire))
		}
		ratios = append(ratios, raw.Seconds()/conn.Seconds())
		rawRates = append(rawRates, pairedVolume/raw.Seconds()/1e6)
		connRates = append(connRates, pairedVolume/conn.Seconds()/1e6)
	}
	b.ReportMetric(median(ratios), "x-raw")
	b.ReportMetric(median(rawRates), "raw-MB/s")
	b.ReportMetric(median(connRates), "conn-MB/s")
}

// benchPair2 negotiates a client and a server Conn, with the default
// options and opts, over the two ends of a connection.
func benchPair2(b *testing.B, cc, sc net.Conn, opts ...Option) (*Conn, *Conn) {
	b.Helper()
	client, server := handshakeBoth(b, Client(cc, opts...), Server(sc, opts...))
	if !server.OptionEnabled(negotiate.Local, negotiate.Binary) || !server.OptionEnabled(negotiate.Remote, negotiate.Binary) {
		b.Fatal("BINARY not agreed both ways")
	}
	return client, server
}

// pairedPayload is size bytes of text with an IAC every `every` bytes
// (none when 0), and no end of line.
func pairedPayload(every, size int) []byte {
	p := make([]byte, 0, size)
	for len(p) < size {
		p = append(p, "The quick brown fox jumps over the lazy dog. "...)
	}
	p = p[:size]
	if every > 0 {
		for i := every - 1; i < len(p); i += every {
			p[i] = 0xff
		}
	}
	return p
}

// transfer writes pairedVolume/len(data) copies of p to w while r reads
// them, perChunk bytes a copy as r sees them, and returns how long it
// took.
func transfer(b *testing.B, w io.Writer, r io.Reader, p, rbuf []byte, perChunk int) time.Duration {
	chunks := pairedVolume / len(rbuf)
	return timeTransfer(b, func() error {
		for range chunks {
			if _, err := w.Write(p); err != nil {
				return err
			}
		}
		return nil
	}, r, chunks*perChunk, rbuf)
}

// timeTransfer runs write in a goroutine while it reads want bytes from r
// into rbuf, and returns how long that took.
func timeTransfer(b *testing.B, write func() error, r io.Reader, want int, rbuf []byte) time.Duration {
	errc := make(chan error, 1)
	start := time.Now()
	go func() { errc <- write() }()
	for got := 0; got < want; {
		n, err := r.Read(rbuf[:min(len(rbuf), want-got)])
		if err != nil {
			b.Fatal(err)
		}
		got += n
	}
	took := time.Since(start)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	return took
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkScanForIACAndCR compares the two scans Read makes of data with
// no IAC and no CR under the default line endings (bytes.IndexByte for
// IAC in the engine, then for CR in the fold) with one pass looking for
// both (bytes.IndexAny, the standard library's one-pass search).
func BenchmarkScanForIACAndCR(b *testing.B) {
	p := pairedPayload(0, 32<<10)
	b.Run("TwoIndexByte", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			if bytes.IndexByte(p, 0xff) >= 0 || bytes.IndexByte(p, '\r') >= 0 {
				b.Fatal("found")
			}
		}
	})
	b.Run("OneIndexAny", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			if bytes.IndexAny(p, "\r\xff") >= 0 {
				b.Fatal("found")
			}
		}
	})
}
