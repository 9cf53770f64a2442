package charset

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

func TestDecodePolicies(t *testing.T) {
	tests := []struct {
		enc     string
		in      string
		replace string
		ignore  string
	}{
		{"utf-8", "a\xffb\xe2\x82c", "a\xffb\xe2\x82c", "abc"}, // Replace passes UTF-8 through
		{"utf-8", "ok \u20ac \U0001F600", "ok \u20ac \U0001F600", "ok \u20ac \U0001F600"},
		{"us-ascii", "a\x80b", "a\uFFFDb", "ab"},
		{"windows-874", "a\xdbb", "a\uFFFDb", "ab"},
		{"shift_jis", "\x82\xa0x\x82", "\u3042x\uFFFD", "\u3042x"},
		{"shift_jis", "\x82\xa0\xb1\xa0", "\u3042\uFF71\uFFFD", "\u3042\uFF71"},
		{"euc-kr", "\xb0\xa1\xff", "\uAC00\uFFFD", "\uAC00"},
		{"gb18030", "\x84\x31\xa4\x37\x81", "\uFFFD\uFFFD", "\uFFFD"},
	}
	for _, tt := range tests {
		enc := mustLookup(t, tt.enc)
		for _, c := range []struct {
			pol  Errors
			want string
		}{{Replace, tt.replace}, {Ignore, tt.ignore}, {Strict, tt.ignore}} {
			for _, pieces := range [][][]byte{one([]byte(tt.in)), bytewise([]byte(tt.in))} {
				got, errs := decodeAll(t, enc, c.pol, pieces)
				if string(got) != c.want {
					t.Errorf("%s %v %q (%d pieces) = %q, want %q", tt.enc, c.pol, tt.in, len(pieces), got, c.want)
				}
				invalid := tt.replace != tt.ignore || tt.enc == "gb18030"
				if c.pol == Replace && tt.enc == "utf-8" {
					continue // unvalidated: the policy has nothing to report
				}
				if (c.pol == Strict) != (errs > 0) && invalid {
					t.Errorf("%s %v %q: %d errors", tt.enc, c.pol, tt.in, errs)
				}
			}
		}
	}
}

func TestStrictErrorIsAndPosition(t *testing.T) {
	d := NewDecoder(nil, Strict)
	dst := make([]byte, 32)
	nDst, nSrc, err := d.Decode(dst, []byte("ab\xffcd"))
	if !errors.Is(err, ErrInvalid) || string(dst[:nDst]) != "ab" || nSrc != 3 {
		t.Fatalf("Decode = %q, %d, %v; want \"ab\", 3, ErrInvalid", dst[:nDst], nSrc, err)
	}
	nDst, nSrc, err = d.Decode(dst, []byte("cd"))
	if err != nil || string(dst[:nDst]) != "cd" || nSrc != 2 {
		t.Fatalf("after the error Decode = %q, %d, %v", dst[:nDst], nSrc, err)
	}
	// A partial character at the end of the input is an error at Flush.
	d.Decode(dst, []byte{0xE2, 0x82})
	if n, err := d.Flush(dst); n != 0 || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Flush = %d, %v", n, err)
	}
}

