package telnet

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultIdleNotice is what a [Daemon] whose IdleNotice is nil tells a
// client idle for too long, as telnetlib3 tells it.
const DefaultIdleNotice = "\r\nTimeout.\r\n"

// shutdownWriteGrace bounds a Write of a connection whose server shuts
// down: long enough for a goodbye to a client that reads, short enough
// that a client that reads nothing cannot hold Shutdown back.
const shutdownWriteGrace = time.Second

// A connection whose handler returned is drained before it is closed,
// for lingerTime at most, and until the client is quiet for lingerQuiet:
// closing a socket with no unread bytes sends no reset, and a silent
// client need not hold Shutdown back for long.
const (
	lingerTime  = time.Second
	lingerQuiet = 250 * time.Millisecond
)

// A serverConn is the network connection under a Conn served by a
// Daemon. It keeps the idle clock and carries the Daemon's cancellation
// to the Conn's reads and writes, so that serving a connection takes no
// goroutine besides the handler's.
//
// The idle clock runs on application data only: the Conn calls dataRead
// each time its Read returns data, so that protocol traffic (IAC NOP, an
// SB that never ends) does not keep a connection alive. The idle timeout
// is a read deadline on the network connection, moved on lazily: it is
// only looked at when it expires, so the data path costs one clock
// reading per Read.
//
// Once the Daemon stops the connection (stop), the read deadline is in
// the past for good, so that a blocked or later Read returns the cause,
// and writes get shutdownWriteGrace.
type serverConn struct {
	net.Conn
	idle   time.Duration // 0: no idle timeout
	notice []byte        // told to a client that timed out, escaped
	ctx    context.Context
	cancel context.CancelCauseFunc
	log    *slog.Logger
	tc     *Conn // the Conn over sc, set before sc is used
	// counters, when set before sc is used, counts the traffic and idle
	// timeouts of the Daemon's connections.
	counters *daemonCounters
	busy     bool        // served by the BusyHandler
	active   atomic.Bool // the handler runs
	closed   atomic.Bool // Close was called, by the handler or the Daemon

	lastData atomic.Int64          // when Read last returned data, in Unix nanoseconds
	stopped  atomic.Pointer[error] // why the Daemon stopped the connection

	dmu       sync.Mutex // guards userRead and the read deadline set on Conn
	userRead  time.Time  // the read deadline the Conn asked for
	wmu       sync.Mutex // serialises writes, so that the notice splits none
	wdmu      sync.Mutex // guards userWrite, writeIdle, writeStop and the write deadline
	userWrite time.Time  // the write deadline the Conn asked for
	writeIdle time.Time  // when the write in progress stalls too long
	writeStop time.Time  // when writes end after stop
}

func newServerConn(ctx context.Context, cancel context.CancelCauseFunc, nc net.Conn, idle time.Duration, notice []byte, log *slog.Logger) *serverConn {
	sc := &serverConn{Conn: nc, idle: idle, ctx: ctx, cancel: cancel, log: log}
	sc.notice = bytes.ReplaceAll(notice, []byte{iac}, []byte{iac, iac})
	now := time.Now()
	sc.lastData.Store(now.UnixNano())
	if idle > 0 {
		nc.SetReadDeadline(now.Add(idle))
	}
	return sc
}

const iac = 0xff

// dataRead restarts the idle clock: the Conn's Read returned data.
// NetConn returns the connection the Daemon accepted, so that the Conn
// over sc finds a *tls.Conn under it.
func (sc *serverConn) NetConn() net.Conn { return sc.Conn }

func (sc *serverConn) dataRead() { sc.lastData.Store(time.Now().UnixNano()) }

// stopErr returns why the Daemon stopped the connection, or nil.
func (sc *serverConn) stopErr() error {
	if p := sc.stopped.Load(); p != nil {
		return *p
	}
	return nil
}

