package charset

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// decodeByte returns what byte b alone decodes to.
func decodeByte(t *testing.T, enc encoding.Encoding, b byte) string {
	t.Helper()
	out, _ := decodeAll(t, enc, Replace, one([]byte{b}))
	return string(out)
}

// TestRetroTables checks entries of the public tables the codecs follow.
func TestRetroTables(t *testing.T) {
	tests := []struct {
		enc  encoding.Encoding
		b    byte
		want rune
	}{
		// PETSCII, C64 shifted set.
		{PETSCII(), 0x41, 'a'}, {PETSCII(), 0x5A, 'z'}, {PETSCII(), 0xC1, 'A'}, {PETSCII(), 0xDA, 'Z'},
		{PETSCII(), 0x61, 'A'}, {PETSCII(), 0x5C, '£'}, {PETSCII(), 0x5E, '↑'}, {PETSCII(), 0x5F, '←'},
		{PETSCII(), 0x0D, '\r'}, {PETSCII(), 0x8D, '\r'}, {PETSCII(), 0x93, 0x93}, {PETSCII(), 0x05, 0x05},
		{PETSCII(), 0xA0, 0xA0}, {PETSCII(), 0xA6, '▒'}, {PETSCII(), 0xB0, '┌'}, {PETSCII(), 0xBA, '✓'},
		{PETSCII(), 0xC0, '─'}, {PETSCII(), 0xDB, '┼'}, {PETSCII(), 0xDC, 0x1FB8C}, {PETSCII(), 0xB7, 0x1FB82},
		{PETSCII(), 0xE0, 0xA0}, {PETSCII(), 0xFE, '▘'}, {PETSCII(), 0xFF, '▒'},
		// ATASCII.
		{ATASCII(), 0x00, '♥'}, {ATASCII(), 0x0D, 0x1FB82}, {ATASCII(), 0x1B, '␛'}, {ATASCII(), 0x1C, '↑'},
		{ATASCII(), 0x41, 'A'}, {ATASCII(), 0x61, 'a'}, {ATASCII(), 0x60, '♦'}, {ATASCII(), 0x7B, '♠'},
		{ATASCII(), 0x7C, '|'}, {ATASCII(), 0x7D, '↰'}, {ATASCII(), 0x7F, '▶'}, {ATASCII(), 0x9B, '\n'},
		{ATASCII(), 0x80, '♥'}, {ATASCII(), 0x82, '▊'}, {ATASCII(), 0xA0, '█'}, {ATASCII(), 0xC1, 'A'},
		{ATASCII(), 0x8E, 0x1FB85}, {ATASCII(), 0xFF, '▶'},
		// Atari ST, ATARIST.TXT.
		{AtariST(), 0x41, 'A'}, {AtariST(), 0x80, 'Ç'}, {AtariST(), 0x9E, 'ß'}, {AtariST(), 0x9F, 'ƒ'},
		{AtariST(), 0xA9, '⌐'}, {AtariST(), 0xB0, 'ã'}, {AtariST(), 0xC0, 'ĳ'}, {AtariST(), 0xC2, 'א'},
		{AtariST(), 0xDD, '§'}, {AtariST(), 0xE1, 'β'}, {AtariST(), 0xF0, '≡'}, {AtariST(), 0xFF, '¯'},
	}
	for _, tt := range tests {
		if got := decodeByte(t, tt.enc, tt.b); got != string(tt.want) {
			t.Errorf("%v: %#02x decodes to %q, want %q", tt.enc, tt.b, got, tt.want)
		}
	}
}

