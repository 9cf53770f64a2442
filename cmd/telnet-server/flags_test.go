package main

import (
	"errors"
	"flag"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/internal/cli"
)

// defaults is the configuration of a command line without arguments.
func defaults() config {
	return config{
		host: "localhost", port: "6023", shell: "debug", encoding: "utf8", forceBinary: true,
		idleTimeout: 300 * time.Second, connectMaxWait: 1500 * time.Millisecond,
		logLevel: slog.LevelInfo, logFmt: "text", statusInterval: 20 * time.Second,
	}
}

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args string
		want func(c *config)
	}{
		{"", func(c *config) {}},
		// The command lines of the documentation.
		{"--pty-exec /bin/bash -- --login", func(c *config) {
			c.ptyExec, c.ptyArgs = "/bin/bash", []string{"--login"}
		}},
		{"--robot-check --pty-fork-limit 4 --pty-exec /bin/sh", func(c *config) {
			c.robotCheck, c.ptyForkLimit, c.ptyExec = true, 4, "/bin/sh"
		}},
		{"127.0.0.1 6023 --encoding=utf8 --force-binary", func(c *config) { c.host = "127.0.0.1" }},
		// Every encoding but US-ASCII implies --force-binary.
		{"--encoding cp437", func(c *config) { c.encoding = "cp437" }},
		{"--encoding=us-ascii", func(c *config) { c.encoding, c.forceBinary = "us-ascii", false }},
		{"--encoding ascii --force-binary", func(c *config) { c.encoding = "ascii" }},
		{"--encoding-errors strict --encoding latin1", func(c *config) {
			c.encoding, c.encodingErrors = "latin1", charset.Strict
		}},
		{"--encoding-errors=IGNORE", func(c *config) { c.encodingErrors = charset.Ignore }},
		// Options before, between and after the operands, GNU style.
		{"--timeout 0 ::1 --loglevel=debug 2323 --line-mode", func(c *config) {
			c.host, c.port, c.idleTimeout, c.logLevel, c.lineMode = "::1", "2323", -1, slog.LevelDebug, true
		}},
		{"-timeout 2.5 --connect-maxwait=0.25 --logfmt json --logfile /tmp/x.log", func(c *config) {
			c.idleTimeout, c.connectMaxWait, c.logFmt, c.logFile = 2500*time.Millisecond, 250*time.Millisecond, "json", "/tmp/x.log"
		}},
		{"--shell telnet_server_shell --loglevel trace", func(c *config) { c.logLevel = cli.LevelTrace }},
		{"--shell busy --encoding UTF-8 --loglevel warning", func(c *config) {
			c.shell, c.encoding, c.logLevel = "busy", "UTF-8", slog.LevelWarn
		}},
		// Everything after "--" goes to the program, options included.
		{"--pty-exec /bin/sh -- -c 'echo hi' --timeout 1", func(c *config) {
			c.ptyExec, c.ptyArgs = "/bin/sh", []string{"-c", "'echo", "hi'", "--timeout", "1"}
		}},
		{"--pty-exec /bin/sh --", func(c *config) { c.ptyExec, c.ptyArgs = "/bin/sh", []string{} }},
		{"--pty-user nobody --pty-exec /bin/sh --pty-dir=/tmp", func(c *config) {
			c.ptyExec, c.ptyUser, c.ptyDir = "/bin/sh", "nobody", "/tmp"
		}},
		{"--proxy-protocol 127.0.0.1,10.0.0.0/8 --status-interval 0", func(c *config) {
			c.proxyFrom = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
			c.statusInterval = 0
		}},
		{"--ssl-certfile c.pem --ssl-keyfile k.pem", func(c *config) { c.certFile, c.keyFile = "c.pem", "k.pem" }},
		// --tls-auto takes the seconds after it, when they are seconds.
		{"--ssl-certfile c.pem --tls-auto", func(c *config) { c.certFile, c.tlsAuto = "c.pem", 500*time.Millisecond }},
		{"--ssl-certfile c.pem --tls-auto 2 ::1 992", func(c *config) {
			c.certFile, c.tlsAuto, c.host, c.port = "c.pem", 2*time.Second, "::1", "992"
		}},
		{"--tls-auto ::1 992 --ssl-certfile=c.pem", func(c *config) {
			c.certFile, c.tlsAuto, c.host, c.port = "c.pem", 500*time.Millisecond, "::1", "992"
		}},
		{"--tls-auto=0.25 --ssl-certfile=c.pem", func(c *config) { c.certFile, c.tlsAuto = "c.pem", 250*time.Millisecond }},
	} {
		t.Run(tc.args, func(t *testing.T) {
			got, err := parseArgs(strings.Fields(tc.args))
			if err != nil {
				t.Fatal(err)
			}
			want := defaults()
			tc.want(&want)
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"--bogus", "unknown option --bogus"},
		{"-bogus", "unknown option --bogus"},
		{"a b c", `too many operands: ["a" "b" "c"]`},
		{"localhost 70000", `bad port "70000"`},
		{"localhost telnet", `bad port "telnet"`},
		{"--shell nope", `--shell "nope": not one of debug, busy, robot`},
		{"-- --login", "arguments after -- need --pty-exec"},
		{"--pty-fork-limit -1", "--pty-fork-limit -1: negative"},
		{"--pty-dir /tmp", "--pty-dir and --pty-user need --pty-exec"},
		{"--pty-user nobody", "--pty-dir and --pty-user need --pty-exec"},
		{"--encoding klingon", `--encoding "klingon": unknown encoding; the known ones: atarist, `},
		{"--encoding-errors loud", `--encoding-errors: charset: unknown errors policy "loud"`},
		{"--timeout -1", `invalid value "-1" for --timeout: "-1" is not a number of seconds`},
		{"--connect-maxwait x", `invalid value "x" for --connect-maxwait`},
		{"--loglevel loud", `--loglevel "loud": not one of`},
		{"--version=now", `invalid boolean value "now" for --version`},
		{"--pty-exec", "flag needs an argument: --pty-exec"},
		{"--ssl-keyfile k.pem", "--ssl-keyfile needs --ssl-certfile"},
		{"--tls-auto 1", "--tls-auto needs --ssl-certfile"},
		{"--ssl-certfile c.pem --tls-auto 0", "--tls-auto 0: the wait must be more than 0 seconds"},
		{"--ssl-certfile c.pem --tls-auto=soon", `invalid boolean value "soon" for --tls-auto`},
	} {
		t.Run(tc.args, func(t *testing.T) {
			_, err := parseArgs(strings.Fields(tc.args))
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a usage error with %q", err, tc.want)
			}
		})
	}
	for _, args := range []string{"--help", "-h", "127.0.0.1 --help"} {
		if _, err := parseArgs(strings.Fields(args)); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: %v, want flag.ErrHelp", args, err)
		}
	}
}