// stop cancels the connection's context with cause, if it is the first
// to, and makes the Conn's reads return cause from now on, blocked ones
// included, and its writes within shutdownWriteGrace.
func (sc *serverConn) stop(cause error) {
	sc.cancel(cause)
	cause = context.Cause(sc.ctx)
	if !sc.stopped.CompareAndSwap(nil, &cause) {
		return
	}
	sc.dmu.Lock()
	sc.Conn.SetReadDeadline(sc.deadline())
	sc.dmu.Unlock()
	sc.wdmu.Lock()
	sc.writeStop = time.Now().Add(shutdownWriteGrace)
	sc.Conn.SetWriteDeadline(sc.writeDeadline())
	sc.wdmu.Unlock()
}

// deadline returns the read deadline to set on the network connection:
// the earlier of the Conn's and the idle timeout's, or the past once
// stopped. It runs with dmu held.
func (sc *serverConn) deadline() time.Time {
	if sc.stopped.Load() != nil {
		return aLongTimeAgo
	}
	d := sc.userRead
	if sc.idle > 0 {
		idleAt := time.Unix(0, sc.lastData.Load()).Add(sc.idle)
		if d.IsZero() || idleAt.Before(d) {
			d = idleAt
		}
	}
	return d
}

func (sc *serverConn) Read(p []byte) (int, error) {
	for {
		n, err := sc.Conn.Read(p)
		if sc.counters != nil {
			sc.counters.bytesIn.Add(int64(n))
		}
		if n > 0 || err == nil {
			return n, err
		}
		if stop := sc.stopErr(); stop != nil {
			return 0, stop
		}
		if !isTimeout(err) {
			sc.cancel(err) // the client left, or the connection failed
			return 0, err
		}
		sc.dmu.Lock()
		now := time.Now()
		if !sc.userRead.IsZero() && !now.Before(sc.userRead) {
			sc.dmu.Unlock()
			return 0, err // the Conn's own deadline
		}
		if sc.idle > 0 && !now.Before(time.Unix(0, sc.lastData.Load()).Add(sc.idle)) {
			sc.dmu.Unlock()
			sc.expire()
			return 0, ErrIdleTimeout
		}
		// Data came since the deadline was set: move it on.
		err = sc.Conn.SetReadDeadline(sc.deadline())
		sc.dmu.Unlock()
		if err != nil {
			return 0, err
		}
	}
}

// expire tells the client it timed out, and ends the connection: it
// shuts the write side, and the close lingers once the handler returns,
// so that the client reads the notice, not a reset.
func (sc *serverConn) expire() {
	sc.log.Info("telnet: idle timeout", "after", sc.idle)
	if sc.counters != nil {
		sc.counters.idleTimeouts.Add(1)
	}
	sc.stop(ErrIdleTimeout)
	if len(sc.notice) > 0 {
		// A write blocked on a client that reads nothing must not hold
		// the notice back for long.
		sc.Conn.SetWriteDeadline(time.Now().Add(time.Second))
		sc.wmu.Lock()
		sc.Conn.Write(sc.notice)
		sc.wmu.Unlock()
	}
	if !sc.closeWrite() {
		sc.Conn.Close()
	}
}

// closeWrite shuts the write side of the connection, if it can, and
// reports whether it did. A connection from NewProxyListener has no
// CloseWrite, but its TCP connection does.
func (sc *serverConn) closeWrite() bool {
	var nc any = sc.Conn
	if p, ok := nc.(interface{ TCPConn() (*net.TCPConn, bool) }); ok {
		if tc, ok := p.TCPConn(); ok {
			nc = tc
		}
	}
	cw, ok := nc.(interface{ CloseWrite() error })
	return ok && cw.CloseWrite() == nil
}

// Write writes p. With an idle timeout, a Write not done within it fails:
// the client reads nothing, and may be gone.
func (sc *serverConn) Write(p []byte) (int, error) {
	n, err := sc.write(func() (int64, error) {
		n, err := sc.Conn.Write(p)
		return int64(n), err
	})
	return int(n), err
}

// vectored reports whether the connection under sc writes a vector of
// buffers in one system call.
func (sc *serverConn) vectored() bool { return isVectored(sc.Conn) }