// TestRetroRoundTrips encodes what every byte decodes to and wants a byte
// that decodes to the same character: the byte itself, unless it repeats
// another byte's glyph.
func TestRetroRoundTrips(t *testing.T) {
	canonical := map[encoding.Encoding]func(b int) bool{
		PETSCII(): func(b int) bool { return b < 0x60 || b >= 0xA0 && b <= 0xDF && b != 0xDE }, // 0xDE is ▒ again
		ATASCII(): func(b int) bool { return b < 0x80 || b == 0x9B },
		AtariST(): func(int) bool { return true },
	}
	for enc, isCanonical := range canonical {
		for b := 0; b < 256; b++ {
			s := decodeByte(t, enc, byte(b))
			if s == replacement {
				t.Errorf("%v: %#02x undefined", enc, b)
				continue
			}
			got, errs := encodeAll(t, enc, Strict, one([]byte(s)))
			if errs != 0 || len(got) != 1 {
				t.Errorf("%v: %q (byte %#02x) encodes to %q, %d errors", enc, s, b, got, errs)
				continue
			}
			if decodeByte(t, enc, got[0]) != s {
				t.Errorf("%v: %q encodes to %#02x, which decodes to %q", enc, s, got[0], decodeByte(t, enc, got[0]))
			}
			if isCanonical(b) && got[0] != byte(b) {
				t.Errorf("%v: %q encodes to %#02x, want %#02x", enc, s, got[0], b)
			}
		}
	}
}

func TestATASCIILineEnds(t *testing.T) {
	tests := []struct {
		pieces []string
		want   string
	}{
		{[]string{"a\r\nb"}, "a\x9bb"},
		{[]string{"a\rb"}, "a\x9bb"},
		{[]string{"a\nb"}, "a\x9bb"},
		{[]string{"a\r", "\nb"}, "a\x9bb"},
		{[]string{"a\r\r\n\n"}, "a\x9b\x9b\x9b"},
		{[]string{"\r"}, "\x9b"},
	}
	for _, tt := range tests {
		var pieces [][]byte
		for _, p := range tt.pieces {
			pieces = append(pieces, []byte(p))
		}
		got, _ := encodeAll(t, ATASCII(), Strict, pieces)
		if string(got) != tt.want {
			t.Errorf("%q encodes to %q, want %q", tt.pieces, got, tt.want)
		}
	}
	if got, _ := decodeAll(t, ATASCII(), Strict, one([]byte("a\x9bb"))); string(got) != "a\nb" {
		t.Errorf("0x9B decodes to %q", got)
	}
	e := NewEncoder(ATASCII(), Strict)
	dst := make([]byte, 4)
	e.Encode(dst, []byte("\r"))
	e.Reset()
	if n, _, _ := e.Encode(dst, []byte("\n")); n != 1 || dst[0] != 0x9B {
		t.Errorf("after Reset, LF encodes to %q", dst[:n])
	}
}

func TestBig5BBS(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"\xa4\xa4\xa4\xe5", "中文"},
		{"\xa4\xa4\xb0", "中░"},              // a lead byte at the end is art
		{"\xb0\x1b[1m", "░\x1b[1m"},         // a lead byte before ESC is art
		{"\xf9\xf9\xf9\xf9", "∙∙∙∙"},        // ETEN pairs are not Big5 here
		{"\xfe\xfe", "■■"},                  // lead bytes past 0xF9 never pair
		{"a\x80\xa0\xff", "a\u0080\u00a0ÿ"}, // below 0xA1, and 0xFF: ISO-8859-1
		{"\xc8\x40", "╚@"},                  // 0xC87E..: outside Big5's ranges
	}
	for _, tt := range tests {
		for _, pieces := range [][][]byte{one([]byte(tt.in)), bytewise([]byte(tt.in))} {
			got, errs := decodeAll(t, Big5BBS(), Strict, pieces)
			if string(got) != tt.want || errs != 0 {
				t.Errorf("%q (%d pieces) decodes to %q, %d errors; want %q", tt.in, len(pieces), got, errs, tt.want)
			}
		}
	}

	// A lead byte at the end of one read waits for the next.
	d := NewDecoder(Big5BBS(), Replace)
	dst := make([]byte, 16)
	if n, nSrc, err := d.Decode(dst, []byte{0xA4}); n != 0 || nSrc != 1 || err != nil || d.Buffered() != 1 {
		t.Fatalf("lone lead: %d, %d, %v, buffered %d", n, nSrc, err, d.Buffered())
	}
	if n, _, _ := d.Decode(dst, []byte{0xA4}); string(dst[:n]) != "中" {
		t.Fatalf("completed pair decodes to %q", dst[:n])
	}

	// Encoding: ISO-8859-1 below 0xA1, Big5, then CP437 art.
	for in, want := range map[string]string{"a中": "a\xa4\xa4", "░▒": "\xb0\xb1", "\u00a0": "\xa0", "ÿ": "\xff"} {
		if got, errs := encodeAll(t, Big5BBS(), Strict, one([]byte(in))); string(got) != want || errs != 0 {
			t.Errorf("%q encodes to %q, %d errors; want %q", in, got, errs, want)
		}
	}
}

