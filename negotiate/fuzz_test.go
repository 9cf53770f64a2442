package negotiate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// readSession reads a capture in the format of testdata/sessions: bytes
// 0x20-0x7e as themselves, others as %XX, newlines ignored.
func readSession(tb testing.TB, path string) []byte {
	tb.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n':
		case c == '%' && i+2 < len(text):
			v, err := strconv.ParseUint(string(text[i+1:i+3]), 16, 8)
			if err != nil {
				tb.Fatalf("%s: bad escape at %d: %v", path, i, err)
			}
			out = append(out, byte(v))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// sessions returns the captured session streams by file name.
func sessions(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, err := filepath.Glob("testdata/sessions/*.[cs]2[cs]")
	if err != nil {
		tb.Fatal(err)
	}
	m := make(map[string][]byte, len(paths))
	for _, p := range paths {
		m[filepath.Base(p)] = readSession(tb, p)
	}
	return m
}

// FuzzEngine checks that no input panics the engine, that its replies and
// data never outgrow the input, and that any split of the input into calls
// gives the same data, events and replies as one call.
func FuzzEngine(f *testing.F) {
	for _, tt := range parserTests {
		f.Add([]byte(tt.in), []byte{1, 2, 3})
	}
	for _, s := range sessions(f) {
		f.Add(s, []byte{7, 1, 200, 3})
	}
	f.Fuzz(func(t *testing.T, in, splits []byte) {
		want := feed(New(testPolicy()), in)
		if len(want.data) > len(in) {
			t.Fatalf("%d data bytes from %d input bytes", len(want.data), len(in))
		}
		// Each negotiation message is answered at most once with a
		// message of the same size.
		if len(want.out) > len(in) {
			t.Fatalf("%d bytes of replies to %d input bytes", len(want.out), len(in))
		}
		var chunks [][]byte
		rest := in
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(splits) > 0 {
				n = min(max(int(splits[i%len(splits)]), 1), n)
			}
			chunks = append(chunks, rest[:n])
			rest = rest[n:]
		}
		got := feed(New(testPolicy()), chunks...)
		if !equalResults(got, want) {
			t.Fatalf("split %v: got\n%v\nwant\n%v", splits, got, want)
		}
	})
}

func TestSessionsSurvive(t *testing.T) {
	ss := sessions(t)
	if len(ss) == 0 {
		t.Fatal("no captured sessions in testdata/sessions")
	}
	for name, s := range ss {
		r := feed(New(testPolicy()), s)
		if bytes.Contains(r.data, []byte{iac, byte(SB)}) {
			t.Errorf("%s: protocol leaked into data: %q", name, r.data)
		}
	}
}
