package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/telnetkit/telnet/charset"
)

// errUsage marks an error in the command line; the program exits with
// exitUsage.
var errUsage = errors.New("telnet-client: usage")

// A forceMode is what --raw-mode and --line-mode impose on the terminal.
type forceMode uint8

const (
	followServer forceMode = iota // the mode follows the server's ECHO and SGA
	forceRaw                      // --raw-mode
	forceLine                     // --line-mode
)

// levelTrace is below debug, as telnetlib3's "trace".
const levelTrace = slog.LevelDebug - 4

// options is the command line, parsed and checked.
type options struct {
	host, port string

	term        string
	speed       int
	sendEnviron []string
	shell       string
	force       forceMode

	encoding       string
	encodingErrors charset.Errors
	forceBinary    bool // given, or implied by the encoding

	connectMinWait time.Duration
	connectMaxWait time.Duration
	connectTimeout time.Duration

	logLevel slog.Level
	logFmt   string
	logFile  string
}

// address is the host and port to dial.
func (o *options) address() string { return net.JoinHostPort(o.host, o.port) }

// shells are the names --shell accepts.
var shells = []string{"terminal", "pipe"}

const usageText = `usage: telnet-client [options] HOST [PORT]

Connects the terminal to the Telnet server at HOST, port PORT (23 by
default). ^] closes the connection. With standard input not a terminal,
the client copies standard input to the server and the server's output
to standard output, like nc.

options:
  --term NAME             terminal type to report (default $TERM, else "unknown")
  --speed BPS             terminal speed to report (default 38400)
  --send-environ LIST     variables the server may read, comma-separated
                          (default TERM,LANG,COLUMNS,LINES,COLORTERM); LANG
                          goes with the codeset of --encoding
  --shell NAME            terminal (default; a pipe when standard input is
                          not a terminal) or pipe
  --raw-mode              character at a time, whatever the server says
  --line-mode             a line at a time, whatever the server says
  --encoding NAME         the server's encoding (default utf-8): any name
                          golang.org/x/text knows (latin1, cp437, koi8-r,
                          big5, shift_jis, ...), and petscii, atascii,
                          atarist and big5bbs
  --encoding-errors WHAT  replace (default), ignore or strict
  --force-binary          use the encoding even where BINARY is not agreed;
                          implied by every encoding but us-ascii
  --connect-minwait SECS  wait at least this long before reading the keyboard
                          (default 0); a terminal also waits for the server's
                          ECHO and SGA to stay put for 50 ms
  --connect-maxwait SECS  but no longer than this, and no longer for the
                          server's answers (default 4.0)
  --connect-timeout SECS  give up connecting after this long (default 10)
  --loglevel LEVEL        trace, debug, info, warn (default) or error
  --logfmt FORMAT         text (default) or json
  --logfile PATH          log to PATH rather than standard error

exit status: 0 when closed with ^], 1 when closed by the server,
2 for a usage error, 3 when the connection failed, 128+N on signal N.
`

