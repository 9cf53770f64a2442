// Command telnet-server is a Telnet server: telnetlib3-server's command
// line on this module's [telnet.Daemon] and [shells].
//
// Usage:
//
//	telnet-server [options] [HOST [PORT]] [-- ARG ...]
//
// It listens on HOST (localhost by default), port PORT (6023), and serves
// each connection with the debug shell, tel:sh>, or with the program of
// --pty-exec run in a pseudo-terminal with the ARGs after "--". Options
// and operands may come in any order, GNU style:
//
//	telnet-server --pty-exec /bin/bash -- --login
//	telnet-server --robot-check --pty-fork-limit 4 --pty-exec /bin/sh
//	telnet-server 127.0.0.1 6023 --encoding=utf8 --force-binary
//
// The program of --pty-exec starts with the server's PATH, HOME, USER,
// LOGNAME, SHELL and LANG, then the client's terminal type, window size
// and locale, each checked for its form; nothing the client sends becomes
// an argument (see shells.PtyShell). Every process of a session ends
// with it. A public server should run its sessions as an unprivileged
// account: start it as root with --pty-user (nobody, say) and --pty-dir.
//
// The shells and the program of --pty-exec speak UTF-8; --encoding names
// the clients' encoding (utf8 by default, cp437 for a BBS, say), into
// and out of which each connection converts. The server offers it with
// CHARSET, and a client's choice there, or its LANG, overrides it. Every
// encoding but us-ascii implies --force-binary, as in telnetlib3: the
// encoding applies from the first byte, whether BINARY is agreed or not,
// since MUD and BBS clients (and netcat) send 8-bit text without it.
//
// With --ssl-certfile (and --ssl-keyfile, unless the file holds the key)
// it serves Telnet over TLS from the first byte, TELNETS, which openssl
// s_client, socat's OPENSSL address, telnet-ssl -z ssl and telnet-client
// --ssl speak; the debug shell greets with "Ready (secure: TLSv1.3).".
// With --tls-auto too, one port serves both: a client whose first byte
// starts a TLS handshake gets TLS, any other (or one silent for the
// wait, as Telnet clients are) plain Telnet:
//
//	telnet-server --ssl-certfile cert.pem --ssl-keyfile key.pem 0.0.0.0 992
//	telnet-server --ssl-certfile both.pem --tls-auto 0.5
//
// SIGINT or SIGTERM stops it gracefully: it stops accepting, ends the
// sessions (a pty program gets SIGHUP) and exits 0 once they are done, or
// after 10 seconds. Run it with --help for the options.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"os/user"
	"syscall"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/cli"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
)

// The exit statuses.
const (
	exitOK     = 0
	exitFailed = 1 // could not listen, or serving failed
	exitUsage  = 2
)

// shutdownGrace is how long the sessions have to end after SIGINT or
// SIGTERM.
const shutdownGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run is the program: it parses args, serves until ctx ends, and returns
// the exit status. ready, if not nil, is called with the address listened
// on once the server accepts.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(net.Addr)) int {
	cfg, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	if errors.Is(err, errVersion) {
		fmt.Fprintln(stdout, cli.Version("telnet-server"))
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\nRun telnet-server --help for the options.\n", err)
		return exitUsage
	}
	logw := stderr
	if cfg.logFile != "" {
		f, err := cli.OpenLogFile(cfg.logFile)
		if err != nil {
			fmt.Fprintf(stderr, "telnet-server: %v\n", err)
			return exitFailed
		}
		defer f.Close()
		logw = f
	}
	h, err := cli.NewHandler(logw, cfg.logFmt, cfg.logLevel, "telnet-server")
	if err != nil {
		fmt.Fprintf(stderr, "%v: %v\nRun telnet-server --help for the options.\n", errUsage, err)
		return exitUsage
	}
	log := slog.New(h)
	d, err := newDaemon(cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitUsage
	}

	ls, err := listeners(cfg, d.TLSConfig, log)
	if err != nil {
		log.Error("telnet-server: " + err.Error())
		return exitFailed
	}
	if ready != nil {
		ready(ls[0].Addr())
	}
	served := make(chan error, len(ls))
	for _, l := range ls {
		go func() { served <- d.Serve(l) }()
	}
	stopStatus := logStatus(d, cfg.statusInterval, log)
	defer stopStatus()
	select {
	case err := <-served:
		log.Error("telnet-server: " + err.Error())
		d.Close()
		return exitFailed
	case <-ctx.Done():
	}
	log.Info("Server stop.")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := d.Shutdown(shutdownCtx); err != nil {
		log.Warn("telnet-server: sessions cut short", "err", err)
	}
	for range ls {
		<-served
	}
	return exitOK
}

