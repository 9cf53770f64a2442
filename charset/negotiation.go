package charset

import "strings"

// telnetlib3Offers is telnetlib3's CHARSET REQUEST list, in its order, as
// seen on the wire: every name is one Lookup knows.
func telnetlib3Offers() []string {
	return []string{
		"UTF-8", "UTF-16", "LATIN1", "CP1252", "ISO-8859-15", "CP437", "SHIFT_JIS", "CP932",
		"BIG5", "CP950", "GBK", "GB2312", "CP936", "EUC-KR", "CP949", "US-ASCII",
	}
}

// Offers returns the character sets a server offers in its CHARSET
// REQUEST, in order of preference: telnetlib3's list, with preferred (the
// server's configured encoding, which may be empty) moved or added to the
// front so that a client that takes the first name it knows takes it.
// The names are spelled as telnetlib3 spells them, and every one is known
// to [Lookup]. Send them with negotiate.AppendCharsetRequest and a space
// as the separator, as telnetlib3 does. The slice is the caller's.
func Offers(preferred string) []string {
	list := telnetlib3Offers()
	out := make([]string, 0, len(list)+1)
	if preferred != "" {
		if e := theRegistry().lookup(preferred); e != nil {
			// Keep telnetlib3's spelling when the name is already offered.
			name := preferred
			for _, o := range list {
				if theRegistry().lookup(o) == e {
					name = o
					break
				}
			}
			out = append(out, name)
		}
	}
	for _, o := range list {
		if len(out) == 0 || !strings.EqualFold(o, out[0]) {
			out = append(out, o)
		}
	}
	return out
}

// Choose picks, for a client configured with the encoding configured, one
// of the character sets a server offered, as telnetlib3 does: the first
// offered name that is the configured encoding, however either is spelled
// ("utf8" matches "UTF-8", "iso-8859-02" matches "ISO_8859-2"); else, when
// configured is empty or ISO-8859-1 (telnetlib3's "any will do"), the
// first offered name [Lookup] knows; else none, and the client declines.
// It returns the name as the server spelled it, as an ACCEPTED must carry
// it.
func Choose(configured string, offered []string) (string, bool) {
	reg := theRegistry()
	want := reg.lookup(configured)
	if configured != "" && want == nil {
		return "", false
	}
	for _, o := range offered {
		if want != nil && reg.lookup(o) == want {
			return o, true
		}
	}
	if want != nil && want.name != "ISO-8859-1" {
		return "", false
	}
	for _, o := range offered {
		if reg.lookup(o) != nil {
			return o, true
		}
	}
	return "", false
}

// Chooser returns [Choose] for the client configured with configured, in
// the shape negotiate.AppendCharsetReply takes: the client then answers a
// REQUEST with ACCEPTED and the chosen name, or with REJECTED.
func Chooser(configured string) func(offered []string) (string, bool) {
	return func(offered []string) (string, bool) { return Choose(configured, offered) }
}

// LangCharset returns the canonical name of the encoding a POSIX locale
// value names, as sent in NEW-ENVIRON LANG: "en_US.UTF-8" gives "UTF-8",
// "ja_JP.eucJP@cjknative" gives "EUC-JP". It reports false when the value
// names no encoding ("C", "en_US") or one [Lookup] does not know, in which
// case LANG says nothing about the encoding.
func LangCharset(lang string) (string, bool) {
	_, enc, ok := strings.Cut(lang, ".")
	if !ok {
		return "", false
	}
	enc, _, _ = strings.Cut(enc, "@")
	e := theRegistry().lookup(enc)
	if e == nil {
		return "", false
	}
	return e.name, true
}

// LangWithCharset returns the POSIX locale value lang with its codeset
// replaced by the canonical name of the encoding called name, the
// modifier kept: "fr_FR.UTF-8@euro" with "cp437" gives "fr_FR.IBM437@euro",
// which [LangCharset] reads back as "IBM437". A locale with no codeset
// ("C", "en_US") says nothing of the encoding and is returned unchanged,
// as is lang when [Lookup] does not know name.
func LangWithCharset(lang, name string) string {
	base, codeset, ok := strings.Cut(lang, ".")
	e := theRegistry().lookup(name)
	if !ok || e == nil {
		return lang
	}
	if _, modifier, ok := strings.Cut(codeset, "@"); ok {
		return base + "." + e.name + "@" + modifier
	}
	return base + "." + e.name
}

// Known reports whether [Lookup] knows name.
func Known(name string) bool { return theRegistry().lookup(name) != nil }
