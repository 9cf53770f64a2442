// Package textwidth is the module's one answer to how many columns a
// character takes on a terminal, so that a line editor on either side of
// a session erases exactly what it echoed.
package textwidth

import (
	"unicode"

	"golang.org/x/text/width"
)

// Rune returns the columns r takes on a terminal: 0 for combining marks,
// enclosing marks and format characters (joiners, for one), 2 for East
// Asian Wide and Fullwidth characters (UAX #11, which counts the emoji
// shown as pictures among them), 1 for the rest. Control characters are
// the caller's to show.
func Rune(r rune) int {
	switch {
	case r < 0x300:
		return 1 // ASCII and Latin-1: no marks, nothing wide
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// String returns the columns s takes: the sum of [Rune] over its runes.
func String(s string) int {
	n := 0
	for _, r := range s {
		n += Rune(r)
	}
	return n
}
