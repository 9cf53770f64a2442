// Command telnet-client connects a terminal to a Telnet server.
//
// Usage:
//
//	telnet-client [options] HOST [PORT]
//
// It dials HOST on PORT (23 by default) and puts the terminal in raw
// mode, restored on every way out, signals included. What is typed is
// treated as the server asks, and changes when the server changes its
// mind (a password prompt):
//
//   - the server echoes and suppresses go-ahead: keys go as they are
//     typed, and the server's echo is all that shows;
//   - it suppresses go-ahead only: keys go as they are typed, echoed here;
//   - it does neither: a line at a time, edited and echoed here (erase,
//     ^U, ^W), with ^C, ^\ and ^Z sent as IAC IP, ABORT and SUSP;
//   - it echoes only: a line at a time, echoed by nobody (a MUD's
//     password prompt).
//
// --raw-mode and --line-mode impose keys or lines; the echo still follows
// the server, so that a password is never shown. Enter goes as CR LF, or
// as a bare CR once the client sends in BINARY mode.
//
// ^] closes the connection ("Connection closed.", exit status 0); a server
// that closes gives "Connection closed by foreign host." and exit status
// 1. The window size is sent (NAWS) at once and again when the terminal
// is resized; the terminal type comes from $TERM or --term, the
// environment the server may read from the --send-environ allow-list.
// --encoding names the server's encoding (cp437 for a BBS, say), which the
// connection converts to and from the terminal's UTF-8; a server that
// offers CHARSET gets it chosen there. Every encoding but us-ascii
// implies --force-binary, and the retro ones (petscii, atascii, atarist)
// --raw-mode, unless --line-mode is given.
//
// With standard input not a terminal, or with --shell pipe, it copies
// standard input to the server and the server's output to standard
// output, like nc, with "\n" sent as CR LF and every end of line read as
// "\n"; it ends when the server closes.
//
// --ssl speaks Telnet over TLS from the first byte (TELNETS, registered
// on port 992), checking the server's certificate for HOST as given,
// against the system's CAs or those of --ssl-cafile; --ssl-no-verify
// takes any certificate. Run it with --help for the options.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/internal/cli"
	"github.com/telnetkit/telnet/negotiate"
)

// The exit statuses.
const (
	exitClosed  = 0 // closed with ^]
	exitForeign = 1 // closed by the server
	exitUsage   = 2
	exitFailed  = 3 // could not connect, or the connection failed
)

func main() {
	signal.Ignore(syscall.SIGPIPE) // a closed output is an error to report, not a death
	os.Exit(runStdio())
}

// runStdio runs the program on the standard files, and gives standard
// input back as it found it, even on a panic.
func runStdio() int {
	sio := openStdio()
	defer sio.restore()
	return run(context.Background(), os.Args[1:], os.Getenv, sio)
}

// run is the program: it parses args, connects, runs the session and
// returns the exit status. getenv reads the environment.
func run(ctx context.Context, args []string, getenv func(string) string, sio *stdio) int {
	o, err := parseArgs(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sio.out, usageText)
		return 0
	}
	if errors.Is(err, errVersion) {
		fmt.Fprintln(sio.out, cli.Version("telnet-client"))
		return 0
	}
	if err != nil {
		fmt.Fprintf(sio.errOut, "%v\nTry 'telnet-client --help'.\n", err)
		return exitUsage
	}
	termMode := o.shell == "terminal" && sio.isTerminal()
	logger, closeLog, err := openLogger(o, sio, termMode)
	if err != nil {
		fmt.Fprintln(sio.errOut, err)
		return exitUsage
	}
	defer closeLog()

	var tty terminal
	cols, rows := 0, 0
	if termMode {
		tty = sio.terminal()
		cols, rows, _ = tty.size()
	}
	opts := dialOptions(o, getenv, logger, tty, cols, rows)
	tlsConfig, err := clientTLSConfig(o)
	if err != nil {
		fmt.Fprintf(sio.errOut, "telnet-client: %v\n", err)
		return exitUsage
	}

	// Signals end the session; until it starts, they end the dial.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, stopSignals...)
	defer signal.Stop(stop)
	resize := make(chan os.Signal, 1)
	signal.Notify(resize, resizeSignals...)
	defer signal.Stop(resize)

	dialCtx, cancel := context.WithTimeout(ctx, o.connectTimeout)
	defer cancel()
	dialDone := make(chan struct{})
	var sig os.Signal
	go func() { // owned: waited for below
		defer close(dialDone)
		select {
		case sig = <-stop:
			cancel()
		case <-dialCtx.Done():
		}
	}()
	conn, err := dial(dialCtx, o, tlsConfig, opts)
	cancel()
	<-dialDone
	if sig != nil {
		if conn != nil {
			conn.Close()
		}
		return signalStatus(sig)
	}
	if err != nil {
		fmt.Fprintf(sio.errOut, "telnet-client: %v\n", err)
		return exitFailed
	}
	defer conn.Close()

	s := newSession(o, conn, tty, logger)
	s.in, s.interruptInput, s.screen = sio.in, sio.interruptInput, newScreen(sio.out)
	s.stop, s.resize = stop, resize
	if termMode {
		s.screen.message("Connected to " + o.host + ".")
		s.screen.message("Escape character is '^]'.")
	}
	r := s.run(ctx)
	switch r.end {
	case endUser:
		return exitClosed
	case endForeign:
		if r.err != nil {
			logger.Info("telnet-client: connection lost", "err", r.err)
		}
		return exitForeign
	case endSignal:
		return signalStatus(r.sig)
	}
	fmt.Fprintf(sio.errOut, "%v\n", r.err)
	return exitFailed
}

