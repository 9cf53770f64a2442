package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/internal/cli"
)

// errUsage marks an error in the command line; the program exits with
// exitUsage.
var errUsage = errors.New("telnet-server: usage")

// errVersion is parseArgs's answer to --version.
var errVersion = errors.New("telnet-server: version")

// config is the command line, parsed and checked.
type config struct {
	host, port string

	shell    string
	ptyExec  string
	ptyArgs  []string // after "--"
	ptyDir   string
	ptyUser  string
	lineMode bool
	// MCCP: offered, refused, or (neither) agreed when a client asks.
	compression, noCompression bool
	robotCheck                 bool
	ptyForkLimit               int

	encoding       string
	encodingErrors charset.Errors
	forceBinary    bool          // given, or implied by the encoding
	idleTimeout    time.Duration // negative: none
	connectMaxWait time.Duration

	logLevel slog.Level
	logFile  string
	logFmt   string

	proxyFrom      []netip.Prefix // who may send a PROXY header
	statusInterval time.Duration  // 0: no status lines

	certFile, keyFile string        // TLS, when certFile is set
	tlsAuto           time.Duration // TLS and plain on one port: the wait for the first byte; 0: TLS only
}

// address is the address to listen on.
func (c *config) address() string { return net.JoinHostPort(c.host, c.port) }

// shellNames are the built-in handlers --shell names; telnetlib3's name of
// its debug shell is accepted too.
var shellNames = []string{"debug", "busy", "robot"}

const usageText = `usage: telnet-server [options] [HOST [PORT]] [-- ARG ...]

Serves Telnet on HOST (default localhost), port PORT (default 6023), with
the debug shell (tel:sh>) or the program of --pty-exec, run with the ARGs
after "--" in a pseudo-terminal for each connection. Started by socket
activation (systemd, LISTEN_FDS), it serves the sockets it is given
instead. SIGINT or SIGTERM stops the server, and lets the sessions end.

options:
  --shell NAME            the built-in handler: debug (default), busy or robot
  --pty-exec PROGRAM      run PROGRAM in a pseudo-terminal for each connection
  --pty-dir DIR           run it in directory DIR (default: the server's)
  --pty-user USER         run it as USER, a name or a numeric ID, with that
                          account's groups, HOME, USER and LOGNAME; the
                          server runs as root. The safe way to run a public
                          server: an unprivileged account for the sessions
  --line-mode             keep clients in line mode: the server offers neither
                          to echo nor to suppress go-ahead, and asks for
                          LINEMODE; the client edits lines itself, with its
                          terminal's special characters, which the pty's
                          terminal then takes
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
  --compression           offer MCCP2 and MCCP3 (MUD Client Compression) to
                          every client; by default they are agreed to only
                          when a client asks. Never over TLS
  --no-compression        refuse MCCP
  --timeout SECS          close a connection idle this long (default 300;
                          0 never)
  --connect-maxwait SECS  wait at most this long for the client's answers to
                          the opening negotiation (default 1.5)
  --proxy-protocol ADDRS  take the client's address from the PROXY protocol
                          header (v1 or v2, as HAProxy's send-proxy and
                          send-proxy-v2 send it) of connections from ADDRS, a
                          comma-separated list of addresses and CIDR prefixes
                          (e.g. 127.0.0.1,10.0.0.0/8); from elsewhere, a
                          header is never believed
  --ssl-certfile FILE     serve Telnet over TLS (TELNETS) with the certificate
                          chain in FILE (PEM), which holds the private key too
                          unless --ssl-keyfile is given
  --ssl-keyfile FILE      the certificate's private key (PEM)
  --tls-auto [SECS]       serve TLS and plain Telnet on one port: a client
                          whose first byte starts a TLS handshake gets TLS;
                          one that sends anything else, or nothing for SECS
                          (default 0.5), gets plain Telnet. Needs
                          --ssl-certfile
  --status-interval SECS  log the connection counts every SECS seconds when
                          they changed (default 20; 0 never)
  --loglevel LEVEL        trace, debug, info (default), warn, error or critical
  --logfmt FORMAT         text (default), json, or a Python logging format
                          such as "%(levelname)s %(filename)s:%(lineno)d %(message)s"
  --logfile PATH          log to PATH rather than standard error
  --version               print the version and exit
`

