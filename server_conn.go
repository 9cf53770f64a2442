package telnet

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// timeoutNotice is what a client idle for too long is told, as telnetlib3
// tells it.
const timeoutNotice = "\r\nTimeout.\r\n"

// A serverConn is the network connection under a Conn served by a Server.
// It notices the client's idleness and disconnection as the Conn reads
// and writes, so that serving a connection takes no goroutine besides the
// handler's.
//
// The idle timeout is a read deadline on the network connection, moved on
// lazily: Read does not touch the deadline as data arrives, only when it
// expires, so the data path costs one clock reading per Read.
type serverConn struct {
	net.Conn
	idle   time.Duration // 0: no idle timeout
	cancel context.CancelCauseFunc
	log    *slog.Logger

	lastRead  atomic.Int64 // when data last arrived, in Unix nanoseconds
	dmu       sync.Mutex   // guards userRead and the read deadline set on Conn
	userRead  time.Time    // the read deadline the Conn asked for
	wmu       sync.Mutex   // serialises writes, so that the notice splits none
	wdmu      sync.Mutex   // guards userWrite, writeIdle and the write deadline
	userWrite time.Time    // the write deadline the Conn asked for
	writeIdle time.Time    // when the write in progress stalls too long
}

func newServerConn(nc net.Conn, idle time.Duration, cancel context.CancelCauseFunc, log *slog.Logger) *serverConn {
	sc := &serverConn{Conn: nc, idle: idle, cancel: cancel, log: log}
	now := time.Now()
	sc.lastRead.Store(now.UnixNano())
	if idle > 0 {
		nc.SetReadDeadline(now.Add(idle))
	}
	return sc
}

// NetConn returns the connection accepted from the listener, so that a
// handler can reach a *tls.Conn under [Conn.NetConn].
func (sc *serverConn) NetConn() net.Conn { return sc.Conn }

// deadline returns the read deadline to set on the network connection:
// the earlier of the Conn's and the idle timeout's. It runs with dmu held.
func (sc *serverConn) deadline() time.Time {
	d := sc.userRead
	if sc.idle > 0 {
		idleAt := time.Unix(0, sc.lastRead.Load()).Add(sc.idle)
		if d.IsZero() || idleAt.Before(d) {
			d = idleAt
		}
	}
	return d
}

func (sc *serverConn) Read(p []byte) (int, error) {
	for {
		n, err := sc.Conn.Read(p)
		if n > 0 {
			sc.lastRead.Store(time.Now().UnixNano())
			return n, err
		}
		var ne net.Error
		switch {
		case err == nil:
			return 0, nil
		case !errors.As(err, &ne) || !ne.Timeout():
			sc.cancel(err) // the client left, or the connection failed
			return 0, err
		}
		sc.dmu.Lock()
		now := time.Now()
		if !sc.userRead.IsZero() && !now.Before(sc.userRead) {
			sc.dmu.Unlock()
			return 0, err // the Conn's own deadline
		}
		if sc.idle > 0 && !now.Before(time.Unix(0, sc.lastRead.Load()).Add(sc.idle)) {
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

// expire tells the client it timed out, and closes the connection.
func (sc *serverConn) expire() {
	sc.log.Info("telnet: idle timeout", "after", sc.idle)
	sc.cancel(ErrIdleTimeout)
	// A write blocked on a client that reads nothing must not hold the
	// notice back for long.
	sc.Conn.SetWriteDeadline(time.Now().Add(time.Second))
	sc.wmu.Lock()
	sc.Conn.Write([]byte(timeoutNotice))
	sc.wmu.Unlock()
	sc.Conn.Close()
}

// Write writes p. With an idle timeout, a Write not done within it fails:
// the client reads nothing, and may be gone.
func (sc *serverConn) Write(p []byte) (int, error) {
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
	n, err := sc.Conn.Write(p)
	sc.wdmu.Lock()
	idleAt, user := sc.writeIdle, sc.userWrite
	sc.writeIdle = time.Time{}
	sc.wdmu.Unlock()
	sc.wmu.Unlock()
	if err == nil {
		return n, nil
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		sc.cancel(err)
		return n, err
	}
	if now := time.Now(); !idleAt.IsZero() && !now.Before(idleAt) && (user.IsZero() || now.Before(user)) {
		sc.expire()
		return n, ErrIdleTimeout
	}
	return n, err
}

// writeDeadline returns the write deadline to set on the network
// connection: the earlier of the Conn's and that of the write in
// progress. It runs with wdmu held.
func (sc *serverConn) writeDeadline() time.Time {
	d := sc.userWrite
	if !sc.writeIdle.IsZero() && (d.IsZero() || sc.writeIdle.Before(d)) {
		d = sc.writeIdle
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
	sc.cancel(net.ErrClosed)
	return sc.Conn.Close()
}
