package telnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/net/nettest"
)

// handshaken returns a client and a server Conn over the two ends of a
// connection, with both handshakes done, so that neither end has protocol
// left to read.
func handshaken(t *testing.T, cc, sc net.Conn, opts ...Option) (*Conn, *Conn) {
	t.Helper()
	return handshakeBoth(t, Client(cc, opts...), Server(sc, opts...))
}

func TestConnConformance(t *testing.T) {
	// Telnet's line-ending translation is not byte-transparent (CR NUL
	// reads as LF), and nettest sends random bytes: the raw mode moves
	// them untouched, with everything else negotiated as by default.
	t.Run("TCP", func(t *testing.T) {
		nettest.TestConn(t, func() (net.Conn, net.Conn, func(), error) {
			cc, sc := loopback(t)
			client, server := handshaken(t, cc, sc, WithRawLineEndings())
			return client, server, func() { client.Close(); server.Close() }, nil
		})
	})
	// net.Pipe has no buffer at all: any write made while the other end
	// is not reading blocks, which finds every wait of Read on Write.
	t.Run("Pipe", func(t *testing.T) {
		nettest.TestConn(t, func() (net.Conn, net.Conn, func(), error) {
			cc, sc := net.Pipe()
			client, server := handshaken(t, cc, sc, WithRawLineEndings())
			return server, client, func() { client.Close(); server.Close() }, nil
		})
	})
}

// stream is a reproducible stream of random bytes, cut into writes of
// random sizes; alphabet, when set, replaces each byte by one of its own.
type stream struct {
	data  *rand.ChaCha8
	sizes *rand.PCG
	alpha []byte
}

func newStream(seed uint64, alphabet string) *stream {
	var key [32]byte
	key[0] = byte(seed)
	return &stream{data: rand.NewChaCha8(key), sizes: rand.NewPCG(seed, 1), alpha: []byte(alphabet)}
}

// next fills a buffer of a random size up to max with the next bytes.
func (s *stream) next(buf []byte) []byte {
	buf = buf[:1+rand.New(s.sizes).IntN(len(buf))]
	s.data.Read(buf)
	if len(s.alpha) > 0 {
		for i, b := range buf {
			buf[i] = s.alpha[int(b)%len(s.alpha)]
		}
	}
	return buf
}

// send writes total bytes of s to w, in writes of random sizes.
func (s *stream) send(w io.Writer, total int) error {
	buf := make([]byte, 64<<10)
	for sent := 0; sent < total; {
		p := s.next(buf[:min(len(buf), total-sent)])
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("after %d bytes: %w", sent, err)
		}
		sent += len(p)
	}
	return nil
}

// expect reads total bytes from r, in reads of random sizes, and checks
// that they are s.
func (s *stream) expect(r io.Reader, total int, readSizes uint64) error {
	sizes := rand.New(rand.NewPCG(readSizes, 2))
	want := make([]byte, 64<<10)
	got := make([]byte, 64<<10)
	var pending []byte // wanted bytes not yet matched
	for done := 0; done < total; {
		n, err := r.Read(got[:1+sizes.IntN(len(got))])
		for m := n; m > 0; {
			if len(pending) == 0 {
				pending = s.next(want[:min(len(want), total-done)])
			}
			k := min(m, len(pending))
			if !bytes.Equal(got[n-m:n-m+k], pending[:k]) {
				return fmt.Errorf("bytes %d..%d differ", done, done+k)
			}
			pending, m, done = pending[k:], m-k, done+k
		}
		if err != nil {
			return fmt.Errorf("after %d bytes: %w", done, err)
		}
	}
	return nil
}

// duplexBytes is how much each direction of the full-duplex tests moves.
func duplexBytes() int {
	if raceEnabled || testing.Short() {
		return 8 << 20
	}
	return 32 << 20
}

