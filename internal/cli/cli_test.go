package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
)

func newFlagSet() (*flag.FlagSet, *string, *bool) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs, fs.String("name", "", ""), fs.Bool("on", false, "")
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		args                string
		operands, afterDash []string
		name                string
		on                  bool
	}{
		{"", nil, nil, "", false},
		{"a --name x b --on c", []string{"a", "b", "c"}, nil, "x", true},
		{"--name=x -on a", []string{"a"}, nil, "x", true},
		{"a -- --on b", []string{"a"}, []string{"--on", "b"}, "", false},
		{"a --", []string{"a"}, []string{}, "", false},
		{"-- --", nil, []string{"--"}, "", false},
	} {
		fs, name, on := newFlagSet()
		operands, afterDash, err := Parse(fs, strings.Fields(tc.args))
		if err != nil || !reflect.DeepEqual(operands, tc.operands) || !reflect.DeepEqual(afterDash, tc.afterDash) ||
			*name != tc.name || *on != tc.on {
			t.Errorf("Parse(%q) = %q, %q, %v; name %q, on %v", tc.args, operands, afterDash, err, *name, *on)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--bogus", "unknown option --bogus"},
		{"a -bogus=1", "unknown option --bogus"},
		{"--name", "flag needs an argument: --name"},
		{"--on=maybe", `invalid boolean value "maybe" for --on: parse error`},
		{"---on", "bad flag syntax: ---on"},
	} {
		fs, _, _ := newFlagSet()
		if _, _, err := Parse(fs, strings.Fields(tc.args)); err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q): %v, want %q", tc.args, err, tc.want)
		}
	}
	for _, args := range []string{"--help", "a -h"} {
		fs, _, _ := newFlagSet()
		if _, _, err := Parse(fs, strings.Fields(args)); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("Parse(%q): %v, want flag.ErrHelp", args, err)
		}
	}
}

func TestSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"250ms", 250 * time.Millisecond, true},
		{"1e9", 1e9 * time.Second, true},
		{"-1", 0, false},
		{"-1s", 0, false},
		{"1e10", 0, false},
		{"NaN", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		var s Seconds
		err := s.Set(tc.in)
		if (err == nil) != tc.ok || tc.ok && time.Duration(s) != tc.want {
			t.Errorf("Set(%q): %v, %v; want %v, ok %v", tc.in, time.Duration(s), err, tc.want, tc.ok)
		}
	}
	s := Seconds(1500 * time.Millisecond)
	if got := s.String(); got != "1.5" {
		t.Errorf("String() = %q, want 1.5", got)
	}
}

func TestParseLevel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want slog.Level
		name string
	}{
		{"trace", LevelTrace, "TRACE"},
		{"DEBUG", slog.LevelDebug, "DEBUG"},
		{"info", slog.LevelInfo, "INFO"},
		{"warn", slog.LevelWarn, "WARNING"},
		{"warning", slog.LevelWarn, "WARNING"},
		{"error", slog.LevelError, "ERROR"},
		{"critical", LevelCritical, "CRITICAL"},
		{"fatal", LevelCritical, "CRITICAL"},
	} {
		l, err := ParseLevel(tc.in)
		if err != nil || l != tc.want || LevelName(l) != tc.name {
			t.Errorf("ParseLevel(%q) = %v (%s), %v; want %v (%s)", tc.in, l, LevelName(l), err, tc.want, tc.name)
		}
	}
	if _, err := ParseLevel("loud"); err == nil || !strings.Contains(err.Error(), `--loglevel "loud"`) {
		t.Errorf("ParseLevel(loud): %v", err)
	}
}

func TestCheckPort(t *testing.T) {
	for _, tc := range []struct {
		port         string
		listen, dial bool
	}{
		{"23", true, true},
		{"65535", true, true},
		{"0", true, false},
		{"65536", false, false},
		{"-1", false, false},
		{"+23", false, false},
		{"", false, false},
		{"telnet", false, true},
		{"99999999999999999999", false, false},
	} {
		if got := CheckPort(tc.port, true) == nil; got != tc.listen {
			t.Errorf("CheckPort(%q, listen) ok = %v", tc.port, got)
		}
		if got := CheckPort(tc.port, false) == nil; got != tc.dial {
			t.Errorf("CheckPort(%q, dial) ok = %v", tc.port, got)
		}
	}
}

func TestCheckEncoding(t *testing.T) {
	for _, tc := range []struct {
		name, policy string
		force        bool
		errs         charset.Errors
		wantForce    bool
		err          string
	}{
		{"utf8", "replace", false, charset.Replace, true, ""},
		{"us-ascii", "strict", false, charset.Strict, false, ""},
		{"us-ascii", "ignore", true, charset.Ignore, true, ""},
		{"klingon", "replace", false, 0, false, `--encoding "klingon": unknown encoding`},
		{"utf8", "loud", false, 0, false, `--encoding-errors: charset: unknown errors policy "loud"`},
	} {
		errs, force, err := CheckEncoding(tc.name, tc.policy, tc.force)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("CheckEncoding(%q, %q): %v, want %q", tc.name, tc.policy, err, tc.err)
			}
			continue
		}
		if err != nil || errs != tc.errs || force != tc.wantForce {
			t.Errorf("CheckEncoding(%q, %q, %v) = %v, %v, %v", tc.name, tc.policy, tc.force, errs, force, err)
		}
	}
}

func TestNewHandler(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"text", "level=CRITICAL msg=hi k=v\n"},
		{"json", `"level":"CRITICAL","msg":"hi","k":"v"}` + "\n"},
		{"%(name)s %(levelname)s %(message)s", "prog CRITICAL hi k=v\n"},
	} {
		var b bytes.Buffer
		h, err := NewHandler(&b, tc.format, slog.LevelWarn, "prog")
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(h)
		log.Info("dropped")
		log.Log(t.Context(), LevelCritical, "hi", "k", "v")
		if !strings.HasSuffix(b.String(), tc.want) || strings.Contains(b.String(), "dropped") {
			t.Errorf("%s: %q, want it to end with %q", tc.format, b.String(), tc.want)
		}
	}
	if _, err := NewHandler(io.Discard, "plain", slog.LevelInfo, "prog"); err == nil {
		t.Error("NewHandler(plain): no error")
	}
}

func TestVersion(t *testing.T) {
	if v := Version("prog"); !strings.HasPrefix(v, "prog ") {
		t.Errorf("Version = %q", v)
	}
}
