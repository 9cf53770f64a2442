package textwidth

import "testing"

func TestRune(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want int
	}{
		{'a', 1}, {'é', 1}, {0xad, 1}, // soft hyphen: shown by terminals
		{0x301, 0},                             // combining acute accent
		{0x200d, 0},                            // zero width joiner
		{0x20dd, 0},                            // combining enclosing circle
		{'中', 2}, {'한', 2}, {'ア', 2}, {'ｱ', 1}, // half-width katakana
		{'Ａ', 2},     // fullwidth A
		{0x1f600, 2}, // grinning face
		{0x2615, 2},  // hot beverage, emoji presentation
		{0x2603, 1},  // snowman, text presentation
		{0x20000, 2}, // CJK extension B
		{0x1100, 2},  // Hangul choseong
		{'→', 1},
	} {
		if got := Rune(tc.r); got != tc.want {
			t.Errorf("Rune(%U) = %d, want %d", tc.r, got, tc.want)
		}
	}
}

func TestString(t *testing.T) {
	if got := String("a中e\u0301"); got != 4 {
		t.Errorf("String = %d, want 4", got)
	}
}
