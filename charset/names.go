package charset

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// An entry is one known encoding.
type entry struct {
	name  string            // canonical: the IANA MIME name where there is one
	enc   encoding.Encoding // what Lookup returns
	codec codec             // how Decoder and Encoder convert it
	retro bool              // an 8-bit home computer set: see Retro
}

// A registry indexes the known encodings by normalised name and by value.
type registry struct {
	byKey   map[string]*entry
	byEnc   map[encoding.Encoding]*entry
	aliases map[string]string
	names   []string
}

// theRegistry is built on first use and never changed after, so that
// programs that never look an encoding up do not pay for the tables.
var theRegistry = sync.OnceValue(buildRegistry)

func buildRegistry() *registry {
	reg := &registry{
		byKey: make(map[string]*entry),
		byEnc: make(map[encoding.Encoding]*entry),
	}
	// aliases maps the normalised names people type that neither the IANA nor
	// the WHATWG index knows, or that WHATWG maps differently from what a
	// Telnet user means (WHATWG reads "latin1" and "ascii" as windows-1252),
	// to a canonical name. The retro encodings take telnetlib3's aliases.
	reg.aliases = map[string]string{
		"ascii": "US-ASCII", "usascii": "US-ASCII", "646": "US-ASCII", "us": "US-ASCII",
		"utf8": "UTF-8", "utf": "UTF-8", "u8": "UTF-8", "cp65001": "UTF-8",
		"latin1": "ISO-8859-1", "latin": "ISO-8859-1", "l1": "ISO-8859-1", "iso88591": "ISO-8859-1", "8859": "ISO-8859-1", "cp819": "ISO-8859-1",
		"latin2": "ISO-8859-2", "latin3": "ISO-8859-3", "latin4": "ISO-8859-4", "latin5": "ISO-8859-9",
		"latin6": "ISO-8859-10", "latin7": "ISO-8859-13", "latin8": "ISO-8859-14", "latin9": "ISO-8859-15", "latin10": "ISO-8859-16",
		"cp1250": "windows-1250", "cp1251": "windows-1251", "cp1252": "windows-1252", "cp1253": "windows-1253",
		"cp1254": "windows-1254", "cp1255": "windows-1255", "cp1256": "windows-1256", "cp1257": "windows-1257",
		"cp1258": "windows-1258", "cp874": "windows-874",
		"cp858": "IBM00858", "ibm858": "IBM00858", "cp1047": "IBM1047", "cp1140": "IBM01140", "ibm1140": "IBM01140",
		"cp932": "Shift_JIS", "ms932": "Shift_JIS", "mskanji": "Shift_JIS", "sjis": "Shift_JIS", "shiftjis": "Shift_JIS", "windows31j": "Shift_JIS",
		"eucjp": "EUC-JP", "ujis": "EUC-JP", "iso2022jp": "ISO-2022-JP",
		"cp949": "EUC-KR", "uhc": "EUC-KR", "euckr": "EUC-KR", "ksc5601": "EUC-KR",
		"cp936": "GBK", "ms936": "GBK", "gb2312": "GBK", "euccn": "GBK", "gb18030": "GB18030",
		"hz": "HZ-GB-2312", "hzgb2312": "HZ-GB-2312",
		"cp950": "Big5", "ms950": "Big5", "big5tw": "Big5",
		"koi8r": "KOI8-R", "koi8u": "KOI8-U",
		"mac": "macintosh", "macroman": "macintosh", "maccyrillic": "x-mac-cyrillic",
		"utf16": "UTF-16", "utf16be": "UTF-16BE", "utf16le": "UTF-16LE",
		"utf32": "UTF-32", "utf32be": "UTF-32BE", "utf32le": "UTF-32LE",
		"cbm": "petscii", "commodore": "petscii", "c64": "petscii", "c128": "petscii",
		"atari8bit": "atascii", "atari": "atarist",
		"big5pcman": "big5bbs", "big5pcmanx": "big5bbs", "big5ptt": "big5bbs",
	}
	add := func(e *entry, names ...string) {
		for _, n := range names {
			if k := normalize(n); k != "" {
				if _, dup := reg.byKey[k]; !dup {
					reg.byKey[k] = e
				}
			}
		}
		if e.enc != nil && reflect.TypeOf(e.enc).Comparable() {
			reg.byEnc[e.enc] = e
		}
		reg.names = append(reg.names, e.name)
	}

	add(&entry{name: "UTF-8", enc: unicode.UTF8, codec: utf8Codec{}}, "UTF-8")
	// x/text has no exported US-ASCII but ianaindex does; its transformers
	// are replaced by the table below.
	ascii, _ := ianaindex.IANA.Encoding("US-ASCII")
	asciiTable := asciiTable()
	add(&entry{name: "US-ASCII", enc: ascii, codec: newSingleByte("US-ASCII", &asciiTable, lowFirst, false)}, "US-ASCII")

	for _, enc := range charmap.All {
		name := canonicalName(enc)
		table := byteTable(enc)
		add(&entry{name: name, enc: enc, codec: newSingleByte(name, table, lowFirst, false)}, otherNames(enc)...)
	}

	var multi []encoding.Encoding
	for _, all := range [][]encoding.Encoding{japanese.All, korean.All, simplifiedchinese.All, traditionalchinese.All, unicode.All, utf32.All} {
		multi = append(multi, all...)
	}
	for _, enc := range multi {
		if enc == unicode.UTF8 {
			continue
		}
		name := canonicalName(enc)
		add(&entry{name: name, enc: enc, codec: xCodec{enc: enc, fffd: fffdSequences(name)}}, otherNames(enc)...)
	}

	for _, r := range []*singleByte{petscii(), atascii(), atarist()} {
		add(&entry{name: r.name, enc: r, codec: r, retro: true}, r.name)
	}
	b := big5BBS()
	add(&entry{name: b.String(), enc: b, codec: b}, b.String())

	slices.SortFunc(reg.names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return reg
}

// canonicalName is the MIME name of an x/text encoding, else its IANA
// name, else its WHATWG name.
func canonicalName(enc encoding.Encoding) string {
	for _, name := range []func(encoding.Encoding) (string, error){ianaindex.MIME.Name, ianaindex.IANA.Name, htmlindex.Name} {
		if n, err := name(enc); err == nil && n != "" {
			return n
		}
	}
	return fmt.Sprint(enc)
}

// otherNames returns every name the indexes give an x/text encoding.
func otherNames(enc encoding.Encoding) []string {
	var names []string
	for _, name := range []func(encoding.Encoding) (string, error){ianaindex.MIME.Name, ianaindex.IANA.Name, ianaindex.MIB.Name, htmlindex.Name} {
		if n, err := name(enc); err == nil && n != "" {
			names = append(names, n)
		}
	}
	return names
}

// fffdSequences returns how the encodings that can carry U+FFFD itself
// write it.
func fffdSequences(name string) [][]byte {
	switch {
	case strings.HasPrefix(name, "UTF-16"):
		return [][]byte{{0xFF, 0xFD}, {0xFD, 0xFF}}
	case strings.HasPrefix(name, "UTF-32"):
		return [][]byte{{0, 0, 0xFF, 0xFD}, {0xFD, 0xFF, 0, 0}}
	case name == "GB18030":
		return [][]byte{{0x84, 0x31, 0xA4, 0x37}}
	}
	return nil
}

// normalize folds the ways people write one encoding name into one key:
// case, spaces, '-', '_', '.' and ':' are ignored, so that "ISO_8859-2",
// "iso8859-2" and "iso-8859-2" meet, and a number after a separator that
// follows a number loses its leading zeros ("iso-8859-02").
func normalize(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	lastDigit, sep, strip := false, false, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case ' ', '\t', '-', '_', '.', ':':
			sep = true
			continue
		}
		digit := isDigit(c)
		strip = digit && (strip || sep && lastDigit)
		if strip && c == '0' && i+1 < len(name) && isDigit(name[i+1]) {
			sep = false
			continue
		}
		strip = false
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
		lastDigit, sep = digit, false
	}
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Lookup returns the encoding called name and its canonical name. Names
// are matched as people type them: IANA names and aliases ("ISO-8859-1",
// "latin1", "IBM437", "cp437", "csASCII"), WHATWG labels ("utf8",
// "x-cp1252", "sjis"), common aliases ("ascii", "cp1252", "cp932", "gbk",
// "koi8r") and the retro encodings with telnetlib3's aliases ("petscii",
// "c64", "atascii", "atari", "big5bbs", "big5_pcman"), ignoring case,
// spaces, '-', '_', and leading zeros after a number ("iso-8859-02").
//
// The encoding returned is golang.org/x/text's value where it has one
// (charmap.CodePage437 for "cp437"), so that it compares equal to it.
// An unknown name is an error wrapping [ErrUnknownEncoding].
func Lookup(name string) (encoding.Encoding, string, error) {
	if e := theRegistry().lookup(name); e != nil {
		return e.enc, e.name, nil
	}
	return nil, "", fmt.Errorf("%w %q (charset.Names lists the known names)", ErrUnknownEncoding, name)
}