// parseArgs parses the command line in GNU style (cli.Parse): what
// follows "--" is the arguments of --pty-exec's program. It returns
// flag.ErrHelp for --help, and errVersion for --version.
func parseArgs(args []string) (*config, error) {
	c := &config{host: "localhost", port: "6023"}
	fs := flag.NewFlagSet("telnet-server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.shell, "shell", "debug", "")
	fs.StringVar(&c.ptyExec, "pty-exec", "", "")
	fs.StringVar(&c.ptyDir, "pty-dir", "", "")
	fs.StringVar(&c.ptyUser, "pty-user", "", "")
	fs.BoolVar(&c.lineMode, "line-mode", false, "")
	fs.BoolVar(&c.robotCheck, "robot-check", false, "")
	fs.IntVar(&c.ptyForkLimit, "pty-fork-limit", 0, "")
	fs.StringVar(&c.encoding, "encoding", "utf8", "")
	policy := fs.String("encoding-errors", "replace", "")
	fs.BoolVar(&c.forceBinary, "force-binary", false, "")
	fs.BoolVar(&c.compression, "compression", false, "")
	fs.BoolVar(&c.noCompression, "no-compression", false, "")
	idle, wait := 300*time.Second, 1500*time.Millisecond
	fs.Var((*cli.Seconds)(&idle), "timeout", "")
	fs.Var((*cli.Seconds)(&wait), "connect-maxwait", "")
	proxyFrom := fs.String("proxy-protocol", "", "")
	status := 20 * time.Second
	fs.Var((*cli.Seconds)(&status), "status-interval", "")
	fs.StringVar(&c.certFile, "ssl-certfile", "", "")
	fs.StringVar(&c.keyFile, "ssl-keyfile", "", "")
	tlsAuto := cli.OptionalSeconds{Default: telnet.DefaultAutoTLSWait}
	fs.Var(&tlsAuto, "tls-auto", "")
	level := fs.String("loglevel", "info", "")
	fs.StringVar(&c.logFmt, "logfmt", "text", "")
	fs.StringVar(&c.logFile, "logfile", "", "")
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
	c.ptyArgs = afterDash
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
	if err := cli.CheckPort(c.port, true); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
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
	if (c.ptyDir != "" || c.ptyUser != "") && c.ptyExec == "" {
		return nil, fmt.Errorf("%w: --pty-dir and --pty-user need --pty-exec", errUsage)
	}
	if c.ptyForkLimit < 0 {
		return nil, fmt.Errorf("%w: --pty-fork-limit %d: negative", errUsage, c.ptyForkLimit)
	}
	if c.encodingErrors, c.forceBinary, err = cli.CheckEncoding(c.encoding, *policy, c.forceBinary); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	c.idleTimeout, c.connectMaxWait = idle, wait
	if idle == 0 {
		c.idleTimeout = -1
	}
	if c.logLevel, err = cli.ParseLevel(*level); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if *proxyFrom != "" {
		if c.proxyFrom, err = telnet.ParsePrefixes(*proxyFrom); err != nil {
			return nil, fmt.Errorf("%w: --proxy-protocol: %v", errUsage, err)
		}
	}
	c.statusInterval = status
	if c.keyFile != "" && c.certFile == "" {
		return nil, fmt.Errorf("%w: --ssl-keyfile needs --ssl-certfile", errUsage)
	}
	if tlsAuto.On {
		if c.certFile == "" {
			return nil, fmt.Errorf("%w: --tls-auto needs --ssl-certfile", errUsage)
		}
		if tlsAuto.Value <= 0 {
			return nil, fmt.Errorf("%w: --tls-auto %v: the wait must be more than 0 seconds", errUsage, &tlsAuto)
		}
		c.tlsAuto = tlsAuto.Value
	}
	return c, nil
}
