package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/telnetkit/telnet/negotiate"
)

func TestChooseMode(t *testing.T) {
	tests := []struct {
		echo, sga bool
		force     forceMode
		want      mode
	}{
		{false, false, followServer, modeLine},
		{true, false, followServer, modeLineNoEcho},
		{false, true, followServer, modeRawEcho},
		{true, true, followServer, modeRaw},
		{false, false, forceRaw, modeRawEcho},
		{true, false, forceRaw, modeRaw},
		{false, true, forceLine, modeLine},
		{true, true, forceLine, modeLineNoEcho},
	}
	for _, tt := range tests {
		if got := chooseMode(tt.echo, tt.sga, tt.force); got != tt.want {
			t.Errorf("chooseMode(echo=%v, sga=%v, force=%d) = %v, want %v", tt.echo, tt.sga, tt.force, got, tt.want)
		}
	}
}

// describe renders actions as a string: data quoted, commands by name.
func describe(actions []keyAction) string {
	var parts []string
	for _, a := range actions {
		if a.data == nil {
			parts = append(parts, "IAC "+a.cmd.String())
		} else {
			parts = append(parts, fmt.Sprintf("%q", a.data))
		}
	}
	return strings.Join(parts, " ")
}

func TestKeyboard(t *testing.T) {
	tests := []struct {
		name     string
		mode     mode
		binary   bool
		keys     []string // one read each
		set      *keySet  // nil: defaultKeys
		wantSend string
		wantEcho string
		wantQuit bool
	}{
		{name: "raw sends each read, Enter as CR LF", mode: modeRaw, keys: []string{"ls", "\r"},
			wantSend: `"ls" "\r\n"`},
		{name: "raw in binary sends Enter as typed", mode: modeRaw, binary: true, keys: []string{"ls\r"},
			wantSend: `"ls\r"`},
		{name: "raw drops the LF of a pasted CR LF, even split", mode: modeRaw, keys: []string{"a\r", "\nb\n"},
			wantSend: `"a\r\n" "b\n"`},
		{name: "raw passes control keys and IAC-free UTF-8", mode: modeRaw, keys: []string{"\x03\x1b[Aé"},
			wantSend: `"\x03\x1b[Aé"`},
		{name: "raw echo", mode: modeRawEcho, keys: []string{"ab\x7f\r"},
			wantSend: `"ab\x7f\r\n"`, wantEcho: "ab\b \b\r\n"},
		{name: "escape stops the read", mode: modeRaw, keys: []string{"ab\x1dcd"},
			wantSend: `"ab"`, wantQuit: true},
		{name: "escape alone", mode: modeRawEcho, keys: []string{"\x1d"}, wantQuit: true},
		{name: "line waits for Enter and echoes", mode: modeLine, keys: []string{"he", "llo", "\r"},
			wantSend: `"hello\r\n"`, wantEcho: "hello\r\n"},
		{name: "line takes LF as Enter and CR LF as one", mode: modeLine, keys: []string{"a\n", "b\r", "\nc\r\n"},
			wantSend: `"a\r\n" "b\r\n" "c\r\n"`, wantEcho: "a\r\nb\r\nc\r\n"},
		{name: "line without echo", mode: modeLineNoEcho, keys: []string{"secret\r"},
			wantSend: `"secret\r\n"`},
		{name: "line erase", mode: modeLine, keys: []string{"abc\x7f\bd\r"},
			wantSend: `"ad\r\n"`, wantEcho: "abc\b \b\b \bd\r\n"},
		{name: "line erase of nothing", mode: modeLine, keys: []string{"\x7f\r"},
			wantSend: `"\r\n"`, wantEcho: "\r\n"},
		{name: "line erase of a multi-byte and a wide character", mode: modeLine, keys: []string{"é日\x7f\x7f\r"},
			wantSend: `"\r\n"`, wantEcho: "é日\b \b\b \b\b \b\r\n"},
		{name: "line erase of a character split across reads", mode: modeLine, keys: []string{"x\xe6\x97", "\x7f\r"},
			wantSend: `"x\r\n"`, wantEcho: "x\xe6\x97\b \b\r\n"},
		{name: "line kill", mode: modeLine, keys: []string{"ab\x15c\r"},
			wantSend: `"c\r\n"`, wantEcho: "ab\b \b\b \bc\r\n"},
		{name: "line word erase", mode: modeLine, keys: []string{"ls -l  \x17x\r"},
			wantSend: `"ls x\r\n"`, wantEcho: "ls -l  \b \b\b \b\b \b\b \bx\r\n"},
		{name: "line control character shown as ^X and erased as two", mode: modeLine, keys: []string{"a\x01\x7f\r"},
			wantSend: `"a\r\n"`, wantEcho: "a^A\b \b\b \b\r\n"},
		{name: "line ^C discards the line and interrupts", mode: modeLine, keys: []string{"abc\x03"},
			wantSend: `IAC IP`, wantEcho: "abc^C\r\n"},
		{name: "line ^\\ and ^Z", mode: modeLineNoEcho, keys: []string{"\x1c\x1a"},
			wantSend: `IAC ABORT IAC SUSP`},
		{name: "line ^D on an empty line", mode: modeLine, keys: []string{"\x04"},
			wantSend: `IAC EOF`},
		{name: "line ^D after text is ignored", mode: modeLine, keys: []string{"a\x04\r"},
			wantSend: `"a\r\n"`, wantEcho: "a\r\n"},
		{name: "line escape discards the line", mode: modeLine, keys: []string{"abc\x1d"},
			wantEcho: "abc", wantQuit: true},
		{name: "line then Enter and a command in one read keep their order", mode: modeLine, keys: []string{"ls\r\x03"},
			wantSend: `"ls\r\n" IAC IP`, wantEcho: "ls\r\n^C\r\n"},
		{name: "LINEMODE edits with the agreed characters", mode: modeLine, set: agreedKeys(true),
			keys: []string{"ab cd\x02x\x18ok\r"}, wantSend: `"ok\r\n"`, wantEcho: "ab cd\b \b\b \bx" + strings.Repeat("\b \b", 4) + "ok\r\n"},
		{name: "LINEMODE TRAPSIG: the agreed interrupt key sends IAC IP, ^C is a character", mode: modeLine,
			set: agreedKeys(true), keys: []string{"\x03\x19"}, wantSend: `IAC IP`, wantEcho: "^C^Y\r\n"},
		{name: "LINEMODE without TRAPSIG: the interrupt key is a character", mode: modeLine,
			set: agreedKeys(false), keys: []string{"a\x19\r"}, wantSend: `"a\x19\r\n"`, wantEcho: "a^Y\r\n"},
		{name: "LINEMODE TRAPSIG in character mode", mode: modeRaw, set: agreedKeys(true),
			keys: []string{"ab\x19c"}, wantSend: `"ab" IAC IP "c"`},
		{name: "LINEMODE forward mask sends the line at the key", mode: modeLine, set: agreedKeys(true),
			keys: []string{"ls\tx\r"}, wantSend: `"ls\t" "x\r\n"`, wantEcho: "ls\tx\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kb keyboard
			var all []keyAction
			var echo []byte
			quit := false
			for _, k := range tt.keys {
				var actions []keyAction
				set := tt.set
				if set == nil {
					set = defaultKeys
				}
				actions, echo, quit = kb.feed([]byte(k), tt.mode, tt.binary, set, nil, echo)
				all = append(all, actions...)
			}
			if got := describe(all); got != tt.wantSend {
				t.Errorf("sent %s, want %s", got, tt.wantSend)
			}
			if string(echo) != tt.wantEcho {
				t.Errorf("echoed %q, want %q", echo, tt.wantEcho)
			}
			if quit != tt.wantQuit {
				t.Errorf("quit = %v, want %v", quit, tt.wantQuit)
			}
		})
	}
}

