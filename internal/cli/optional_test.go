package cli

import (
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestOptionalSeconds(t *testing.T) {
	for _, tc := range []struct {
		args     string
		on       bool
		wait     time.Duration
		operands []string
		name     string
	}{
		{"", false, 0, nil, ""},
		{"--auto", true, 500 * time.Millisecond, nil, ""},
		{"--auto host 23", true, 500 * time.Millisecond, []string{"host", "23"}, ""},
		{"--auto 2 host", true, 2 * time.Second, []string{"host"}, ""},
		{"host --auto 1.5", true, 1500 * time.Millisecond, []string{"host"}, ""},
		{"-auto 250ms", true, 250 * time.Millisecond, nil, ""},
		{"--auto=3 7", true, 3 * time.Second, []string{"7"}, ""},
		{"--auto=false", false, 0, nil, ""},
		{"--auto --on 2", true, 500 * time.Millisecond, []string{"2"}, ""},
		// The value of another option is not an option.
		{"--name --auto 2", false, 0, []string{"2"}, "--auto"},
		{"--name=x --auto", true, 500 * time.Millisecond, nil, "x"},
		// Nothing after "--" is an option.
		{"-- --auto 2", false, 0, nil, ""},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		name := fs.String("name", "", "")
		fs.Bool("on", false, "")
		auto := OptionalSeconds{Default: 500 * time.Millisecond}
		fs.Var(&auto, "auto", "")
		operands, _, err := Parse(fs, strings.Fields(tc.args))
		if err != nil || auto.On != tc.on || auto.On && auto.Value != tc.wait ||
			!reflect.DeepEqual(operands, tc.operands) || *name != tc.name {
			t.Errorf("Parse(%q) = %q, %v; auto %+v, name %q", tc.args, operands, err, auto, *name)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&OptionalSeconds{}, "auto", "")
	if _, _, err := Parse(fs, []string{"--auto=-1"}); err == nil || !strings.Contains(err.Error(), "--auto") {
		t.Errorf("--auto=-1: %v; want an error naming --auto", err)
	}
}
