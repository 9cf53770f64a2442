package main

import (
	"errors"
	"flag"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/internal/cli"
)

func TestParseArgs(t *testing.T) {
	env := map[string]string{"TERM": "xterm-256color"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		args  []string
		check func(o *options) bool
	}{
		{[]string{"host"}, func(o *options) bool {
			return o.address() == "host:23" && o.term == "xterm-256color" && o.speed == 38400 &&
				o.shell == "terminal" && o.force == followServer && o.encoding == "utf-8" &&
				o.encodingErrors == charset.Replace && o.forceBinary && o.connectMinWait == 0 &&
				o.connectMaxWait == 4*time.Second && o.connectTimeout == 10*time.Second &&
				o.logLevel == slog.LevelWarn && o.logFmt == "text" &&
				reflect.DeepEqual(o.sendEnviron, []string{"TERM", "LANG", "COLUMNS", "LINES", "COLORTERM"})
		}},
		{[]string{"::1", "2323"}, func(o *options) bool { return o.address() == "[::1]:2323" }},
		{[]string{"host", "telnet"}, func(o *options) bool { return o.address() == "host:telnet" }},
		// GNU style: options after operands, "=" or a separate value.
		{[]string{"host", "--term", "vt100", "6023", "--speed=9600", "--raw-mode"}, func(o *options) bool {
			return o.address() == "host:6023" && o.term == "vt100" && o.speed == 9600 && o.force == forceRaw
		}},
		{[]string{"-line-mode", "host"}, func(o *options) bool { return o.force == forceLine }},
		{[]string{"--connect-minwait", "0.5", "--connect-maxwait=2", "--connect-timeout", "250ms", "h"}, func(o *options) bool {
			return o.connectMinWait == 500*time.Millisecond && o.connectMaxWait == 2*time.Second &&
				o.connectTimeout == 250*time.Millisecond
		}},
		{[]string{"--encoding", "latin1", "--encoding-errors", "strict", "--force-binary", "h"}, func(o *options) bool {
			return o.encoding == "latin1" && o.encodingErrors == charset.Strict && o.forceBinary
		}},
		// Every encoding but US-ASCII implies --force-binary.
		{[]string{"--encoding", "cp437", "h"}, func(o *options) bool { return o.forceBinary }},
		{[]string{"--encoding", "us-ascii", "h"}, func(o *options) bool { return !o.forceBinary }},
		{[]string{"--encoding", "ascii", "--force-binary", "h"}, func(o *options) bool { return o.forceBinary }},
		{[]string{"--loglevel", "trace", "--logfmt", "json", "--logfile", "/tmp/x", "h"}, func(o *options) bool {
			return o.logLevel == cli.LevelTrace && o.logFmt == "json" && o.logFile == "/tmp/x"
		}},
		{[]string{"--send-environ", "LANG, TZ,", "--shell", "pipe", "h"}, func(o *options) bool {
			return reflect.DeepEqual(o.sendEnviron, []string{"LANG", "TZ"}) && o.shell == "pipe"
		}},
		{[]string{"--loglevel", "critical", "--logfmt", "%(levelname)s %(message)s", "h"}, func(o *options) bool {
			return o.logLevel == cli.LevelCritical && o.logFmt == "%(levelname)s %(message)s"
		}},
		{[]string{"--", "-host", "23"}, func(o *options) bool { return o.address() == "-host:23" }},
		{[]string{"h"}, func(o *options) bool { return !o.ssl }},
		{[]string{"--ssl", "h", "992"}, func(o *options) bool { return o.ssl && o.caFile == "" && !o.noVerify }},
		// Both imply --ssl.
		{[]string{"--ssl-cafile", "ca.pem", "h"}, func(o *options) bool { return o.ssl && o.caFile == "ca.pem" }},
		{[]string{"h", "--ssl-no-verify"}, func(o *options) bool { return o.ssl && o.noVerify }},
	}
	for _, tt := range tests {
		o, err := parseArgs(tt.args, getenv)
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.args, err)
			continue
		}
		if !tt.check(o) {
			t.Errorf("parseArgs(%q) = %+v", tt.args, o)
		}
	}
}

func TestParseArgsDefaultTerm(t *testing.T) {
	o, err := parseArgs([]string{"h"}, func(string) string { return "" })
	if err != nil || o.term != "unknown" {
		t.Errorf("without $TERM: %+v, %v; want term unknown", o, err)
	}
}

func TestParseArgsErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"a", "b", "c"},
		{""},
		{"h", "0"},
		{"h", "65536"},
		{"--raw-mode", "--line-mode", "h"},
		{"--speed", "0", "h"},
		{"--speed", "fast", "h"},
		{"--shell", "nope", "h"},
		{"--encoding", "klingon", "h"},
		{"--encoding-errors", "loud", "h"},
		{"--loglevel", "chatty", "h"},
		{"--loglevel", "trace", "--", "--version", "x", "h"},
		{"h", "-1"},
		{"h", "+0"},
		{"--connect-timeout", "-1", "h"},
		{"--connect-timeout", "soon", "h"},
		{"--no-such-flag", "h"},
		{"--ssl-cafile", "ca.pem", "--ssl-no-verify", "h"},
		{"--ssl-cafile"},
	}
	for _, args := range tests {
		if o, err := parseArgs(args, func(string) string { return "" }); !errors.Is(err, errUsage) {
			t.Errorf("parseArgs(%q) = %+v, %v; want a usage error", args, o, err)
		}
	}
	if _, err := parseArgs([]string{"--help"}, func(string) string { return "" }); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v, want flag.ErrHelp", err)
	}
}