func TestEncodePolicies(t *testing.T) {
	tests := []struct {
		enc, in             string
		replace, ignore     string
		invalidUTF8Replaced bool
	}{
		{"cp437", "a€░b", "a?\xb0b", "a\xb0b", true},
		{"cp037", "A€", "\xc1\x6f", "\xc1", true},
		{"latin1", "é\xff", "\xe9?", "\xe9", true},
		{"shift_jis", "あ€x", "\x82\xa0?x", "\x82\xa0x", true},
		{"petscii", "Hi€", "\xc8I?", "\xc8I", true},
		{"big5bbs", "中€░", "\xa4\xa4?\xb0", "\xa4\xa4\xb0", true},
	}
	for _, tt := range tests {
		enc := mustLookup(t, tt.enc)
		for _, c := range []struct {
			pol  Errors
			want string
		}{{Replace, tt.replace}, {Ignore, tt.ignore}, {Strict, tt.ignore}} {
			for _, pieces := range [][][]byte{one([]byte(tt.in)), bytewise([]byte(tt.in))} {
				got, errs := encodeAll(t, enc, c.pol, pieces)
				if string(got) != c.want {
					t.Errorf("%s %v %q (%d pieces) = %q, want %q", tt.enc, c.pol, tt.in, len(pieces), got, c.want)
				}
				if (c.pol == Strict) != (errs > 0) {
					t.Errorf("%s %v %q: %d errors", tt.enc, c.pol, tt.in, errs)
				}
			}
		}
	}
	e := NewEncoder(charmap.CodePage437, Strict)
	dst := make([]byte, 16)
	nDst, nSrc, err := e.Encode(dst, []byte("a€b"))
	if !errors.Is(err, ErrUnencodable) || string(dst[:nDst]) != "a" || nSrc != 4 {
		t.Fatalf("Encode = %q, %d, %v; want \"a\", 4, ErrUnencodable", dst[:nDst], nSrc, err)
	}
	if _, _, err := e.Encode(dst, []byte{'a', 0xff}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Encode of invalid UTF-8 = %v, want ErrInvalid", err)
	}
}

func TestUTF8Passthrough(t *testing.T) {
	e := NewEncoder(nil, Strict)
	if !e.Passthrough() {
		t.Fatal("UTF-8 encoder is not a passthrough")
	}
	in := []byte("bytes as they are \xff\xfe")
	got, errs := encodeAll(t, mustLookup(t, "utf8"), Strict, bytewise(in))
	if !bytes.Equal(got, in) || errs != 0 {
		t.Fatalf("encode = %q, %d errors", got, errs)
	}

	d := NewDecoder(nil, Replace)
	p := []byte("héllo \xe2\x82")
	n, ok := d.DecodeInPlace(p)
	if !ok || n != len(p)-2 || d.Buffered() != 2 || d.Passthrough() {
		t.Fatalf("DecodeInPlace = %d, %v; buffered %d", n, ok, d.Buffered())
	}
	if _, ok := d.DecodeInPlace([]byte("x")); ok {
		t.Fatal("DecodeInPlace with a held partial character succeeded")
	}
	dst := make([]byte, 16)
	nDst, _, err := d.Decode(dst, []byte("\xac!"))
	if err != nil || string(dst[:nDst]) != "€!" {
		t.Fatalf("Decode after DecodeInPlace = %q, %v", dst[:nDst], err)
	}
	if n, ok := d.DecodeInPlace([]byte("a\xffb")); !ok || n != 3 {
		t.Fatal("DecodeInPlace under Replace did not pass invalid UTF-8 through")
	}
	if _, ok := NewDecoder(nil, Strict).DecodeInPlace([]byte("a\xffb")); ok {
		t.Fatal("DecodeInPlace under Strict accepted invalid UTF-8")
	}
	if _, ok := NewDecoder(charmap.CodePage437, Replace).DecodeInPlace([]byte("a")); ok {
		t.Fatal("DecodeInPlace worked for CP437")
	}
}

// TestSwitchAtByte decodes a stream whose encoding changes at a known
// offset, as a CHARSET ACCEPTED in the middle of a read makes it.
func TestSwitchAtByte(t *testing.T) {
	stream := []byte("caf\xe9 | caf\xc3\xa9")
	at := bytes.IndexByte(stream, '|') + 2
	d := NewDecoder(charmap.ISO8859_1, Replace)
	dst := make([]byte, 64)
	n1, _, _ := d.Decode(dst, stream[:at])
	d.SetEncoding(nil)
	n2, _, _ := d.Decode(dst[n1:], stream[at:])
	if got := string(dst[:n1+n2]); got != "café | café" {
		t.Fatalf("got %q", got)
	}
	if d.Name() != "UTF-8" {
		t.Fatalf("Name = %q", d.Name())
	}

	// A partial character before the switch is flushed as invalid.
	d = NewDecoder(nil, Ignore)
	n, _, _ := d.Decode(dst, []byte{'x', 0xE2})
	m, _ := d.Flush(dst[n:])
	d.SetEncoding(charmap.CodePage437)
	k, _, _ := d.Decode(dst[n+m:], []byte{0xB0})
	if got := string(dst[:n+m+k]); got != "x░" {
		t.Fatalf("got %q", got)
	}

	e := NewEncoder(mustLookup(t, "iso-2022-jp"), Replace)
	n, _, _ = e.Encode(dst, []byte("あ"))
	m, _ = e.Flush(dst[n:])
	if got := string(dst[:n+m]); got != "\x1b$B$\"\x1b(B" {
		t.Fatalf("ISO-2022-JP encode+flush = %q", got)
	}
}