func TestFullDuplex(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     []Option
		alphabet string // "" for every byte value
	}{
		// Every byte, 0xFF, CR, LF and NUL included, arrives as sent.
		{"raw", []Option{WithRawLineEndings()}, ""},
		// By default, text without CR arrives as sent: "\n" goes as
		// CR LF and reads as "\n".
		{"text", nil, "abc\xff\n\x00 \t\x7f\x80\xfe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := loopback(t)
			client, server := handshaken(t, cc, sc, tc.opts...)
			total := duplexBytes()
			errs := make(chan error, 4)
			start := time.Now()
			for i, c := range []*Conn{client, server} {
				seed := uint64(i + 1)
				go func() { errs <- newStream(seed, tc.alphabet).send(c, total) }()
				peer := []*Conn{server, client}[i]
				go func() { errs <- newStream(seed, tc.alphabet).expect(peer, total, seed) }()
			}
			wait(t, errs, 4)
			t.Logf("%d MiB each way in %v", total>>20, time.Since(start).Round(time.Millisecond))
		})
	}
}

func TestEchoDaemonFullDuplex(t *testing.T) {
	total := 256 << 20
	if raceEnabled || testing.Short() {
		total = 32 << 20
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &Daemon{
		Handler: HandlerFunc(func(ctx context.Context, c *Conn) error {
			_, err := io.Copy(c, c)
			return err
		}),
		Options: []Option{WithRawLineEndings()},
	}
	go d.Serve(l)
	t.Cleanup(func() { d.Close() })
	c, err := Dial("tcp", l.Addr().String(), WithRawLineEndings())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	errs := make(chan error, 2)
	go func() { errs <- newStream(7, "").send(c, total) }()
	go func() { errs <- newStream(7, "").expect(c, total, 7) }()
	wait(t, errs, 2)
}

// wait waits for n results from errs, failing on the first error, or
// when the transfer stalls.
func wait(t *testing.T, errs <-chan error, n int) {
	t.Helper()
	timeout := time.After(2 * time.Minute)
	for range n {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-timeout:
			t.Fatal("transfer stalled")
		}
	}
}

// flood is what a hostile server sends: a request for the terminal type,
// repeated without end, while it reads nothing.
func flood(t *testing.T, raw net.Conn) {
	t.Helper()
	burst := bytes.Repeat([]byte("\xff\xfa\x18\x01\xff\xf0"), 10000)
	go func() {
		if _, err := raw.Write([]byte("\xff\xfd\x18")); err != nil { // DO TTYPE
			return
		}
		for range 100 { // a million requests
			if _, err := raw.Write(burst); err != nil {
				return
			}
		}
	}()
}

// readFlooded reads c, whose peer floods it with requests and reads
// nothing, until Read fails, and returns the error. Read must fail by the
// deadline wait sets, and the replies queued must stay within the bound.
func readFlooded(t *testing.T, c *Conn, wait time.Duration) error {
	t.Helper()
	start := time.Now()
	c.SetReadDeadline(start.Add(wait))
	var err error
	for err == nil {
		_, err = c.Read(make([]byte, 32<<10))
	}
	if took := time.Since(start); took > wait+time.Second {
		t.Errorf("Read returned after %v, deadline %v", took, wait)
	}
	c.mu.Lock()
	queued := c.eng.OutputLen()
	c.mu.Unlock()
	// What one read of 32 KiB of requests asks for may come on top.
	if limit := maxQueuedReplies + 128<<10; queued > limit {
		t.Errorf("%d bytes of replies queued, bound %d", queued, limit)
	}
	return err
}

func TestPeerFloodsAndNeverReads(t *testing.T) {
	cc, sc := loopback(t)
	c := Client(cc)
	// A Write stuck on the peer that reads nothing holds the write side.
	stuck := make(chan error, 1)
	go func() {
		_, err := c.Write(make([]byte, 64<<20))
		stuck <- err
	}()
	flood(t, sc)

	if err := readFlooded(t, c, 2*time.Second); !errors.Is(err, ErrUnreadReplies) && !isDeadline(err) {
		t.Errorf("Read = %v, want ErrUnreadReplies or a timeout", err)
	}
	c.Close()
	select {
	case <-stuck:
	case <-time.After(5 * time.Second):
		t.Error("Write still blocked after Close")
	}
}

