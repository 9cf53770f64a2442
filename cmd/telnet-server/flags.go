package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telnetkit/telnet/charset"
)

// errUsage marks an error in the command line; the program exits with
// exitUsage.
var errUsage = errors.New("telnet-server: usage")

// config is the command line, parsed and checked.
type config struct {
	host, port string

	shell        string
	ptyExec      string
	ptyArgs      []string // after "--"
	lineMode     bool
	robotCheck   bool
	ptyForkLimit int

	encoding       string
	encodingErrors charset.Errors
	forceBinary    bool          // given, or implied by the encoding
	idleTimeout    time.Duration // negative: none
	connectMaxWait time.Duration

	logLevel slog.Level
	logFile  string
	logFmt   string
}

// address is the address to listen on.
func (c *config) address() string { return net.JoinHostPort(c.host, c.port) }

// shellNames are the built-in handlers --shell names; telnetlib3's name of
// its debug shell is accepted too.
var shellNames = []string{"debug", "busy", "robot"}

const usageText = `usage: telnet-server [options] [HOST [PORT]] [-- ARG ...]

Serves Telnet on HOST (default localhost), port PORT (default 6023), with
the debug shell (tel:sh>) or the program of --pty-exec, run with the ARGs
after "--" in a pseudo-terminal for each connection. SIGINT or SIGTERM
stops the server, and lets the sessions end.

options:
  --shell NAME            the built-in handler: debug (default), busy or robot
  --pty-exec PROGRAM      run PROGRAM in a pseudo-terminal for each connection
  --line-mode             keep clients in line mode: the server offers neither
                          to echo nor to suppress go-ahead, and the client
                          edits lines itself
  --robot-check           send clients whose terminal does not render a wide
                          character two columns wide to the robot shell; the
                          character must be in the encoding: utf8 has it,
                          cp437 and latin1 do not
  --pty-fork-limit N      serve at most N connections at once; the others get
                          the busy shell (default 0, no limit)
  --encoding NAME         the clients' encoding (default utf8): any name
                          golang.org/x/text knows (latin1, cp437, koi8-r,
                          big5, shift_jis, ...), and petscii, atascii,
                          atarist and big5bbs. The shells speak UTF-8, and
                          each connection converts; CHARSET offers it, and a
                          client's LANG or CHARSET choice overrides it
  --encoding-errors WHAT  what cannot be converted becomes a replacement
                          character (replace, the default), is dropped
                          (ignore), or ends the connection (strict)
  --force-binary          use the encoding whether BINARY is agreed or not,
                          as MUD and BBS clients and netcat expect; implied
                          by every encoding but us-ascii
  --timeout SECS          close a connection idle this long (default 300;
                          0 never)
  --connect-maxwait SECS  wait at most this long for the client's answers to
                          the opening negotiation (default 1.5)
  --loglevel LEVEL        trace, debug, info (default), warn, error or critical
  --logfmt FORMAT         text (default), json, or a Python logging format
                          such as "%(levelname)s %(filename)s:%(lineno)d %(message)s"
  --logfile PATH          log to PATH rather than standard error
`

// parseArgs parses the command line in GNU style: options and operands in
// any order, "--opt value" or "--opt=value", and "--" ending the options,
// what follows being the arguments of --pty-exec's program. It returns
// flag.ErrHelp for --help.
func parseArgs(args []string) (*config, error) {
	c := &config{host: "localhost", port: "6023"}
	fs := flag.NewFlagSet("telnet-server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.shell, "shell", "debug", "")
	fs.StringVar(&c.ptyExec, "pty-exec", "", "")
	fs.BoolVar(&c.lineMode, "line-mode", false, "")
	fs.BoolVar(&c.robotCheck, "robot-check", false, "")
	fs.IntVar(&c.ptyForkLimit, "pty-fork-limit", 0, "")
	fs.StringVar(&c.encoding, "encoding", "utf8", "")
	policy := fs.String("encoding-errors", "replace", "")
	fs.BoolVar(&c.forceBinary, "force-binary", false, "")
	idle, wait := 300*time.Second, 1500*time.Millisecond
	fs.Var((*seconds)(&idle), "timeout", "")
	fs.Var((*seconds)(&wait), "connect-maxwait", "")
	level := fs.String("loglevel", "info", "")
	fs.StringVar(&c.logFmt, "logfmt", "text", "")
	fs.StringVar(&c.logFile, "logfile", "", "")

	var operands []string
	for len(args) > 0 {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			c.ptyArgs = rest
			break
		}
		if len(rest) > 0 {
			// An operand stops Parse; the options after it are parsed
			// on the next turn, as GNU getopt permutes them.
			operands = append(operands, rest[0])
			rest = rest[1:]
		}
		args = rest
	}

	switch len(operands) {
	case 2:
		c.port = operands[1]
		fallthrough
	case 1:
		c.host = operands[0]
	case 0:
	default:
		return nil, fmt.Errorf("%w: too many operands: %q", errUsage, operands)
	}
	if p, err := strconv.ParseUint(c.port, 10, 16); err != nil || p == 0 && c.port != "0" {
		return nil, fmt.Errorf("%w: bad port %q", errUsage, c.port)
	}
	if c.shell == "telnet_server_shell" || c.shell == "telnetlib3.telnet_server_shell" {
		c.shell = "debug"
	}
	if !slices.Contains(shellNames, c.shell) {
		return nil, fmt.Errorf("%w: --shell %q: not one of %s", errUsage, c.shell, strings.Join(shellNames, ", "))
	}
	if len(c.ptyArgs) > 0 && c.ptyExec == "" {
		return nil, fmt.Errorf("%w: arguments after -- need --pty-exec", errUsage)
	}
	if c.ptyForkLimit < 0 {
		return nil, fmt.Errorf("%w: --pty-fork-limit %d: negative", errUsage, c.ptyForkLimit)
	}
	if !charset.Known(c.encoding) {
		return nil, fmt.Errorf("%w: --encoding %q: unknown encoding; the known ones: %s",
			errUsage, c.encoding, strings.Join(charset.Names(), ", "))
	}
	// As telnetlib3's programs: a client sends 8-bit text without BINARY.
	c.forceBinary = c.forceBinary || charset.ForceBinary(c.encoding)
	var err error
	if c.encodingErrors, err = charset.ParseErrors(*policy); err != nil {
		return nil, fmt.Errorf("%w: --encoding-errors: %v", errUsage, err)
	}
	c.idleTimeout, c.connectMaxWait = idle, wait
	if idle == 0 {
		c.idleTimeout = -1
	}
	var ok bool
	if c.logLevel, ok = parseLevel(*level); !ok {
		return nil, fmt.Errorf("%w: --loglevel %q: not one of trace, debug, info, warn, error, critical", errUsage, *level)
	}
	return c, nil
}

// levelTrace is below debug, as telnetlib3's "trace".
const levelTrace = slog.LevelDebug - 4

// levelCritical is above error, as Python's CRITICAL.
const levelCritical = slog.LevelError + 4

func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(s) {
	case "trace":
		return levelTrace, true
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	case "critical", "fatal":
		return levelCritical, true
	}
	return 0, false
}

// seconds is a flag.Value of a duration given in seconds, such as "1.5".
type seconds time.Duration

func (s *seconds) String() string {
	return strconv.FormatFloat(time.Duration(*s).Seconds(), 'g', -1, 64)
}

func (s *seconds) Set(v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1e9 {
		return fmt.Errorf("%q is not a number of seconds", v)
	}
	*s = seconds(f * float64(time.Second))
	return nil
}