// clientTLSConfig returns the TLS configuration of --ssl, or nil without
// it. The certificate is checked for the host as given on the command
// line, against the CAs of --ssl-cafile or else the system's.
func clientTLSConfig(o *options) (*tls.Config, error) {
	if !o.ssl {
		return nil, nil
	}
	config := &tls.Config{ServerName: o.host, InsecureSkipVerify: o.noVerify}
	if o.caFile != "" {
		pem, err := os.ReadFile(o.caFile)
		if err != nil {
			return nil, fmt.Errorf("--ssl-cafile: %w", err)
		}
		config.RootCAs = x509.NewCertPool()
		if !config.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ssl-cafile %s: no PEM certificate in it", o.caFile)
		}
	}
	return config, nil
}

// dial connects to the server, over TLS when tlsConfig is not nil. A
// certificate refused says what to do about it.
func dial(ctx context.Context, o *options, tlsConfig *tls.Config, opts []telnet.Option) (*telnet.Conn, error) {
	if tlsConfig == nil {
		return telnet.DialContext(ctx, "tcp", o.address(), opts...)
	}
	c, err := telnet.DialTLSContext(ctx, "tcp", o.address(), tlsConfig, opts...)
	var refused *tls.CertificateVerificationError
	if errors.As(err, &refused) {
		trust := "the system's CAs"
		if o.caFile != "" {
			trust = "the CAs of " + o.caFile
		}
		return nil, fmt.Errorf("%w\n(the server's certificate is not valid for %s with %s: give its CA with --ssl-cafile, or --ssl-no-verify to connect unauthenticated)", err, o.host, trust)
	}
	return c, err
}

// dialOptions returns the options of the client's Conn. A terminal
// session, on tty, has cols x rows, when known, and takes raw line
// endings: bytes reach the terminal as the server sent them, and the
// keyboard decides how Enter is sent, per mode; it does LINEMODE, with the
// terminal's special characters, as the keyboard can edit lines here,
// unless a mode is forced on it, which the server's MODE would not change.
// A pipe (tty nil) takes the Conn's text line endings. Both read and write
// UTF-8, which the Conn converts from and to the server's encoding.
func dialOptions(o *options, getenv func(string) string, logger *slog.Logger, tty terminal, cols, rows int) []telnet.Option {
	opts := []telnet.Option{
		telnet.WithTerminalType(o.term),
		telnet.WithTerminalSpeed(o.speed, o.speed),
		telnet.WithEnv(environ(o, getenv, cols, rows)),
		telnet.WithNegotiationTimeout(o.connectMaxWait),
		telnet.WithLogger(logger),
		telnet.WithEncoding(o.encoding),
		telnet.WithEncodingErrors(o.encodingErrors),
	}
	if o.forceBinary {
		opts = append(opts, telnet.WithForceBinary())
	}
	if !o.noCompression {
		opts = append(opts, telnet.WithCompression())
	}
	if cols > 0 && rows > 0 {
		opts = append(opts, telnet.WithWindowSize(cols, rows))
	}
	if tty != nil {
		opts = append(opts, telnet.WithRawLineEndings())
	}
	if tty != nil && o.force == followServer {
		opts = append(opts, telnet.WithLocalOption(negotiate.Linemode, telnet.Accept))
		if slc := tty.specialChars(); slc != nil {
			opts = append(opts, telnet.WithSLC(slc))
		}
	}
	return opts
}

// signalStatus is the exit status after a signal, as a shell reports it.
func signalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitFailed
}

// environ returns the variables of the --send-environ list that have a
// value: TERM is the terminal type reported, COLUMNS and LINES the
// terminal's size when known, LANG the locale with the encoding of the
// wire, the rest from the environment.
func environ(o *options, getenv func(string) string, cols, rows int) map[string]string {
	env := make(map[string]string)
	for _, name := range o.sendEnviron {
		v := getenv(name)
		switch {
		case name == "TERM":
			v = o.term
		case name == "COLUMNS" && cols > 0:
			v = strconv.Itoa(cols)
		case name == "LINES" && rows > 0:
			v = strconv.Itoa(rows)
		case name == "LANG":
			// The Conn converts: the server gets LANG with the wire's
			// codeset, which it takes over CHARSET's (telnetlib3 does;
			// RFC 2066 leaves it open).
			v = charset.LangWithCharset(v, o.encoding)
		}
		if v != "" {
			env[name] = v
		}
	}
	return env
}

// openLogger returns the logger of --loglevel, --logfmt and --logfile,
// and a function that closes the log file.
func openLogger(o *options, sio *stdio, termMode bool) (*slog.Logger, func(), error) {
	var w io.Writer = sio.errOut
	closeLog := func() {}
	if o.logFile != "" {
		f, err := cli.OpenLogFile(o.logFile)
		if err != nil {
			return nil, nil, fmt.Errorf("telnet-client: %w", err)
		}
		w, closeLog = f, func() { f.Close() }
	} else if termMode {
		w = crlfWriter{w} // the terminal is raw while the session runs
	}
	h, err := cli.NewHandler(w, o.logFmt, o.logLevel, "telnet-client")
	if err != nil {
		closeLog()
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return slog.New(h), closeLog, nil
}