// TestBig5BBSRoundTrips checks every Big5 pair and every lone lead byte.
func TestBig5BBSRoundTrips(t *testing.T) {
	tab := big5Table()
	pairs := 0
	for lead := big5LeadMin; lead <= big5LeadMax; lead++ {
		for i := 0; i < big5Trails; i++ {
			r := tab.decode[(lead-big5LeadMin)*big5Trails+i]
			if r == 0 {
				continue
			}
			pairs++
			in := []byte{byte(lead), byte(trailByte(i))}
			got, _ := decodeAll(t, Big5BBS(), Strict, one(in))
			if string(got) != string(r) {
				t.Fatalf("% x decodes to %q, want %q", in, got, r)
			}
			back, errs := encodeAll(t, Big5BBS(), Strict, one(got))
			if errs != 0 {
				t.Fatalf("%q does not encode", got)
			}
			if again, _ := decodeAll(t, Big5BBS(), Strict, one(back)); !bytes.Equal(again, got) {
				t.Fatalf("%q encodes to % x, which decodes to %q", got, back, again)
			}
		}
	}
	if pairs < 13000 {
		t.Fatalf("only %d Big5 pairs", pairs)
	}
	for b := 0xA1; b <= 0xFE; b++ {
		got, _ := decodeAll(t, Big5BBS(), Strict, one([]byte{byte(b)}))
		if want := string(charmap.CodePage437.DecodeByte(byte(b))); string(got) != want {
			t.Errorf("lone %#02x decodes to %q, want CP437 %q", b, got, want)
		}
		back, _ := encodeAll(t, Big5BBS(), Strict, one(got))
		if again, _ := decodeAll(t, Big5BBS(), Strict, one(back)); !bytes.Equal(again, got) || !utf8.Valid(again) {
			t.Errorf("%q encodes to % x, which decodes to %q", got, back, again)
		}
	}
}

// TestRetroAsXTextEncodings uses the retro encodings through the
// encoding.Encoding interface, as x/text users would.
func TestRetroAsXTextEncodings(t *testing.T) {
	for _, enc := range []encoding.Encoding{PETSCII(), ATASCII(), AtariST(), Big5BBS()} {
		out, err := enc.NewEncoder().String("Hello")
		if err != nil {
			t.Fatalf("%v: %v", enc, err)
		}
		back, err := enc.NewDecoder().String(out)
		if err != nil || back != "Hello" {
			t.Errorf("%v: Hello round trips to %q, %v", enc, back, err)
		}
		if _, err := enc.NewEncoder().String("💉"); err == nil {
			t.Errorf("%v: encoding 💉 succeeded", enc)
		}
		if got, _ := encoding.ReplaceUnsupported(enc.NewEncoder()).String("a💉"); got[len(got)-1] != 0x1a {
			t.Errorf("%v: ReplaceUnsupported gives %q", enc, got)
		}
	}
}
