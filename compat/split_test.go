package compat_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"testing"

	"github.com/telnetkit/telnet/compat"
)

// parsed is everything a client makes of a stream: the data, the last
// subnegotiation data, what the callback saw, and what it sent back.
type parsed struct {
	data, sb, sent []byte
	calls          []string
}

// parse reads the stream, cut into chunks, to its end, with the default
// refusals or with a callback that logs every call (and the SB data at
// SE) and agrees to every DO.
func parse(t *testing.T, chunks [][]byte, callback bool) parsed {
	t.Helper()
	conn := newMemConn(chunks...)
	tn := compat.NewTelnet(conn, 0)
	var p parsed
	if callback {
		tn.SetOptionNegotiationCallback(func(c net.Conn, cmd, opt byte) {
			p.calls = append(p.calls, fmt.Sprint(cmd, opt))
			switch cmd {
			case compat.SE:
				p.calls = append(p.calls, fmt.Sprintf("%q", tn.ReadSBData()))
			case compat.DO:
				c.Write([]byte{compat.IAC, compat.WILL, opt})
			}
		})
	}
	data, err := tn.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p.data, p.sb, p.sent = data, tn.ReadSBData(), conn.Written()
	return p
}

// protocolNoise returns n bytes dense in the bytes the parser treats
// specially, so that every state meets every byte.
func protocolNoise(r *rand.Rand, n int) []byte {
	alphabet := []byte{'a', 'b', 0, 0x11, compat.IAC, compat.IAC, compat.IAC, compat.SB, compat.SE,
		compat.DO, compat.DONT, compat.WILL, compat.WONT, compat.NOP, compat.TTYPE}
	p := make([]byte, n)
	for i := range p {
		if r.IntN(8) == 0 {
			p[i] = byte(r.IntN(256))
		} else {
			p[i] = alphabet[r.IntN(len(alphabet))]
		}
	}
	return p
}

// randomCuts cuts p into chunks of random sizes, one byte often.
func randomCuts(r *rand.Rand, p []byte) [][]byte {
	var chunks [][]byte
	for len(p) > 0 {
		n := min(len(p), 1+r.IntN(1+r.IntN(16)))
		chunks = append(chunks, p[:n:n])
		p = p[n:]
	}
	return chunks
}

// checkSplits checks that the stream parses the same whole, byte by
// byte, and cut at random.
func checkSplits(t *testing.T, stream []byte, r *rand.Rand) {
	t.Helper()
	for _, callback := range []bool{false, true} {
		whole := parse(t, [][]byte{bytes.Clone(stream)}, callback)
		var bytewise [][]byte
		for i := range stream {
			bytewise = append(bytewise, []byte{stream[i]})
		}
		for _, chunks := range [][][]byte{bytewise, randomCuts(r, bytes.Clone(stream))} {
			got := parse(t, chunks, callback)
			if !bytes.Equal(got.data, whole.data) || !bytes.Equal(got.sb, whole.sb) ||
				!bytes.Equal(got.sent, whole.sent) || !slices.Equal(got.calls, whole.calls) {
				t.Fatalf("stream %q (callback %v) parses differently in %d chunks:\n got  %+v\n want %+v",
					stream, callback, len(chunks), got, whole)
			}
		}
	}
}

func TestSplitInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		checkSplits(t, protocolNoise(r, r.IntN(200)), r)
	}
}

// TestParseWhole checks one stream with every construct against what
// CPython's process_rawq makes of it, but for the SB data: CPython gives
// "pq", keeping the data of an SB cut short by another SB in the same
// read, which compat does not (see the package documentation).
func TestParseWhole(t *testing.T) {
	stream := []byte("a\x00b\x11c\xff\xffd\xff\xfd\x18\xff\xfb\x01\xff\xf1e" +
		"\xff\xfa\x18\x01\x00\x11\xff\xff\xff\xfe\x05x\xff\xf0f\xff\xf0g\xff\xfa\x00p\xff\xfaq")
	got := parse(t, [][]byte{stream}, false)
	want := parsed{data: []byte("abc\xffdefg"), sb: []byte("q"), sent: []byte("\xff\xfc\x18\xff\xfe\x01\xff\xfc\x05")}
	if !bytes.Equal(got.data, want.data) || !bytes.Equal(got.sb, want.sb) || !bytes.Equal(got.sent, want.sent) {
		t.Errorf("default: got %+v, want %+v", got, want)
	}
	got = parse(t, [][]byte{stream}, true)
	wantCalls := []string{"253 24", "251 1", "241 0", "250 0", "254 5", "240 0", `"\x18\x01\xffx"`,
		"240 0", `""`, "250 0", "250 0"}
	if !slices.Equal(got.calls, wantCalls) || !bytes.Equal(got.sent, []byte("\xff\xfb\x18")) {
		t.Errorf("callback: calls %q, sent %q", got.calls, got.sent)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add([]byte("\xff\xfa\x18\x01\xff\xf0"), uint64(1))
	f.Add([]byte("a\xff\xff\x00\x11\xff\xfd\x01\xff"), uint64(2))
	f.Add([]byte("\xff\xfa\x01a\xff\xfa\x02b\xff\xf0!"), uint64(3))
	f.Fuzz(func(t *testing.T, stream []byte, seed uint64) {
		if len(stream) > 4096 {
			return
		}
		checkSplits(t, stream, rand.New(rand.NewPCG(seed, seed)))
	})
}