// writeBuffers writes b as Write writes a slice, in one system call where
// the connection under sc can.
func (sc *serverConn) writeBuffers(b *net.Buffers) (int64, error) {
	return sc.write(func() (int64, error) { return b.WriteTo(sc.Conn) })
}

// write runs the write w with the idle clock and the Daemon's stop
// applied to it.
func (sc *serverConn) write(w func() (int64, error)) (int64, error) {
	sc.wmu.Lock()
	if sc.idle > 0 {
		sc.wdmu.Lock()
		sc.writeIdle = time.Now().Add(sc.idle)
		err := sc.Conn.SetWriteDeadline(sc.writeDeadline())
		sc.wdmu.Unlock()
		if err != nil {
			sc.wmu.Unlock()
			return 0, err
		}
	}
	n, err := w()
	if sc.counters != nil {
		sc.counters.bytesOut.Add(int64(n))
	}
	sc.wdmu.Lock()
	idleAt, user, stopAt := sc.writeIdle, sc.userWrite, sc.writeStop
	sc.writeIdle = time.Time{}
	sc.wdmu.Unlock()
	sc.wmu.Unlock()
	if err == nil {
		return n, nil
	}
	if !isTimeout(err) {
		if stop := sc.stopErr(); stop != nil {
			return n, stop // closed by the Daemon
		}
		sc.cancel(err)
		return n, err
	}
	now := time.Now()
	if !user.IsZero() && !now.Before(user) {
		return n, err // the Conn's own deadline
	}
	if !stopAt.IsZero() && !now.Before(stopAt) {
		return n, sc.stopErr()
	}
	if !idleAt.IsZero() && !now.Before(idleAt) {
		sc.expire()
		return n, ErrIdleTimeout
	}
	return n, err
}

// writeDeadline returns the write deadline to set on the network
// connection: the earliest of the Conn's, that of the write in progress
// and the end of writes after stop. It runs with wdmu held.
func (sc *serverConn) writeDeadline() time.Time {
	d := sc.userWrite
	for _, t := range []time.Time{sc.writeIdle, sc.writeStop} {
		if !t.IsZero() && (d.IsZero() || t.Before(d)) {
			d = t
		}
	}
	return d
}

func (sc *serverConn) SetDeadline(t time.Time) error {
	if err := sc.SetReadDeadline(t); err != nil {
		return err
	}
	return sc.SetWriteDeadline(t)
}

func (sc *serverConn) SetWriteDeadline(t time.Time) error {
	sc.wdmu.Lock()
	defer sc.wdmu.Unlock()
	sc.userWrite = t
	return sc.Conn.SetWriteDeadline(sc.writeDeadline())
}

func (sc *serverConn) SetReadDeadline(t time.Time) error {
	sc.dmu.Lock()
	defer sc.dmu.Unlock()
	sc.userRead = t
	return sc.Conn.SetReadDeadline(sc.deadline())
}

func (sc *serverConn) Close() error {
	sc.closed.Store(true)
	sc.cancel(net.ErrClosed)
	return sc.Conn.Close()
}

// lingerClose closes the connection once its handler has returned, so
// that the client gets every byte sent and an orderly end (FIN, never a
// reset for bytes it sent that were not read): it shuts the write side,
// reads what the client still sends until it closes its side, stays
// quiet for lingerQuiet, or lingerTime passes, then closes.
func (sc *serverConn) lingerClose() {
	defer sc.tc.Close()
	if sc.closed.Load() {
		return // the handler closed it
	}
	if !sc.closeWrite() && !errors.Is(sc.stopErr(), ErrIdleTimeout) {
		return // no half-close here; after an idle timeout, it is done
	}
	end := time.Now().Add(lingerTime)
	// A small buffer: what the client still sends is thrown away, and a
	// Shutdown lingers on every connection at once.
	var buf [256]byte
	for {
		d := time.Now().Add(lingerQuiet)
		if d.After(end) {
			d = end
		}
		sc.Conn.SetReadDeadline(d)
		if _, err := sc.Conn.Read(buf[:]); err != nil {
			return
		}
	}
}
