package shells

import (
	"cmp"
	"strings"
	"testing"
)

func TestEnterFolder(t *testing.T) {
	for _, tc := range []struct {
		reads []string
		want  string
		end   byte // 0 for CR
	}{
		{[]string{"ls\r\n"}, "ls\r", 0},
		{[]string{"ls\r\n", "pwd\r", "\x00x\n"}, "ls\npwd\nx\n", '\n'},
		{[]string{"ls\r\x00"}, "ls\r", 0},
		{[]string{"ls\r", "\n"}, "ls\r", 0},
		{[]string{"ls\r", "\x00pwd\r"}, "ls\rpwd\r", 0},
		{[]string{"a\r\rb\n"}, "a\r\rb\n", 0},
		{[]string{"\r", "\r\n", "\n"}, "\r\r\n", 0},
		{[]string{"\x00\n"}, "\x00\n", 0},
	} {
		var f enterFolder
		var got strings.Builder
		end := cmp.Or(tc.end, '\r')
		for _, r := range tc.reads {
			p := []byte(r)
			got.Write(p[:f.fold(p, end)])
		}
		if got.String() != tc.want {
			t.Errorf("%q folded to %q, want %q", tc.reads, got.String(), tc.want)
		}
	}
}

func TestAllowListForms(t *testing.T) {
	for _, tc := range []struct {
		check func(string) bool
		value string
		want  bool
	}{
		{terminfoName.MatchString, "xterm-256color", true},
		{terminfoName.MatchString, "screen.xterm-256color", true},
		{terminfoName.MatchString, "rxvt+unicode", true},
		{terminfoName.MatchString, "xterm;id", false},
		{terminfoName.MatchString, "-f", false},
		{terminfoName.MatchString, "", false},
		{terminfoName.MatchString, strings.Repeat("x", 65), false},
		{localeName.MatchString, "en_US.UTF-8", true},
		{localeName.MatchString, "sr_RS@latin", true},
		{localeName.MatchString, "C", true},
		{localeName.MatchString, "$(id)", false},
		{localeName.MatchString, "C.UTF-8\nPATH=/tmp", false},
		{localeName.MatchString, "../../etc", false},
		{printable, "truecolor", true},
		{printable, "vi -c ':!id'", true}, // a value, never run by the shell
		{printable, "a\x1b]0;x\x07", false},
		{printable, "a\nb", false},
		{printable, "\xff", false},
		{printable, "\u0085", false},
		{printable, strings.Repeat("x", 257), false},
	} {
		if got := tc.check(tc.value); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.value, got, tc.want)
		}
	}
}