// A line half typed when the server turns to character mode is sent with
// the next key, as a terminal driver leaving canonical mode hands it over.
func TestKeyboardLineThenRaw(t *testing.T) {
	var kb keyboard
	actions, _, _ := kb.feed([]byte("pass"), modeLine, false, defaultKeys, nil, nil)
	if len(actions) != 0 {
		t.Fatalf("a partial line was sent: %s", describe(actions))
	}
	actions, _, _ = kb.feed([]byte("x"), modeRaw, false, defaultKeys, nil, nil)
	if got, want := describe(actions), `"passx"`; got != want {
		t.Errorf("sent %s, want %s", got, want)
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		r    rune
		want int
	}{
		{'a', 1}, {'é', 1}, {'\x01', 2}, {'日', 2}, {'한', 2}, {'Ａ', 2}, {'\t', 1}, {0x1f600, 2}, {0x303f, 1}, {0x301, 0},
	}
	for _, tt := range tests {
		if got := columns(tt.r); got != tt.want {
			t.Errorf("columns(%U) = %d, want %d", tt.r, got, tt.want)
		}
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[mode]string{modeLine: "line", modeLineNoEcho: "line, no echo", modeRaw: "raw", modeRawEcho: "raw, local echo"} {
		if m.String() != want {
			t.Errorf("%d.String() = %q, want %q", m, m.String(), want)
		}
	}
	if !modeRawEcho.raw() || modeLineNoEcho.raw() {
		t.Error("raw() is wrong")
	}
}

// agreedKeys are the keys of a LINEMODE table where ^B erases a word,
// ^X kills the line and ^Y interrupts, with TAB in the forward mask.
func agreedKeys(trapSig bool) *keySet {
	slc := negotiate.DefaultSLC()
	slc.Set(negotiate.SLCEW, negotiate.SLCValue, 0x02)
	slc.Set(negotiate.SLCEL, negotiate.SLCValue, 0x18)
	slc.Set(negotiate.SLCIP, negotiate.SLCValue, 0x19)
	return linemodeKeys(slc, trapSig, negotiate.NewForwardMask('\t'))
}

func TestKeyboardPipe(t *testing.T) {
	for _, tc := range []struct {
		reads  []string
		binary bool
		want   string
	}{
		{[]string{"a\nb\r\nc\rd\n"}, false, "a\nb\r\nc\rd\n"},
		{[]string{"a\nb\r\nc\rd\n"}, true, "a\rb\rc\rd\r"},
		{[]string{"a\r", "\nb\n"}, true, "a\rb\r"},
		{[]string{"\n\n"}, true, "\r\r"},
	} {
		var kb keyboard
		var got []byte
		for _, r := range tc.reads {
			got = append(got, kb.pipe([]byte(r), tc.binary)...)
		}
		if string(got) != tc.want {
			t.Errorf("%q (binary %v) sent as %q, want %q", tc.reads, tc.binary, got, tc.want)
		}
	}
}
