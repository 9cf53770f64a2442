package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/telnetkit/telnet/charset"
)

func TestLookupCodec(t *testing.T) {
	tests := []struct{ in, want string }{
		{"utf8", "UTF-8"}, {"ascii", "US-ASCII"}, {"latin1", "ISO-8859-1"}, {"cp437", "IBM437"},
		{"klingon", ""}, {"", ""},
	}
	for _, tt := range tests {
		c, err := lookupCodec(tt.in, charset.Replace)
		switch {
		case tt.want == "" && (err == nil || !errors.Is(err, charset.ErrUnknownEncoding)):
			t.Errorf("lookupCodec(%q) = %v, %v; want an unknown encoding", tt.in, c, err)
		case tt.want != "" && (err != nil || c.name != tt.want):
			t.Errorf("lookupCodec(%q) = %v, %v; want %q", tt.in, c, err, tt.want)
		}
	}
	if c, _ := lookupCodec("petscii", charset.Replace); !c.retro() {
		t.Error("petscii is not retro")
	}
	if c, _ := lookupCodec("cp437", charset.Replace); c.retro() {
		t.Error("cp437 is retro")
	}
}

// codecTest is a conversion: the input, in pieces, and what it gives.
type codecTest struct {
	enc     string
	policy  charset.Errors
	in      []string // successive pieces
	want    string
	wantErr error
}

// runCodecTests runs each test through a new converter made by newConv.
func runCodecTests(t *testing.T, what string, tests []codecTest, newConv func(*codec) func([]byte) ([]byte, error)) {
	t.Helper()
	for _, tt := range tests {
		c, err := lookupCodec(tt.enc, tt.policy)
		if err != nil {
			t.Fatal(err)
		}
		conv := newConv(c)
		var got []byte
		for _, in := range tt.in {
			var out []byte
			out, err = conv([]byte(in))
			got = append(got, out...)
			if err != nil {
				break
			}
		}
		if string(got) != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("%s/%v %s(%q) = %q, %v; want %q, %v", tt.enc, tt.policy, what, tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDecoder(t *testing.T) {
	runCodecTests(t, "decode", []codecTest{
		// A CP437 BBS: box drawing and blocks become UTF-8, escape
		// sequences stay escape sequences.
		{"cp437", charset.Strict, []string{"\x1b[1;34m\xc9\xcd\xbb\xb0\xb1\xb2\xdb\x1b[0m\r\n"}, "\x1b[1;34m╔═╗░▒▓█\x1b[0m\r\n", nil},
		{"latin1", charset.Strict, []string{"caf\xe9"}, "café", nil},
		{"utf8", charset.Strict, []string{"d\xc3", "\xa9j\xc3\xa0"}, "déjà", nil}, // split character
		{"utf8", charset.Replace, []string{"a\xffb"}, "a\xffb", nil},              // shown as it came
		{"utf8", charset.Strict, []string{"a\xffb"}, "a", charset.ErrInvalid},
		{"ascii", charset.Ignore, []string{"a\xe9b"}, "ab", nil},
		{"ascii", charset.Strict, []string{"a\xe9b"}, "a", charset.ErrInvalid},
	}, func(c *codec) func([]byte) ([]byte, error) { return c.newDecoder().decode })
}

// Valid UTF-8 is shown from the buffer it was read into, with no copy.
func TestDecoderInPlace(t *testing.T) {
	c, _ := lookupCodec("utf-8", charset.Replace)
	p := []byte("héllo")
	out, err := c.newDecoder().decode(p)
	if err != nil || &out[0] != &p[0] || string(out) != "héllo" {
		t.Errorf("decode = %q, %v; want p itself", out, err)
	}
}

func TestEncoder(t *testing.T) {
	runCodecTests(t, "encode", []codecTest{
		{"utf8", charset.Strict, []string{"日本\xff"}, "日本\xff", nil}, // untouched
		{"latin1", charset.Strict, []string{"caf\xc3", "\xa9!"}, "caf\xe9!", nil},
		{"latin1", charset.Replace, []string{"a€b"}, "a?b", nil},
		{"latin1", charset.Ignore, []string{"a€b"}, "ab", nil},
		{"latin1", charset.Strict, []string{"a€b"}, "a", charset.ErrUnencodable},
		{"cp437", charset.Strict, []string{"╔═╗"}, "\xc9\xcd\xbb", nil},
	}, func(c *codec) func([]byte) ([]byte, error) { return c.newEncoder().encode })
}

// A large read that triples in size is decoded whole.
func TestDecoderGrows(t *testing.T) {
	c, _ := lookupCodec("cp437", charset.Strict)
	d := c.newDecoder()
	for _, n := range []int{1, 100, 40000} {
		out, err := d.decode([]byte(strings.Repeat("\xdb", n)))
		if err != nil || string(out) != strings.Repeat("█", n) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(out), err)
		}
	}
}
