package telnet

import (
	"bytes"
	stdflate "compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto/tls"
	"errors"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/internal/testcert"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/net/nettest"
)

// recorder keeps a copy of every byte read through it.
type recorder struct {
	net.Conn
	got bytes.Buffer
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.got.Write(p[:n])
	return n, err
}

func TestCompressionBothWays(t *testing.T) {
	cc, sc := loopback(t)
	rec := &recorder{Conn: cc}
	client, server := handshakeBoth(t, Client(rec, WithCompression()), Server(sc, WithCompression()))
	for _, c := range []*Conn{client, server} {
		if !c.OptionEnabled(negotiate.Local, negotiate.MCCP2) && !c.OptionEnabled(negotiate.Remote, negotiate.MCCP2) {
			t.Fatal("MCCP2 not agreed")
		}
	}
	text := strings.Repeat("The goblin hits you.\r\nHP: 12/40 \xff\r\n", 500)
	want := strings.ReplaceAll(text, "\r\n", "\n")
	for _, dir := range []struct {
		name string
		w, r *Conn
	}{{"MCCP2", server, client}, {"MCCP3", client, server}} {
		errc := make(chan error, 1)
		go func() { _, err := dir.w.Write([]byte(text)); errc <- err }()
		got := make([]byte, len(want))
		dir.r.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(dir.r, got); err != nil {
			t.Fatalf("%s: %v", dir.name, err)
		}
		if err := <-errc; err != nil {
			t.Fatalf("%s: write: %v", dir.name, err)
		}
		if string(got) != want {
			t.Fatalf("%s: data differs at %d", dir.name, firstDifference(got, []byte(want)))
		}
	}
	// The server's SB MCCP2 is followed by a zlib stream, much shorter
	// than the text.
	wire := rec.got.Bytes()
	i := bytes.Index(wire, []byte("\xff\xfa\x56\xff\xf0"))
	if i < 0 || !bytes.HasPrefix(wire[i+5:], zlibHeader[:]) {
		t.Fatalf("no SB MCCP2 and zlib header in what the client read: % x", wire[:min(len(wire), 64)])
	}
	if len(wire) > len(text)/10 {
		t.Errorf("the client read %d bytes for %d of text", len(wire), len(text))
	}
}

func TestCompressionConformance(t *testing.T) {
	// Both directions compressed: a Conn under MCCP is still a net.Conn.
	nettest.TestConn(t, func() (net.Conn, net.Conn, func(), error) {
		cc, sc := loopback(t)
		client, server := handshaken(t, cc, sc, WithRawLineEndings(), WithCompression())
		return client, server, func() { client.Close(); server.Close() }, nil
	})
}

// mccpServerStream is what a server sends to turn MCCP2 on and compress
// text, then end the stream and go on plain.
func mccpServerStream(t testing.TB, text, after string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\xff\xfb\x56\xff\xfa\x56\xff\xf0")
	zw := zlib.NewWriter(&b)
	zw.Write([]byte(text))
	zw.Flush()
	zw.Close()
	b.WriteString(after)
	return b.Bytes()
}

// readAllData reads from c until it has n bytes of data.
func readAllData(t *testing.T, c *Conn, n int) []byte {
	t.Helper()
	got := make([]byte, 0, n)
	buf := make([]byte, 7) // small, so that output waits in the stream
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for len(got) < n {
		k, err := c.Read(buf)
		got = append(got, buf[:k]...)
		if err != nil {
			t.Fatalf("read after %q: %v", got, err)
		}
	}
	return got
}

// drain reads and drops everything from c until it is closed.
func drain(c net.Conn) { io.Copy(io.Discard, c) }

func TestCompressionSplitInvariance(t *testing.T) {
	// The SB that starts the stream, the stream and its end, split at
	// every byte across two reads: the client reads the same data.
	stream := mccpServerStream(t, "ab\xff\xffc\r\nzz", "after\r\n")
	want := "ab\xffc\nzzafter\n"
	for split := 1; split < len(stream); split++ {
		cc, sc := net.Pipe()
		client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
		go drain(sc)
		go func() {
			sc.Write(stream[:split])
			sc.Write(stream[split:])
		}()
		if got := readAllData(t, client, len(want)); string(got) != want {
			t.Errorf("split at %d: got %q, want %q", split, got, want)
		}
		client.Close()
		sc.Close()
	}
	// And a byte at a time.
	cc, sc := net.Pipe()
	client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
	defer client.Close()
	go drain(sc)
	go func() {
		for i := range stream {
			sc.Write(stream[i : i+1])
		}
	}()
	if got := readAllData(t, client, len(want)); string(got) != want {
		t.Errorf("a byte at a time: got %q, want %q", got, want)
	}
}

