package charset

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestLookupNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"utf8", "UTF-8"}, {"UTF-8", "UTF-8"}, {"utf_8", "UTF-8"}, {"U8", "UTF-8"},
		{"latin1", "ISO-8859-1"}, {"latin-1", "ISO-8859-1"}, {"iso-8859-1", "ISO-8859-1"}, {"ISO_8859-1:1987", "ISO-8859-1"},
		{"iso8859-1", "ISO-8859-1"}, {"l1", "ISO-8859-1"},
		{"iso-8859-2", "ISO-8859-2"}, {"iso8859-2", "ISO-8859-2"}, {"ISO8859_2", "ISO-8859-2"}, {"iso-8859-02", "ISO-8859-2"},
		{"latin2", "ISO-8859-2"}, {"iso-8859-15", "ISO-8859-15"}, {"latin9", "ISO-8859-15"}, {"iso-8859-10", "ISO-8859-10"},
		{"cp437", "IBM437"}, {"CP437", "IBM437"}, {"ibm437", "IBM437"}, {"437", "IBM437"}, {"cp-437", "IBM437"},
		{"cp850", "IBM850"}, {"cp037", "IBM037"}, {"ibm-037", "IBM037"}, {"cp858", "IBM00858"},
		{"cp1252", "windows-1252"}, {"windows-1252", "windows-1252"}, {"x-cp1252", "windows-1252"}, {"cp-1250", "windows-1250"},
		{"cp1251", "windows-1251"},
		{"big5", "Big5"}, {"BIG5", "Big5"}, {"cp950", "Big5"},
		{"shift_jis", "Shift_JIS"}, {"shift-jis", "Shift_JIS"}, {"sjis", "Shift_JIS"}, {"cp932", "Shift_JIS"}, {"ms_kanji", "Shift_JIS"},
		{"euc-kr", "EUC-KR"}, {"cp949", "EUC-KR"}, {"euc-jp", "EUC-JP"}, {"iso-2022-jp", "ISO-2022-JP"},
		{"gbk", "GBK"}, {"gb2312", "GBK"}, {"cp936", "GBK"}, {"gb18030", "GB18030"}, {"hz-gb-2312", "HZ-GB-2312"},
		{"koi8-r", "KOI8-R"}, {"koi8r", "KOI8-R"}, {"koi8-u", "KOI8-U"},
		{"ascii", "US-ASCII"}, {"us-ascii", "US-ASCII"}, {"US-ASCII", "US-ASCII"}, {"ANSI_X3.4-1968", "US-ASCII"}, {"csASCII", "US-ASCII"},
		{"utf-16", "UTF-16"}, {"utf-16le", "UTF-16LE"}, {"utf-32", "UTF-32"}, {"utf32be", "UTF-32BE"},
		{"macintosh", "macintosh"}, {"x-mac-cyrillic", "x-mac-cyrillic"}, {"x-user-defined", "x-user-defined"},
		{"petscii", "petscii"}, {"PETSCII", "petscii"}, {"cbm", "petscii"}, {"commodore", "petscii"}, {"c64", "petscii"}, {"c128", "petscii"},
		{"atascii", "atascii"}, {"atari8bit", "atascii"}, {"atari_8bit", "atascii"},
		{"atarist", "atarist"}, {"atari", "atarist"},
		{"big5bbs", "big5bbs"}, {"big5_bbs", "big5bbs"}, {"big5-pcman", "big5bbs"}, {"big5_pcmanx", "big5bbs"}, {"big5_ptt", "big5bbs"},
		{"  UTF-8  ", "UTF-8"},
	}
	for _, tt := range tests {
		enc, name, err := Lookup(tt.name)
		if err != nil || name != tt.want || enc == nil {
			t.Errorf("Lookup(%q) = %v, %q, %v; want %q", tt.name, enc, name, err, tt.want)
		}
	}
}

func TestLookupReturnsXTextValues(t *testing.T) {
	for name, want := range map[string]any{
		"cp437": charmap.CodePage437, "latin1": charmap.ISO8859_1, "utf8": unicode.UTF8,
		"sjis": japanese.ShiftJIS, "gbk": simplifiedchinese.GBK, "big5": traditionalchinese.Big5,
		"petscii": PETSCII(), "atascii": ATASCII(), "atarist": AtariST(), "big5bbs": Big5BBS(),
	} {
		if enc, _, _ := Lookup(name); enc != want {
			t.Errorf("Lookup(%q) = %v, want %v", name, enc, want)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, name := range []string{"", "   ", "klingon", "utf-9", "iso-8859-99", "cp99999"} {
		_, _, err := Lookup(name)
		if !errors.Is(err, ErrUnknownEncoding) {
			t.Errorf("Lookup(%q) error = %v, want ErrUnknownEncoding", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "charset.Names") {
			t.Errorf("Lookup(%q) error %q does not say how to list the names", name, err)
		}
	}
}

func TestNamesLookUpToThemselves(t *testing.T) {
	names := Names()
	if len(names) < 60 {
		t.Fatalf("Names() has %d names, want every x/text encoding and the retro ones", len(names))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("Names() lists %q twice", n)
		}
		seen[n] = true
		if _, got, err := Lookup(n); err != nil || got != n {
			t.Errorf("Lookup(%q) = %q, %v", n, got, err)
		}
	}
	for _, n := range []string{"UTF-8", "US-ASCII", "IBM437", "Shift_JIS", "petscii", "atascii", "atarist", "big5bbs", "GB18030", "UTF-32"} {
		if !seen[n] {
			t.Errorf("Names() lacks %q", n)
		}
	}
	names[0] = "changed"
	if Names()[0] == "changed" {
		t.Error("Names() returns a shared slice")
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ISO-8859-02": "iso88592", "iso_8859-2": "iso88592", "iso8859.2": "iso88592", "ISO 8859 2": "iso88592",
		"cp-1250": "cp1250", "IBM037": "ibm037", "ibm-037": "ibm037", "IBM00858": "ibm00858",
		"iso-8859-10": "iso885910", "iso-8859-010": "iso885910", "utf-8": "utf8", "UTF_08": "utf08", "8859-0": "88590",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestForceBinaryAndRetro(t *testing.T) {
	tests := []struct {
		name          string
		binary, retro bool
	}{
		{"ascii", false, false}, {"us-ascii", false, false}, {"utf8", true, false}, {"latin1", true, false},
		{"cp437", true, false}, {"big5bbs", true, false}, {"petscii", true, true}, {"c64", true, true},
		{"atascii", true, true}, {"atari_8bit", true, true}, {"atarist", true, true}, {"atari", true, true},
		{"klingon", false, false},
	}
	for _, tt := range tests {
		if got := ForceBinary(tt.name); got != tt.binary {
			t.Errorf("ForceBinary(%q) = %v, want %v", tt.name, got, tt.binary)
		}
		if got := Retro(tt.name); got != tt.retro {
			t.Errorf("Retro(%q) = %v, want %v", tt.name, got, tt.retro)
		}
	}
}
