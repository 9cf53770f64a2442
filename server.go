package telnet

import (
	"context"
	"crypto/tls"
	"errors"
	"iter"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
)

// DefaultAddr is the address [Daemon.ListenAndServe] listens on when
// [Daemon.Addr] is empty: telnetlib3's default, on the loopback interface
// only, so that a server started without thought is not open to the
// network.
const DefaultAddr = "localhost:6023"

// DefaultIdleTimeout is the idle timeout of a [Daemon] whose IdleTimeout is
// zero, as in telnetlib3.
const DefaultIdleTimeout = 300 * time.Second

// ErrServerClosed is returned by [Daemon.Serve] and
// [Daemon.ListenAndServe] after a call to [Daemon.Shutdown] or
// [Daemon.Close]. It is also the cause (see [context.Cause]) of the
// context of a connection cancelled by them.
var ErrServerClosed = errors.New("telnet: server closed")

// ErrIdleTimeout is returned by the Read of a connection served by a
// [Daemon] when the client sent no data for the server's idle timeout,
// and by its Write when the client read nothing for that long.
// The client was told the Daemon's IdleNotice and the connection is
// closed. It is also the cause of the cancellation of the connection's
// context.
var ErrIdleTimeout = errors.New("telnet: idle timeout")

// ErrListenerOptions is returned by [Daemon.Serve] when it is given both
// Options and a listener from [Listen] or [NewListener], which has options
// of its own: the options of the connections go in one place.
var ErrListenerOptions = errors.New("telnet: daemon options given with a telnet listener")

// ErrNoHandler is returned by [Daemon.Serve] when the Daemon has no
// Handler.
var ErrNoHandler = errors.New("telnet: server has no handler")

// A Handler serves one Telnet connection.
//
// ServeTelnet runs in a goroutine of its own for each connection, after
// [Conn.Handshake] (even a failed one: what the client sent before it
// left is still there to read). It may read and write c until it
// returns; the Daemon closes c then. ctx is cancelled when the server
// shuts down, when the client disconnects or stays idle too long, and
// when ServeTelnet returns.
//
// Under a Daemon a handler needs no code of its own to notice
// cancellation: once ctx is cancelled by the Daemon (shutdown, idle
// timeout), a Read of c that is blocked or starts later returns an
// error that wraps [context.Cause] of ctx ([ErrServerClosed],
// [ErrIdleTimeout]), and a Write returns it too once the client has not
// taken the data within a second, so that a handler can still say
// goodbye to a client that reads. A handler must return once c fails. A
// non-nil error is logged by the Daemon.
type Handler interface {
	ServeTelnet(ctx context.Context, c *Conn) error
}

// The HandlerFunc type is an adapter to allow the use of ordinary
// functions as Telnet handlers. If f is a function with the appropriate
// signature, HandlerFunc(f) is a [Handler] that calls f.
type HandlerFunc func(ctx context.Context, c *Conn) error

// ServeTelnet calls f(ctx, c).
func (f HandlerFunc) ServeTelnet(ctx context.Context, c *Conn) error { return f(ctx, c) }