func (reg *registry) lookup(name string) *entry {
	k := normalize(name)
	if k == "" {
		return nil
	}
	if e := reg.byKey[k]; e != nil {
		return e
	}
	if alias, ok := reg.aliases[k]; ok {
		return reg.byKey[normalize(alias)]
	}
	// The indexes know aliases exactly as registered ("cp437", "ms_kanji");
	// the key without separators catches "cp-437".
	for _, index := range []func(string) (encoding.Encoding, error){ianaindex.IANA.Encoding, htmlindex.Get} {
		for _, n := range []string{name, k} {
			if enc, err := index(n); err == nil && enc != nil {
				if e := reg.byEnc[enc]; e != nil {
					return e
				}
			}
		}
	}
	return nil
}

// Names returns the canonical name of every known encoding, sorted
// without regard to case. The slice is the caller's.
func Names() []string {
	return slices.Clone(theRegistry().names)
}

// ForceBinary reports whether the encoding called name implies binary
// transmission, as telnetlib3's programs have it: every known encoding but
// US-ASCII needs 8 bits, so a program given one with --encoding sends and
// receives in BINARY mode without waiting for the option.
func ForceBinary(name string) bool {
	e := theRegistry().lookup(name)
	return e != nil && e.name != "US-ASCII"
}

// Retro reports whether name is one of the 8-bit home computer encodings,
// PETSCII, ATASCII or Atari ST, whose terminals a client drives in raw
// mode (telnetlib3's FORCE_BINARY_ENCODINGS).
func Retro(name string) bool {
	e := theRegistry().lookup(name)
	return e != nil && e.retro
}