func TestCompressionGzipAndRawDeflate(t *testing.T) {
	// Some servers send gzip or raw deflate after SB MCCP2: both are
	// read, and plain Telnet after their end.
	var gz, raw bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte("gzip\r\n"))
	gw.Close()
	fw, _ := stdflate.NewWriter(&raw, stdflate.DefaultCompression)
	fw.Write([]byte("raw\r\n"))
	fw.Close()
	for _, tc := range []struct {
		name, stream, want string
	}{
		{"gzip", gz.String(), "gzip\nafter\n"},
		{"raw", raw.String(), "raw\nafter\n"},
	} {
		cc, sc := net.Pipe()
		client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
		go drain(sc)
		go sc.Write([]byte("\xff\xfb\x56\xff\xfa\x56\xff\xf0" + tc.stream + "after\r\n"))
		if got := readAllData(t, client, len(tc.want)); string(got) != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
		client.Close()
		sc.Close()
	}
}

func TestCompressionReadDeadlineInsideStream(t *testing.T) {
	// A read deadline that passes in the middle of a compressed block
	// leaves the stream intact: the next Read goes on with it.
	stream := mccpServerStream(t, strings.Repeat("hello world ", 100), "")
	cut := len(stream) - 20
	cc, sc := net.Pipe()
	client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
	defer client.Close()
	go drain(sc)
	go sc.Write(stream[:cut])
	want := strings.Repeat("hello world ", 100)
	var got []byte
	buf := make([]byte, 4096)
	for {
		client.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := client.Read(buf)
		got = append(got, buf[:n]...)
		if isDeadline(err) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	go sc.Write(stream[cut:])
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	for len(got) < len(want) {
		n, err := client.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("after the deadline: %v", err)
		}
	}
	if string(got) != want {
		t.Errorf("got %q", got)
	}
}

func TestCompressionCorruptStream(t *testing.T) {
	for _, tc := range []struct{ name, stream string }{
		{"header", "\x00\x01garbage"},
		{"block", "\x78\x9c\xff\xff\xff\xff\xff\xff"},
		{"checksum", func() string {
			s := mccpServerStream(t, "hi", "")
			s[len(s)-1] ^= 1
			return string(s[8:])
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := net.Pipe()
			client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
			defer client.Close()
			go drain(sc)
			go sc.Write([]byte("\xff\xfb\x56\xff\xfa\x56\xff\xf0" + tc.stream))
			client.SetReadDeadline(time.Now().Add(5 * time.Second))
			buf := make([]byte, 64)
			var err error
			for err == nil {
				_, err = client.Read(buf)
			}
			if !errors.Is(err, ErrBadCompression) {
				t.Fatalf("Read: %v, want ErrBadCompression", err)
			}
			if _, err2 := client.Read(buf); !errors.Is(err2, ErrBadCompression) {
				t.Errorf("the next Read: %v", err2)
			}
		})
	}
}

func TestCompressionBombIsBounded(t *testing.T) {
	// 64 MiB of compressed zeros is about 64 KiB on the wire: reading it
	// holds no more than the caller's buffer and the decompressor.
	const size = 64 << 20
	var b bytes.Buffer
	b.WriteString("\xff\xfb\x56\xff\xfa\x56\xff\xf0")
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	zero := make([]byte, 1<<20)
	for range size / len(zero) {
		zw.Write(zero)
	}
	zw.Close()
	cc, sc := net.Pipe()
	client := Client(cc, WithCompression(), WithNegotiationTimeout(0), WithRawLineEndings())
	defer client.Close()
	go drain(sc)
	go sc.Write(b.Bytes())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	buf := make([]byte, 32<<10)
	total := 0
	client.SetReadDeadline(time.Now().Add(30 * time.Second))
	for total < size {
		n, err := client.Read(buf)
		total += n
		if err != nil {
			t.Fatalf("after %d bytes: %v", total, err)
		}
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("reading %d MiB allocated %d MiB", size>>20, grew>>20)
	}
}