// A Daemon is a Telnet server: it serves connections with a [Handler], the
// way [net/http.Server] serves HTTP requests. (It is not called Server
// because [Server], as in crypto/tls, wraps one connection.) The zero
// value, with a Handler, is ready to use. A Daemon must not be copied
// after first use, and its fields must not be changed while it serves.
type Daemon struct {
	// Addr is the TCP address ListenAndServe listens on; empty means
	// DefaultAddr.
	Addr string

	// Handler serves each connection.
	Handler Handler

	// Options configure each connection, after a WithLogger of Logger,
	// which they may override. Serve given a listener from Listen or
	// NewListener uses that listener's options instead, and Options must
	// then be empty.
	Options []Option

	// IdleTimeout closes a connection whose client sent no data for this
	// long, or read nothing for this long while the handler wrote, after
	// telling it IdleNotice. Only application data (what Read returns)
	// counts: Telnet commands such as IAC NOP and bytes inside a
	// subnegotiation do not keep a connection alive. Zero means
	// DefaultIdleTimeout; a negative value disables the timeout. The
	// timeout is noticed while the handler reads or writes; the Read or
	// Write returns ErrIdleTimeout.
	IdleTimeout time.Duration

	// IdleNotice is written to a client as is (with IAC doubled) before
	// its connection is closed for idleness. Nil means
	// DefaultIdleNotice, so that the zero Daemon says what telnetlib3
	// says; an empty non-nil slice ([]byte{}) sends nothing.
	IdleNotice []byte

	// MaxConns limits the connections served by Handler at once; zero
	// means no limit. A connection beyond the limit is served by
	// BusyHandler instead, or closed at once when BusyHandler is nil or
	// already serves MaxConns connections itself.
	MaxConns int

	// BusyHandler serves the connections beyond MaxConns.
	BusyHandler Handler

	// Logger logs connections, handler errors and panics, and, at debug
	// level, each connection's negotiation. Handlers reach it with
	// LoggerFromContext. Nil logs nothing.
	Logger *slog.Logger

	// ConnState, when not nil, is called as each connection changes
	// state (see ConnState), from the goroutine serving it, so that
	// StateNew comes first and StateClosed last, and calls for one
	// connection never overlap. It must not block long: the connection
	// waits for it.
	ConnState func(*Conn, ConnState)

	// TLSConfig configures TLS for ListenAndServeTLS and ServeTLS, which
	// use a copy of it with their certificate; nil is the zero
	// configuration.
	TLSConfig *tls.Config

	counters daemonCounters

	mu         sync.Mutex
	inShutdown bool
	done       chan struct{} // closed at shutdown
	listeners  map[*net.Listener]struct{}
	conns      map[*serverConn]struct{} // every connection not closed yet
	running    int                      // connections served by Handler
	busy       int                      // connections served by BusyHandler
	drained    chan struct{}            // closed when conns becomes empty
}

// A ConnState is a state of a connection served by a [Daemon], reported
// to its ConnState hook.
type ConnState int

const (
	// StateNew is a connection just accepted, whose handshake starts.
	StateNew ConnState = iota
	// StateActive is a connection whose handshake is over (done, or
	// given up), served by the Handler or the BusyHandler.
	StateActive
	// StateClosed is a connection whose handler has returned, closed.
	// It is the last state.
	StateClosed
)

var connStateNames = [...]string{StateNew: "new", StateActive: "active", StateClosed: "closed"}

// String returns the state's name in lower case, such as "active".
func (s ConnState) String() string {
	if s >= 0 && int(s) < len(connStateNames) {
		return connStateNames[s]
	}
	return "ConnState(" + strconv.Itoa(int(s)) + ")"
}

// ListenAndServe listens on the TCP address d.Addr and serves the
// connections accepted, as [Daemon.Serve] does.
func (d *Daemon) ListenAndServe() error {
	if d.shuttingDown() {
		return ErrServerClosed
	}
	addr := d.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return d.Serve(l)
}

// Serve accepts connections on l and serves each in a new goroutine:
// it wraps the connection in a [*Conn] in the server role with d.Options,
// runs [Conn.Handshake], then the Handler. l may be any listener: from
// [net.Listen], [crypto/tls.NewListener] for Telnet over TLS, or
// [Listen] and [NewListener], whose options then replace d.Options.
//
// Serve always returns a non-nil error and closes l. After
// [Daemon.Shutdown] or [Daemon.Close], the error is [ErrServerClosed].
func (d *Daemon) Serve(l net.Listener) error {
	if d.Handler == nil {
		l.Close()
		return ErrNoHandler
	}
	inner, cfg := l, (*config)(nil)
	if tl, ok := l.(*listener); ok {
		// Its Accept would wrap too early: the idle watch must sit
		// between the network and the Conn.
		if len(d.Options) > 0 {
			l.Close()
			return ErrListenerOptions
		}
		inner, cfg = tl.Listener, tl.cfg
	} else {
		// One configuration for every Conn, as a listener has.
		cfg = newConfig(false, append([]Option{WithLogger(d.Logger)}, d.Options...))
	}
	if cfg.err != nil {
		l.Close()
		return cfg.err
	}
	if !d.trackListener(&l, true) {
		l.Close()
		return ErrServerClosed
	}
	defer d.trackListener(&l, false)
	defer l.Close()

	var delay time.Duration // how long to sleep on a failing Accept
	for {
		nc, err := inner.Accept()
		if err != nil {
			if d.shuttingDown() {
				return ErrServerClosed
			}
			if !isTemporary(err) {
				return err
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			d.logger().Warn("telnet: accept failed; retrying", "err", err, "delay", delay)
			if !d.sleep(delay) {
				return ErrServerClosed
			}
			continue
		}
		delay = 0
		d.start(nc, cfg)
	}
}

// isTemporary reports whether an Accept error may go away, such as a
// process out of file descriptors.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// sleep waits for delay, and reports false if the server shut down meanwhile.
func (d *Daemon) sleep(delay time.Duration) bool {
	d.mu.Lock()
	done := d.doneLocked()
	d.mu.Unlock()
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

func (d *Daemon) doneLocked() chan struct{} {
	if d.done == nil {
		d.done = make(chan struct{})
	}
	return d.done
}

// trackListener adds or removes l from the listeners Shutdown closes. It
// reports false when adding to a server that is shutting down.
func (d *Daemon) trackListener(l *net.Listener, add bool) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !add {
		delete(d.listeners, l)
		return true
	}
	if d.inShutdown {
		return false
	}
	if d.listeners == nil {
		d.listeners = make(map[*net.Listener]struct{})
	}
	d.listeners[l] = struct{}{}
	return true
}

func (d *Daemon) shuttingDown() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inShutdown
}