// codecOf returns how to convert enc and its name. An encoding that is not
// known converts through its own transformers.
func codecOf(enc encoding.Encoding) (codec, string) {
	if enc == nil {
		return utf8Codec{}, "UTF-8"
	}
	reg := theRegistry()
	if reflect.TypeOf(enc).Comparable() {
		if e := reg.byEnc[enc]; e != nil {
			return e.codec, e.name
		}
	}
	if c, ok := enc.(codec); ok {
		return c, fmt.Sprint(enc)
	}
	return xCodec{enc: enc}, fmt.Sprint(enc)
}

// byteTable returns the character of each byte of a single-byte x/text
// encoding, from its own decoder.
func byteTable(enc encoding.Encoding) *[256]rune {
	var t [256]rune
	dec := enc.NewDecoder()
	var out [utf8.UTFMax]byte
	for b := range t {
		n, _, err := dec.Transform(out[:], []byte{byte(b)}, true)
		r, size := utf8.DecodeRune(out[:n])
		if err != nil || size != n || r == utf8.RuneError {
			r = undefined
		}
		t[b] = r
	}
	return &t
}

// asciiTable is US-ASCII: the bytes above 0x7F are undefined.
func asciiTable() [256]rune {
	var t [256]rune
	for b := range t {
		t[b] = rune(b)
		if b >= 0x80 {
			t[b] = undefined
		}
	}
	return t
}
