package charset

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/telnetkit/telnet/negotiate"
)

func TestOffers(t *testing.T) {
	lib := []string{"UTF-8", "UTF-16", "LATIN1", "CP1252", "ISO-8859-15", "CP437", "SHIFT_JIS", "CP932",
		"BIG5", "CP950", "GBK", "GB2312", "CP936", "EUC-KR", "CP949", "US-ASCII"}
	if got := Offers(""); !slices.Equal(got, lib) {
		t.Fatalf("Offers(\"\") = %q", got)
	}
	if got := Offers("utf8"); !slices.Equal(got, lib) {
		t.Fatalf("Offers(utf8) = %q", got)
	}
	if got := Offers("ibm437"); got[0] != "CP437" || len(got) != len(lib) {
		t.Fatalf("Offers(ibm437) = %q", got)
	}
	if got := Offers("koi8-r"); got[0] != "koi8-r" || len(got) != len(lib)+1 {
		t.Fatalf("Offers(koi8-r) = %q", got)
	}
	if got := Offers("klingon"); !slices.Equal(got, lib) {
		t.Fatalf("Offers(klingon) = %q", got)
	}
	for _, name := range lib {
		if !Known(name) {
			t.Errorf("offered %q is not known", name)
		}
	}
	// The exact REQUEST telnetlib3 sends.
	req, err := negotiate.AppendCharsetRequest(nil, ' ', Offers(""))
	if err != nil {
		t.Fatal(err)
	}
	want := "\x01 UTF-8 UTF-16 LATIN1 CP1252 ISO-8859-15 CP437 SHIFT_JIS CP932 BIG5 CP950 GBK GB2312 CP936 EUC-KR CP949 US-ASCII"
	if string(req) != want {
		t.Fatalf("REQUEST = %q", req)
	}
}

func TestChoose(t *testing.T) {
	offered := []string{"UTF-8", "ISO-8859-02", "CP-1250", "big5", "x-klingon"}
	tests := []struct {
		configured string
		offered    []string
		want       string
		ok         bool
	}{
		{"utf8", offered, "UTF-8", true},
		{"UTF-8", offered, "UTF-8", true},
		{"iso8859-2", offered, "ISO-8859-02", true},
		{"latin2", offered, "ISO-8859-02", true},
		{"cp1250", offered, "CP-1250", true},
		{"windows-1250", offered, "CP-1250", true},
		{"cp950", offered, "big5", true},
		{"koi8-r", offered, "", false},
		{"klingon", offered, "", false},
		{"", offered, "UTF-8", true},
		{"latin1", offered, "UTF-8", true},
		{"latin1", []string{"x-klingon", "KOI8-R"}, "KOI8-R", true},
		{"", []string{"x-klingon"}, "", false},
		{"utf8", []string{"utf 8"}, "utf 8", true},
		{"petscii", []string{"UTF-8", "C64"}, "C64", true},
	}
	for _, tt := range tests {
		got, ok := Choose(tt.configured, tt.offered)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Choose(%q, %q) = %q, %v; want %q, %v", tt.configured, tt.offered, got, ok, tt.want, tt.ok)
		}
	}
}

// TestChooserAnswers runs the client's side of the exchange on the wire
// codec: what a client configured with an encoding answers a REQUEST.
func TestChooserAnswers(t *testing.T) {
	tests := []struct {
		configured string
		request    string
		reply      string
	}{
		{"utf-8", "\x01 UTF-8 UTF-16 LATIN1", "\x02UTF-8"},
		{"cp437", "\x01;UTF-8;CP437", "\x02CP437"},
		{"ibm437", "\x01 UTF-8 cp437", "\x02cp437"},
		{"koi8-r", "\x01 UTF-8 CP437", "\x03"},
		{"big5bbs", "\x01[TTABLE]\x01 UTF-8 BIG5-PCMAN", "\x02BIG5-PCMAN"},
	}
	for _, tt := range tests {
		m, err := negotiate.ParseCharset([]byte(tt.request))
		if err != nil {
			t.Fatal(err)
		}
		reply, ok := negotiate.AppendCharsetReply(nil, m, Chooser(tt.configured))
		if !ok || !bytes.Equal(reply, []byte(tt.reply)) {
			t.Errorf("%s answers %q with %q, want %q", tt.configured, tt.request, reply, tt.reply)
		}
	}
}

func TestLangCharset(t *testing.T) {
	tests := []struct {
		lang, want string
		ok         bool
	}{
		{"en_US.UTF-8", "UTF-8", true},
		{"en_US.utf8", "UTF-8", true},
		{"de_DE.ISO-8859-15@euro", "ISO-8859-15", true},
		{"ru_RU.KOI8-R", "KOI8-R", true},
		{"ja_JP.eucJP", "EUC-JP", true},
		{"zh_TW.Big5", "Big5", true},
		{"en_US.ISO8859-1", "ISO-8859-1", true},
		{"C", "", false},
		{"en_US", "", false},
		{"en_US.", "", false},
		{"en_US.klingon", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := LangCharset(tt.lang)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LangCharset(%q) = %q, %v; want %q, %v", tt.lang, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLangWithCharset(t *testing.T) {
	for _, tt := range []struct{ lang, name, want string }{
		{"fr_FR.UTF-8", "utf-8", "fr_FR.UTF-8"},
		{"C.UTF-8", "cp437", "C.IBM437"},
		{"en_US.utf8", "latin1", "en_US.ISO-8859-1"},
		{"ja_JP.eucJP@cjknative", "utf8", "ja_JP.UTF-8@cjknative"},
		{"fr_FR.ISO-8859-1@euro", "UTF-8", "fr_FR.UTF-8@euro"},
		{"C", "cp437", "C"},
		{"en_US", "koi8-r", "en_US"},
		{"", "cp437", ""},
		{"en_US.UTF-8", "klingon", "en_US.UTF-8"},
	} {
		got := LangWithCharset(tt.lang, tt.name)
		if got != tt.want {
			t.Errorf("LangWithCharset(%q, %q) = %q, want %q", tt.lang, tt.name, got, tt.want)
		}
		if cs, ok := LangCharset(got); strings.Contains(tt.lang, ".") && Known(tt.name) && !ok {
			t.Errorf("LangCharset(%q) = %q, %v", got, cs, ok)
		}
	}
}