// parseArgs parses the command line in GNU style: options and operands in
// any order, "--opt value" or "--opt=value", and "--" ending the options.
// getenv supplies $TERM. It returns flag.ErrHelp for --help.
func parseArgs(args []string, getenv func(string) string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("telnet-client", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}

	defaultTerm := getenv("TERM")
	if defaultTerm == "" {
		defaultTerm = "unknown"
	}
	fs.StringVar(&o.term, "term", defaultTerm, "")
	fs.IntVar(&o.speed, "speed", 38400, "")
	environ := fs.String("send-environ", "TERM,LANG,COLUMNS,LINES,COLORTERM", "")
	fs.StringVar(&o.shell, "shell", "terminal", "")
	raw := fs.Bool("raw-mode", false, "")
	line := fs.Bool("line-mode", false, "")
	fs.StringVar(&o.encoding, "encoding", "utf-8", "")
	policy := fs.String("encoding-errors", "replace", "")
	fs.BoolVar(&o.forceBinary, "force-binary", false, "")
	o.connectMaxWait = 4 * time.Second
	o.connectTimeout = 10 * time.Second
	fs.Var((*seconds)(&o.connectMinWait), "connect-minwait", "")
	fs.Var((*seconds)(&o.connectMaxWait), "connect-maxwait", "")
	fs.Var((*seconds)(&o.connectTimeout), "connect-timeout", "")
	level := fs.String("loglevel", "warn", "")
	fs.StringVar(&o.logFmt, "logfmt", "text", "")
	fs.StringVar(&o.logFile, "logfile", "", "")

	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			operands = append(operands, rest...) // "--" ends the options
			break
		}
		if len(rest) == 0 {
			break
		}
		// Parse stops at the first operand; the options after it are
		// parsed on the next turn, as GNU getopt permutes them.
		operands = append(operands, rest[0])
		args = rest[1:]
	}

	switch len(operands) {
	case 1:
		o.host, o.port = operands[0], "23"
	case 2:
		o.host, o.port = operands[0], operands[1]
	default:
		return nil, fmt.Errorf("%w: want HOST [PORT], got %d operands", errUsage, len(operands))
	}
	if o.host == "" {
		return nil, fmt.Errorf("%w: empty host", errUsage)
	}
	if n, err := strconv.Atoi(o.port); err == nil && (n < 1 || n > 65535) {
		return nil, fmt.Errorf("%w: port %s out of range", errUsage, o.port)
	}
	if *raw && *line {
		return nil, fmt.Errorf("%w: --raw-mode and --line-mode exclude each other", errUsage)
	}
	switch {
	case *raw:
		o.force = forceRaw
	case *line:
		o.force = forceLine
	}
	if o.speed <= 0 {
		return nil, fmt.Errorf("%w: --speed %d is not a positive number", errUsage, o.speed)
	}
	if !contains(shells, o.shell) {
		return nil, fmt.Errorf("%w: unknown --shell %q (known: %s)", errUsage, o.shell, strings.Join(shells, ", "))
	}
	var err error
	if o.encodingErrors, err = charset.ParseErrors(*policy); err != nil {
		return nil, fmt.Errorf("%w: --encoding-errors: %v", errUsage, err)
	}
	if !charset.Known(o.encoding) {
		return nil, fmt.Errorf("%w: --encoding %q: unknown encoding; the known ones: %s",
			errUsage, o.encoding, strings.Join(charset.Names(), ", "))
	}
	// As telnetlib3's: servers send 8-bit text without BINARY.
	o.forceBinary = o.forceBinary || charset.ForceBinary(o.encoding)
	if o.logLevel, err = parseLevel(*level); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.logFmt != "text" && o.logFmt != "json" {
		return nil, fmt.Errorf("%w: --logfmt %q: want text or json", errUsage, o.logFmt)
	}
	for _, name := range strings.Split(*environ, ",") {
		if name = strings.TrimSpace(name); name != "" {
			o.sendEnviron = append(o.sendEnviron, name)
		}
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// parseLevel parses --loglevel: slog's level names, and telnetlib3's
// "trace" (below debug), "warning" and "critical" (error).
func parseLevel(s string) (slog.Level, error) {
	extra := map[string]slog.Level{"trace": levelTrace, "warning": slog.LevelWarn, "critical": slog.LevelError}
	if l, ok := extra[strings.ToLower(s)]; ok {
		return l, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--loglevel %q: want trace, debug, info, warn or error", s)
	}
	return l, nil
}

// seconds is a flag.Value for a duration given in seconds ("4", "0.05"),
// as telnetlib3 takes it, or as a Go duration ("50ms").
type seconds time.Duration

func (s *seconds) String() string { return time.Duration(*s).String() }

func (s *seconds) Set(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || f > 1e6 {
			return fmt.Errorf("%q: out of range", v)
		}
		*s = seconds(f * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("%q: want a number of seconds", v)
	}
	*s = seconds(d)
	return nil
}
