package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/internal/cli"
)

// errUsage marks an error in the command line; the program exits with
// exitUsage.
var errUsage = errors.New("telnet-client: usage")

// errVersion is parseArgs's answer to --version.
var errVersion = errors.New("telnet-client: version")

// A forceMode is what --raw-mode and --line-mode impose on the terminal.
type forceMode uint8

const (
	followServer forceMode = iota // the mode follows the server's ECHO and SGA
	forceRaw                      // --raw-mode
	forceLine                     // --line-mode
)

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
	noCompression  bool // refuse MCCP

	connectMinWait time.Duration
	connectMaxWait time.Duration
	connectTimeout time.Duration

	logLevel slog.Level
	logFmt   string
	logFile  string

	ssl      bool   // TELNETS: TLS from the first byte
	caFile   string // the CAs to trust instead of the system's
	noVerify bool   // take any certificate
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
  --no-compression        refuse MCCP2 and MCCP3 (MUD Client Compression),
                          which are agreed to when the server offers them,
                          except over TLS
  --connect-minwait SECS  wait at least this long before reading the keyboard
                          (default 0); a terminal also waits for the server's
                          ECHO and SGA to stay put for 50 ms
  --connect-maxwait SECS  but no longer than this, and no longer for the
                          server's answers (default 4.0)
  --connect-timeout SECS  give up connecting after this long (default 10)
  --ssl                   speak Telnet over TLS (TELNETS, port 992), checking
                          the server's certificate against the system's CAs
                          and HOST as given
  --ssl-cafile FILE       trust the CA certificates in FILE (PEM) instead of
                          the system's; implies --ssl
  --ssl-no-verify         take any certificate, for any name: encrypted but
                          not authenticated; implies --ssl
  --loglevel LEVEL        trace, debug, info, warn (default), error or critical
  --logfmt FORMAT         text (default), json, or a Python logging format
                          such as "%(levelname)s %(message)s"
  --logfile PATH          log to PATH rather than standard error
  --version               print the version and exit

exit status: 0 when closed with ^], 1 when closed by the server,
2 for a usage error, 3 when the connection failed, 128+N on signal N.
`

// parseArgs parses the command line in GNU style: options and operands in
// any order, "--opt value" or "--opt=value", and "--" ending the options.
// getenv supplies $TERM. It returns flag.ErrHelp for --help, and
// errVersion for --version.
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
	fs.BoolVar(&o.noCompression, "no-compression", false, "")
	o.connectMaxWait = 4 * time.Second
	o.connectTimeout = 10 * time.Second
	fs.Var((*cli.Seconds)(&o.connectMinWait), "connect-minwait", "")
	fs.Var((*cli.Seconds)(&o.connectMaxWait), "connect-maxwait", "")
	fs.Var((*cli.Seconds)(&o.connectTimeout), "connect-timeout", "")
	level := fs.String("loglevel", "warn", "")
	fs.StringVar(&o.logFmt, "logfmt", "text", "")
	fs.StringVar(&o.logFile, "logfile", "", "")
	fs.BoolVar(&o.ssl, "ssl", false, "")
	fs.StringVar(&o.caFile, "ssl-cafile", "", "")
	fs.BoolVar(&o.noVerify, "ssl-no-verify", false, "")
	version := fs.Bool("version", false, "")

	operands, afterDash, err := cli.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if *version {
		return nil, errVersion
	}
	operands = append(operands, afterDash...) // "--" ends the options

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
	if err := cli.CheckPort(o.port, false); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if *raw && *line {
		return nil, fmt.Errorf("%w: --raw-mode and --line-mode exclude each other", errUsage)
	}
	switch {
	case *raw, charset.Retro(o.encoding) && !*line:
		o.force = forceRaw // a home computer's keyboard sends each key
	case *line:
		o.force = forceLine
	}
	if o.speed <= 0 {
		return nil, fmt.Errorf("%w: --speed %d is not a positive number", errUsage, o.speed)
	}
	if !slices.Contains(shells, o.shell) {
		return nil, fmt.Errorf("%w: unknown --shell %q (known: %s)", errUsage, o.shell, strings.Join(shells, ", "))
	}
	if o.encodingErrors, o.forceBinary, err = cli.CheckEncoding(o.encoding, *policy, o.forceBinary); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.logLevel, err = cli.ParseLevel(*level); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if o.caFile != "" && o.noVerify {
		return nil, fmt.Errorf("%w: --ssl-cafile and --ssl-no-verify exclude each other", errUsage)
	}
	o.ssl = o.ssl || o.caFile != "" || o.noVerify
	for _, name := range strings.Split(*environ, ",") {
		if name = strings.TrimSpace(name); name != "" {
			o.sendEnviron = append(o.sendEnviron, name)
		}
	}
	return o, nil
}