func TestShortDst(t *testing.T) {
	in := []byte("░▒▓ box \xff drawing ┌─┐")
	enc := mustLookup(t, "cp437")
	encoded, _ := encodeAll(t, enc, Replace, one(in))
	want, _ := decodeAll(t, enc, Replace, one(encoded))
	for size := 4; size < 12; size++ {
		d := NewDecoder(enc, Replace)
		got, _ := feed(t, d.Decode, d.Flush, one(encoded), size)
		if !bytes.Equal(got, want) {
			t.Fatalf("dst %d: %q, want %q", size, got, want)
		}
	}
	if _, _, err := NewDecoder(enc, Replace).Decode(make([]byte, 2), []byte{0xB0}); err != transform.ErrShortDst {
		t.Fatalf("Decode into 2 bytes = %v, want ErrShortDst", err)
	}
}

// TestTransformer uses a Decoder and an Encoder through x/text's reader.
func TestTransformer(t *testing.T) {
	in := "日本語 text"
	out, _, err := transform.Bytes(NewEncoder(mustLookup(t, "sjis"), Strict), []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := transform.Bytes(NewDecoder(mustLookup(t, "sjis"), Strict), out)
	if err != nil || string(back) != in {
		t.Fatalf("round trip = %q, %v", back, err)
	}
}

// TestCharmapsMatchXText checks the tables built for x/text's single-byte
// encodings against x/text's own transformers, both ways.
func TestCharmapsMatchXText(t *testing.T) {
	for _, cm := range charmap.All {
		name := canonicalName(cm)
		d := NewDecoder(cm, Replace)
		e := NewEncoder(cm, Strict)
		xd := cm.NewDecoder()
		for b := 0; b < 256; b++ {
			want, err := xd.Bytes([]byte{byte(b)})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := decodeAll(t, cm, Replace, one([]byte{byte(b)}))
			if !bytes.Equal(got, want) {
				t.Errorf("%s: byte %#x decodes to %q, x/text %q", name, b, got, want)
			}
			if string(want) == replacement {
				continue
			}
			xe, xerr := cm.NewEncoder().Bytes(want)
			dst := make([]byte, 8)
			n, _, err := e.Encode(dst, want)
			if (err == nil) != (xerr == nil) || err == nil && !bytes.Equal(dst[:n], xe) {
				t.Errorf("%s: %q encodes to %q (%v), x/text %q (%v)", name, want, dst[:n], err, xe, xerr)
			}
		}
		_ = d
	}
}

// TestMultiByteSplitAtEveryByte decodes text in every multi-byte encoding
// split in two at every offset, and byte by byte, and wants what the
// whole decodes to.
func TestMultiByteSplitAtEveryByte(t *testing.T) {
	texts := map[string]string{
		"UTF-8":       "aé€😀中",
		"UTF-16":      "aé€😀中",
		"UTF-16BE":    "aé€😀中",
		"UTF-16LE":    "aé€😀中",
		"UTF-32":      "aé€😀中",
		"UTF-32BE":    "aé€😀中",
		"UTF-32LE":    "aé€😀中",
		"Shift_JIS":   "aあ漢ｱ",
		"EUC-JP":      "aあ漢ｱ",
		"ISO-2022-JP": "aあ漢b",
		"EUC-KR":      "a가각",
		"GBK":         "a中文",
		"GB18030":     "a中文😀",
		"HZ-GB-2312":  "a中文b",
		"Big5":        "a中文",
		"big5bbs":     "a中文░",
	}
	for name, text := range texts {
		enc := mustLookup(t, name)
		encoded, errs := encodeAll(t, enc, Strict, one([]byte(text)))
		if errs != 0 {
			t.Fatalf("%s: cannot encode %q", name, text)
		}
		for _, pol := range []Errors{Replace, Ignore, Strict} {
			want, _ := decodeAll(t, enc, pol, one(encoded))
			if string(want) != text {
				t.Errorf("%s %v: %q decodes to %q", name, pol, text, want)
			}
			for i := 0; i <= len(encoded); i++ {
				got, _ := decodeAll(t, enc, pol, [][]byte{encoded[:i], encoded[i:]})
				if !bytes.Equal(got, want) {
					t.Errorf("%s %v split at %d: %q, want %q", name, pol, i, got, want)
				}
			}
			if got, _ := decodeAll(t, enc, pol, bytewise(encoded)); !bytes.Equal(got, want) {
				t.Errorf("%s %v byte by byte: %q, want %q", name, pol, got, want)
			}
			// Encoding split at every byte of the UTF-8 input too.
			for i := 0; i <= len(text); i++ {
				got, _ := encodeAll(t, enc, pol, [][]byte{[]byte(text[:i]), []byte(text[i:])})
				if !bytes.Equal(got, encoded) {
					t.Errorf("%s %v: encode split at %d: %q, want %q", name, pol, i, got, encoded)
				}
			}
		}
	}
}

func TestZeroAllocations(t *testing.T) {
	utf := bytes.Repeat([]byte("héllo, wörld ┌─┐ "), 64)
	for _, name := range []string{"utf-8", "cp437", "latin1", "shift_jis", "big5bbs", "petscii", "atascii"} {
		enc := mustLookup(t, name)
		d := NewDecoder(enc, Replace)
		e := NewEncoder(enc, Replace)
		src, _ := encodeAll(t, enc, Replace, one(utf))
		dst := make([]byte, 4*len(utf))
		if n := testing.AllocsPerRun(20, func() { d.Decode(dst, src) }); n != 0 {
			t.Errorf("%s: Decode allocates %v times", name, n)
		}
		if n := testing.AllocsPerRun(20, func() { e.Encode(dst, utf) }); n != 0 {
			t.Errorf("%s: Encode allocates %v times", name, n)
		}
	}
	d := NewDecoder(nil, Strict)
	dst := make([]byte, 16)
	bad := []byte{'a', 0xff}
	if n := testing.AllocsPerRun(20, func() { d.Decode(dst, bad) }); n != 0 {
		t.Errorf("a Strict error allocates %v times", n)
	}
}

func TestErrorsPolicyNames(t *testing.T) {
	for _, pol := range []Errors{Replace, Ignore, Strict} {
		got, err := ParseErrors(pol.String())
		if err != nil || got != pol {
			t.Errorf("ParseErrors(%q) = %v, %v", pol.String(), got, err)
		}
	}
	if got, err := ParseErrors("STRICT"); err != nil || got != Strict {
		t.Errorf("ParseErrors(STRICT) = %v, %v", got, err)
	}
	if _, err := ParseErrors("loose"); err == nil {
		t.Error("ParseErrors(loose) succeeded")
	}
	if !utf8.ValidString(Errors(9).String()) {
		t.Error("bad String")
	}
}

func TestUTF8ShortDstKeepsCharactersWhole(t *testing.T) {
	d := NewDecoder(nil, Replace)
	dst := make([]byte, 4)
	nDst, nSrc, err := d.Decode(dst, []byte("ab€cd"))
	if err != transform.ErrShortDst || string(dst[:nDst]) != "ab" || nSrc != 2 {
		t.Fatalf("Decode = %q, %d, %v", dst[:nDst], nSrc, err)
	}
}