func TestReadDeadlineWhileWriteBlocked(t *testing.T) {
	cc, sc := loopback(t)
	c := Client(cc)
	go c.Write(make([]byte, 64<<20)) // never read: the write side stays busy
	// The peer asks something, then goes quiet: the reply must wait
	// behind the Write, and Read must not.
	if _, err := sc.Write([]byte("\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.SetReadDeadline(start.Add(300 * time.Millisecond))
	_, err := c.Read(make([]byte, 1024))
	if !isDeadline(err) {
		t.Errorf("Read = %v, want a timeout", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Read returned after %v", took)
	}
	c.Close()
}

func TestWriteResumesAfterTimeout(t *testing.T) {
	// A write deadline that cuts a Write inside IAC IAC, CR LF or CR NUL
	// leaves the stream well-formed: the rest of p written after it
	// arrives exactly.
	for _, tc := range []struct {
		name string
		opts []Option
		data string
	}{
		{"iac", []Option{WithRawLineEndings()}, "\xff"},
		// One IAC a KiB: written as a vector of pieces of p.
		{"sparse", []Option{WithRawLineEndings()}, strings.Repeat("x", 1023) + "\xff"},
		{"sparse-text", nil, strings.Repeat("x", 1023) + "\n"},
		{"text", nil, "\xff\nab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := loopback(t)
			client, server := handshaken(t, cc, sc, tc.opts...)
			p := bytes.Repeat([]byte(tc.data), (8<<20)/len(tc.data))
			client.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			n, err := client.Write(p) // the server reads nothing yet
			if !isDeadline(err) || n == len(p) {
				t.Fatalf("Write = %d, %v; want a timeout", n, err)
			}
			client.SetWriteDeadline(time.Time{})
			done := make(chan error, 1)
			go func() {
				_, err := client.Write(p[n:])
				done <- err
			}()
			got := make([]byte, len(p))
			if _, err := io.ReadFull(server, got); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if i := firstDifference(got, p); i >= 0 {
				t.Fatalf("cut after %d of %d bytes: data differs at %d", n, len(p), i)
			}
		})
	}
}

// firstDifference returns the first index where a and b differ, or -1.
func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func TestBadConfigurationFailsLoudly(t *testing.T) {
	bad := WithEncoding("no-such-encoding")
	cc, _ := loopback(t)
	c := Server(cc, bad)
	if err := c.Handshake(t.Context()); err == nil {
		t.Error("Handshake succeeded")
	}
	if _, err := c.Read(make([]byte, 10)); err == nil {
		t.Error("Read succeeded")
	}
	if _, err := c.Write([]byte("hello")); err == nil {
		t.Error("Write succeeded")
	}
	if _, err := Client(cc, bad).Write([]byte("hello")); err == nil {
		t.Error("client Write succeeded")
	}

	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	if _, err := NewListener(inner, bad).Accept(); err == nil {
		t.Error("NewListener's Accept succeeded")
	}
	d := &Daemon{Handler: HandlerFunc(func(context.Context, *Conn) error { return nil }), Options: []Option{bad}}
	served := make(chan error, 1)
	go func() { served <- d.Serve(inner) }()
	select {
	case err := <-served:
		if err == nil || errors.Is(err, ErrServerClosed) {
			t.Errorf("Daemon.Serve = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Daemon.Serve accepted with a bad option")
		d.Close()
	}
}

func TestNoAllocationsPerReadAndWrite(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	cc, sc := loopback(t)
	_, server := handshaken(t, cc, sc)
	go io.Copy(io.Discard, cc)
	for _, every := range []int{0, 1024} {
		p := pairedPayload(every, 32<<10)
		if n := testing.AllocsPerRun(100, func() { server.Write(p) }); n != 0 {
			t.Errorf("Write with an IAC every %d bytes: %v allocations", every, n)
		}
	}
	wire := negotiate.AppendEscaped(nil, pairedPayload(1024, 32<<10))
	go func() {
		for {
			if _, err := cc.Write(wire); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	if n := testing.AllocsPerRun(100, func() { server.Read(buf) }); n != 0 {
		t.Errorf("Read: %v allocations", n)
	}
}