func TestCompressionEndsOnDont(t *testing.T) {
	// A client that sends DONT MCCP2 gets the end of the zlib stream, and
	// plain Telnet after it.
	raw, server := rawServer(t, WithCompression(), WithNegotiationTimeout(0))
	defer server.Close()
	server.Handshake(t.Context())
	raw.Write([]byte("\xff\xfd\x56")) // DO MCCP2
	server.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	server.Read(make([]byte, 1))
	server.Write([]byte("one\n"))
	raw.Write([]byte("\xff\xfe\x56")) // DONT MCCP2
	server.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	server.Read(make([]byte, 1))
	server.Write([]byte("two\n"))

	raw.SetReadDeadline(time.Now().Add(2 * time.Second))
	var got bytes.Buffer
	buf := make([]byte, 4096)
	for !bytes.Contains(got.Bytes(), []byte("two\r\n")) {
		n, err := raw.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("%v; got % x", err, got.Bytes())
		}
	}
	wire := got.Bytes()
	i := bytes.Index(wire, []byte("\xff\xfa\x56\xff\xf0"))
	if i < 0 {
		t.Fatalf("no SB MCCP2 in % x", wire)
	}
	zr := bytes.NewReader(wire[i+5:])
	r, err := zlib.NewReader(zr)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("the stream does not end well: %v", err)
	}
	if !bytes.Contains(plain, []byte("one\r\n")) || !bytes.HasSuffix(plain, []byte("\xff\xfc\x56")) {
		t.Errorf("compressed: %q, want one line and WONT MCCP2 last", plain)
	}
	if rest, _ := io.ReadAll(zr); string(rest) != "two\r\n" {
		t.Errorf("after the stream: %q, want two plain", rest)
	}
}

func TestCompressionEndsOnDisable(t *testing.T) {
	// The server ends compression itself: the client reads on, through
	// the end of the stream, and the lines after it come plain.
	cc, sc := loopback(t)
	rec := &recorder{Conn: cc}
	client, server := handshakeBoth(t, Client(rec, WithCompression()), Server(sc, WithCompression()))
	errc := make(chan error, 1)
	go func() {
		_, err := server.Write([]byte("compressed\n"))
		if err == nil {
			err = server.DisableOption(negotiate.Local, negotiate.MCCP2)
		}
		if err == nil {
			_, err = server.Write([]byte("plain\n"))
		}
		errc <- err
	}()
	want := "compressed\nplain\n"
	if got := readAllData(t, client, len(want)); string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(rec.got.Bytes(), []byte("plain\r\n")) {
		t.Errorf("the last line is not plain on the wire: % x", rec.got.Bytes())
	}
}

func TestCompressionNeverOverTLS(t *testing.T) {
	cert := testcert.New(t)
	cc, sc := loopback(t)
	tsc := tls.Server(sc, cert.ServerConfig())
	ccfg := cert.ClientConfig()
	ccfg.ServerName = "localhost"
	tcc := tls.Client(cc, ccfg)
	client, server := handshakeBoth(t, Client(tcc, WithCompression()), Server(tsc, WithCompression()))
	for _, opt := range []negotiate.Option{negotiate.MCCP2, negotiate.MCCP3} {
		if server.OptionEnabled(negotiate.Local, opt) || client.OptionEnabled(negotiate.Remote, opt) {
			t.Errorf("%v agreed over TLS", opt)
		}
	}
}

func TestAdler32Update(t *testing.T) {
	p := make([]byte, 100_000)
	for i := range p {
		p[i] = byte(rand.N(256))
	}
	sum := uint32(1)
	for _, k := range []int{0, 1, 5551, 5552, 5553, 40000, len(p)} {
		sum = 1
		sum = adler32Update(sum, p[:k/2])
		sum = adler32Update(sum, p[k/2:k])
		if want := adler32.Checksum(p[:k]); sum != want {
			t.Errorf("%d bytes: %08x, want %08x", k, sum, want)
		}
	}
}

func TestCompressionCloseEndsDecompression(t *testing.T) {
	// Close ends the goroutine that decompresses, whether a Read is
	// blocked in the stream or not.
	for _, blocked := range []bool{false, true} {
		before := runtime.NumGoroutine()
		cc, sc := net.Pipe()
		client := Client(cc, WithCompression(), WithNegotiationTimeout(0))
		go drain(sc)
		stream := mccpServerStream(t, "hello", "")
		go sc.Write(stream[:len(stream)-6]) // the stream, not its end
		got := readAllData(t, client, len("hello"))
		if string(got) != "hello" {
			t.Fatalf("got %q", got)
		}
		if blocked {
			errc := make(chan error, 1)
			go func() { _, err := client.Read(make([]byte, 8)); errc <- err }()
			time.Sleep(20 * time.Millisecond)
			client.Close()
			if err := <-errc; err == nil {
				t.Error("Read returned no error after Close")
			}
		} else {
			client.Close()
		}
		sc.Close()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Fatalf("blocked=%v: %d goroutines, %d before:\n%s", blocked, runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