// listeners returns the sockets to serve: those of socket activation, if
// the program was given any, else one listening on cfg's address; behind
// the PROXY listener when --proxy-protocol says so (the header comes
// before TLS), and with TLS, or TLS or plain, when tlsConfig is not nil.
func listeners(cfg *config, tlsConfig *tls.Config, log *slog.Logger) ([]net.Listener, error) {
	ls, err := telnet.ActivationListeners()
	if err != nil {
		return nil, err
	}
	how := " (socket activation)"
	if len(ls) == 0 {
		l, err := net.Listen("tcp", cfg.address())
		if err != nil {
			return nil, err
		}
		ls, how = []net.Listener{l}, ""
	}
	switch {
	case tlsConfig != nil && cfg.tlsAuto > 0:
		how += " (TLS and plain)"
	case tlsConfig != nil:
		how += " (TLS)"
	}
	for i, l := range ls {
		log.Info("Server ready on " + l.Addr().String() + how)
		if cfg.proxyFrom != nil {
			l = telnet.NewProxyListener(l, cfg.proxyFrom...)
		}
		switch {
		case tlsConfig != nil && cfg.tlsAuto > 0:
			l = telnet.NewAutoTLSListener(l, tlsConfig, cfg.tlsAuto)
		case tlsConfig != nil:
			l = tls.NewListener(l, tlsConfig)
		}
		ls[i] = l
	}
	return ls, nil
}

// logStatus logs d's connection counts every interval when they changed,
// as telnetlib3's --status-interval, until the function it returns is
// called.
func logStatus(d *telnet.Daemon, interval time.Duration, log *slog.Logger) (stop func()) {
	if interval <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(interval)
		defer t.Stop()
		var last telnet.DaemonStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			s := d.Stats()
			if s.Open == last.Open && s.Accepted == last.Accepted {
				continue
			}
			last = s
			log.Info("telnet-server: status", "open", s.Open, "accepted", s.Accepted, "busy", s.Busy,
				"refused", s.Refused, "idle_timeouts", s.IdleTimeouts, "bytes_in", s.BytesIn, "bytes_out", s.BytesOut)
		}
	}()
	return func() { close(done); <-exited }
}

// ptyEnv is the environment --pty-exec's program starts with: the
// server's own PATH, HOME, USER, LOGNAME, SHELL and LANG, as telnetd
// gives login, and nothing else of it. The client's terminal type,
// window size and locale come on top, as shells.PtyShell says.
func ptyEnv(getenv func(string) string) []string {
	env := []string{shells.DefaultPtyPath}
	for _, name := range []string{"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG"} {
		if v := getenv(name); v != "" {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// lookupUser finds the account name, or the account of the numeric ID.
func lookupUser(name string) (*user.User, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if byID, idErr := user.LookupId(name); idErr == nil {
			return byID, nil
		}
	}
	return u, err
}

// newDaemon returns the server the command line asks for.
func newDaemon(cfg *config, log *slog.Logger) (*telnet.Daemon, error) {
	opts := []telnet.Option{
		telnet.WithNegotiationTimeout(cfg.connectMaxWait),
		telnet.WithEncoding(cfg.encoding),
		telnet.WithEncodingErrors(cfg.encodingErrors),
	}
	if cfg.forceBinary {
		opts = append(opts, telnet.WithForceBinary())
	}
	if cfg.lineMode {
		opts = append(opts, telnet.WithLineMode())
	}
	switch {
	case cfg.compression:
		opts = append(opts, telnet.WithCompression())
	case !cfg.noCompression:
		opts = append(opts, telnet.WithLocalOption(negotiate.MCCP2, telnet.Accept),
			telnet.WithLocalOption(negotiate.MCCP3, telnet.Accept))
	}
	h := map[string]telnet.Handler{
		"debug": shells.Debug(),
		"busy":  shells.Busy(),
		"robot": shells.Robot(),
	}[cfg.shell]
	if cfg.ptyExec != "" {
		p := shells.Pty(cfg.ptyExec, cfg.ptyArgs...)
		p.Env = ptyEnv(os.Getenv)
		p.LineMode = cfg.lineMode
		p.Dir = cfg.ptyDir
		if cfg.ptyDir != "" {
			if fi, err := os.Stat(cfg.ptyDir); err != nil || !fi.IsDir() {
				return nil, fmt.Errorf("telnet-server: --pty-dir %s: not a directory", cfg.ptyDir)
			}
		}
		if cfg.ptyUser != "" {
			u, err := lookupUser(cfg.ptyUser)
			if err != nil {
				return nil, fmt.Errorf("telnet-server: --pty-user: %w", err)
			}
			p.User = u.Uid
			p.Env = append(p.Env, "HOME="+u.HomeDir, "USER="+u.Username, "LOGNAME="+u.Username)
		}
		h = p
		// The program gets the bytes a terminal sends, and the client the
		// bytes the program writes.
		opts = append(opts, telnet.WithRawLineEndings())
	}
	if cfg.robotCheck {
		h = shells.RobotCheck(h, nil)
	}
	d := &telnet.Daemon{
		Handler:     h,
		Options:     opts,
		IdleTimeout: cfg.idleTimeout,
		MaxConns:    cfg.ptyForkLimit,
		Logger:      log,
	}
	if cfg.ptyForkLimit > 0 {
		d.BusyHandler = shells.Busy()
	}
	if cfg.certFile != "" {
		cert, err := telnet.LoadKeyPair(cfg.certFile, cfg.keyFile)
		if err != nil {
			return nil, fmt.Errorf("telnet-server: --ssl-certfile: %w", err)
		}
		d.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	return d, nil
}