// logger returns the Daemon's logger, or one that discards.
func (d *Daemon) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

func (d *Daemon) idleTimeout() time.Duration {
	switch {
	case d.IdleTimeout == 0:
		return DefaultIdleTimeout
	case d.IdleTimeout < 0:
		return 0
	}
	return d.IdleTimeout
}

// start serves the accepted connection nc in a new goroutine, unless the
// server is shutting down or full.
func (d *Daemon) start(nc net.Conn, cfg *config) {
	d.counters.accepted.Add(1)
	d.mu.Lock()
	if d.inShutdown {
		d.mu.Unlock()
		d.counters.refused.Add(1)
		nc.Close()
		return
	}
	h, busy := d.Handler, d.MaxConns > 0 && d.running >= d.MaxConns
	if busy {
		if d.BusyHandler == nil || d.busy >= d.MaxConns {
			d.mu.Unlock()
			d.counters.refused.Add(1)
			d.logger().Warn("telnet: connection refused: server full", "limit", d.MaxConns, "from", directAddr(nc))
			nc.Close()
			return
		}
		h = d.BusyHandler
		d.busy++
		d.counters.busy.Add(1)
	} else {
		d.running++
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	notice := d.IdleNotice
	if notice == nil {
		notice = []byte(DefaultIdleNotice)
	}
	sc := newServerConn(ctx, cancel, nc, d.idleTimeout(), notice, nil) // serve sets its logger
	sc.busy = busy
	sc.counters = &d.counters
	c := newConnConfig(sc, cfg)
	c.outer = nc
	c.onData = sc.dataRead
	sc.tc = c
	if d.conns == nil {
		d.conns = make(map[*serverConn]struct{})
	}
	d.conns[sc] = struct{}{}
	d.mu.Unlock()

	go d.serve(ctx, sc, c, h)
}

// serve runs the handler of one connection, closes the connection when
// it is done, and forgets it.
func (d *Daemon) serve(ctx context.Context, sc *serverConn, c *Conn, h Handler) {
	start := time.Now()
	// Here, not in the accept loop: behind a PROXY listener, the address
	// waits for the header.
	sc.log = d.logger().With("peer", sc.Conn.RemoteAddr().String())
	defer func() {
		if r := recover(); r != nil {
			sc.log.Error("telnet: handler panicked", "panic", r, "stack", string(debug.Stack()))
		}
		sc.stop(context.Canceled)
		d.release(sc)
		sc.lingerClose()
		sc.log.Info("telnet: connection closed", "duration", time.Since(start).Round(time.Millisecond))
		d.setState(c, StateClosed)
		d.forget(sc)
	}()
	d.setState(c, StateNew)
	sc.log.Info("telnet: connection opened", "busy", sc.busy)
	if err := c.Handshake(ctx); err != nil {
		// The handler still runs, unless the server is shutting down:
		// what the client sent before it left is data to read.
		sc.log.Debug("telnet: handshake failed", "err", err)
		if errors.Is(context.Cause(ctx), ErrServerClosed) {
			return
		}
	}
	ctx = context.WithValue(ctx, loggerKey{}, sc.log)
	sc.active.Store(true)
	d.setState(c, StateActive)
	if err := h.ServeTelnet(ctx, c); err != nil && !quietError(ctx, err) {
		sc.log.Warn("telnet: handler failed", "err", err)
	}
}

// quietError reports whether a handler's error is only the end of its
// connection, which is not worth a warning.
func quietError(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, net.ErrClosed) || errors.Is(err, ErrIdleTimeout) ||
		errors.Is(err, context.Canceled) || errors.Is(err, ErrServerClosed)
}

