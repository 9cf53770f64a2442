package charset

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
)

// checkStream decodes (or encodes) data whole, in two pieces split at
// split, and byte by byte, under pol: every call must make progress
// (feed checks that), and every way must give the same output, and
// errors or none. (Strict reports bad bytes met in one Flush once, so the
// count of errors may differ.)
func checkStream(t *testing.T, all func(testing.TB, encoding.Encoding, Errors, [][]byte) ([]byte, int), enc encoding.Encoding, pol Errors, data []byte, split uint) {
	t.Helper()
	want, wantErrs := all(t, enc, pol, one(data))
	k := int(split % uint(len(data)+1))
	if got, errs := all(t, enc, pol, [][]byte{data[:k], data[k:]}); !bytes.Equal(got, want) || (errs > 0) != (wantErrs > 0) {
		t.Fatalf("%v %v split at %d: %q (%d errors), whole %q (%d errors)", enc, pol, k, got, errs, want, wantErrs)
	}
	if len(data) <= 512 {
		if got, errs := all(t, enc, pol, bytewise(data)); !bytes.Equal(got, want) || (errs > 0) != (wantErrs > 0) {
			t.Fatalf("%v %v byte by byte: %q (%d errors), whole %q (%d errors)", enc, pol, got, errs, want, wantErrs)
		}
	}
}

func fuzzDecoders(f *testing.F, names []string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s), uint8(0), uint(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8, split uint) {
		enc := mustLookup(t, names[int(which)%len(names)])
		pol := Errors(which / 64 % 3)
		checkStream(t, decodeAll, enc, pol, data, split)
		// Ignore and Strict never make U+FFFD of UTF-8; the output is
		// valid UTF-8, except where Replace passes UTF-8 through.
		out, _ := decodeAll(t, enc, pol, one(data))
		if pol != Replace && bytes.Contains(out, []byte(replacement)) && names[0] == "utf-8" && !bytes.Contains(data, []byte(replacement)) {
			t.Fatalf("%v %v decoded %q to %q, with U+FFFD", enc, pol, data, out)
		}
		if (pol != Replace || names[0] != "utf-8") && !utf8.Valid(out) {
			t.Fatalf("%v decoded %q to invalid UTF-8 %q", enc, data, out)
		}
	})
}

func FuzzDecodeUTF8(f *testing.F) {
	fuzzDecoders(f, []string{"utf-8"}, "héllo", "a\xffb\xe2\x82", "\xf0\x9f\x98\x80\xed\xa0\x80")
}

func FuzzDecodeSingleByte(f *testing.F) {
	fuzzDecoders(f, []string{"cp437", "us-ascii", "windows-874", "cp037", "koi8-r", "latin1", "petscii", "atascii", "atarist", "x-user-defined"},
		"\xb0\xb1\xb2 box", "a\x80\xff", "\x9b\x0d\x0a")
}

func FuzzDecodeBig5BBS(f *testing.F) {
	fuzzDecoders(f, []string{"big5bbs"}, "\xa4\xa4\xb0\x1b[m", "\xf9\xf9\xf9", "\xa4")
}

func FuzzDecodeMultiByte(f *testing.F) {
	fuzzDecoders(f, []string{"shift_jis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "gb18030", "hz-gb-2312", "big5", "utf-16", "utf-16le", "utf-32", "utf-32be"},
		"\x82\xa0x\x82", "\x1b$B$\"\x1b(B", "\x84\x31\xa4\x37\x81", "~{<:~}", "\xfe\xff\x00a\xd8\x3d")
}

func FuzzEncode(f *testing.F) {
	names := []string{"utf-8", "cp437", "petscii", "atascii", "atarist", "big5bbs", "shift_jis", "iso-2022-jp", "gb18030", "utf-16", "us-ascii", "cp037"}
	for _, s := range []string{"héllo", "中文░", "a\r\nb\r", "あ€x\xff", "😀"} {
		f.Add([]byte(s), uint8(0), uint(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8, split uint) {
		enc := mustLookup(t, names[int(which)%len(names)])
		checkStream(t, encodeAll, enc, Errors(which/64%3), data, split)
	})
}