func (d *Daemon) setState(c *Conn, s ConnState) {
	if d.ConnState != nil {
		d.ConnState(c, s)
	}
}

// release gives back the slot of a connection whose handler returned,
// before its close lingers.
func (d *Daemon) release(sc *serverConn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if sc.busy {
		d.busy--
	} else {
		d.running--
	}
	sc.active.Store(false)
}

// forget drops a closed connection.
func (d *Daemon) forget(sc *serverConn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.conns, sc)
	if len(d.conns) == 0 && d.drained != nil {
		close(d.drained)
		d.drained = nil
	}
}

// Conns returns an iterator over the connections whose Handler (not
// BusyHandler) is running, for a chat server to broadcast to, say. It
// yields the connections served when it is called; one may end while
// the loop runs, and a Write to it then fails. A Conn may be written to
// from several goroutines at once.
func (d *Daemon) Conns() iter.Seq[*Conn] {
	return func(yield func(*Conn) bool) {
		d.mu.Lock()
		conns := make([]*Conn, 0, d.running)
		for sc := range d.conns {
			if !sc.busy && sc.active.Load() {
				conns = append(conns, sc.tc)
			}
		}
		d.mu.Unlock()
		for _, c := range conns {
			if !yield(c) {
				return
			}
		}
	}
}

// Shutdown shuts the server down gracefully: it closes the listeners,
// cancels the context of every connection, which makes their blocked
// Reads return ErrServerClosed, and waits for the handlers to return
// and the connections to close. If ctx ends first, it closes the
// connections left and returns ctx's error at once, as
// [net/http.Server.Shutdown] does; handlers that ignore the closing of
// their connection may then still run.
//
// Once Shutdown has been called, Serve and ListenAndServe return
// ErrServerClosed. Shutdown must not be called from a handler, which
// would wait for itself.
func (d *Daemon) Shutdown(ctx context.Context) error {
	d.mu.Lock()
	err := d.shutdownLocked()
	drained := d.drainedLocked()
	d.mu.Unlock()

	select {
	case <-drained:
		return err
	case <-ctx.Done():
	}
	d.mu.Lock()
	for sc := range d.conns {
		sc.Conn.Close()
	}
	d.mu.Unlock()
	return ctx.Err()
}

// Close closes the listeners and every connection at once, and cancels
// their contexts. It does not wait for the handlers to return; call
// [Daemon.Shutdown] for that.
func (d *Daemon) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	err := d.shutdownLocked()
	for sc := range d.conns {
		sc.Conn.Close()
	}
	return err
}

// shutdownLocked stops accepting and cancels the context of every
// connection. It returns the errors of closing the listeners.
func (d *Daemon) shutdownLocked() error {
	if !d.inShutdown {
		d.inShutdown = true
		close(d.doneLocked())
	}
	for sc := range d.conns {
		sc.stop(ErrServerClosed)
	}
	var errs []error
	for l := range d.listeners {
		if err := (*l).Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// drainedLocked returns a channel closed when no connection is left.
func (d *Daemon) drainedLocked() <-chan struct{} {
	if len(d.conns) == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	if d.drained == nil {
		d.drained = make(chan struct{})
	}
	return d.drained
}

type loggerKey struct{}

// LoggerFromContext returns the logger of the connection whose handler
// received ctx from a [Daemon]: the Daemon's Logger, with the client's
// address. Without one, it returns a logger that discards everything.
func LoggerFromContext(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.New(slog.DiscardHandler)
}
