package telnet

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultAutoTLSWait is how long a connection accepted by a listener from
// [NewAutoTLSListener] has to send its first byte before it is taken for a
// plain Telnet client, which waits for the server to speak: telnetlib3's
// tls_auto default.
const DefaultAutoTLSWait = 500 * time.Millisecond

// recordTypeHandshake is the first byte of every TLS ClientHello (the
// content type of a handshake record), and never the first byte a Telnet
// client sends: a Telnet command starts with IAC (255), text is printable.
const recordTypeHandshake = 0x16

// NewAutoTLSListener returns a listener that serves TLS and plain
// connections on one port, as telnetlib3's tls_auto does: a connection
// whose first byte is that of a TLS handshake (0x16) gets TLS with
// config; one that sends anything else, or nothing within wait (zero
// means [DefaultAutoTLSWait]), is plain.
//
// Accept returns at once: the first byte is looked at in the
// connection's first Read or Write (a *Conn's Handshake makes one), in the
// goroutine that serves it, so that a client that sends half a
// ClientHello and stops holds up no one else. No byte is lost: the one
// looked at is read first. Deadlines set on the connection bound the
// wait too. Wrap the listener with [NewListener] for Telnet, or give it
// to [Daemon.Serve]; [Conn.TLSConnectionState] tells the TLS connections.
func NewAutoTLSListener(inner net.Listener, config *tls.Config, wait time.Duration) net.Listener {
	if wait <= 0 {
		wait = DefaultAutoTLSWait
	}
	return &autoTLSListener{Listener: inner, config: config, wait: wait}
}

type autoTLSListener struct {
	net.Listener
	config *tls.Config
	wait   time.Duration
}

// Accept waits for the next connection and returns it undecided.
func (l *autoTLSListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &autoConn{Conn: c, config: l.config, wait: l.wait}, nil
}

// An autoConn is a connection of an autoTLSListener. Its first Read or
// Write decides, under mu, what it is; from then on both go to chosen:
// a *tls.Conn, or the network connection, with the byte looked at in
// front.
//
// Deadlines go to the network connection (a *tls.Conn's go there too).
// While the first byte is awaited the read deadline is the earlier of the
// caller's and the end of the wait, so that a caller's deadline (a
// Daemon's shutdown, say) still ends the wait early.
type autoConn struct {
	net.Conn // the network connection
	config   *tls.Config
	wait     time.Duration

	mu     sync.Mutex // held while deciding
	chosen atomic.Pointer[net.Conn]

	dmu     sync.Mutex // guards readDL, waitEnd and the read deadline of Conn
	readDL  time.Time  // the read deadline the caller asked for
	waitEnd time.Time  // while awaiting the first byte: when the wait ends
}

// decided returns the connection chosen, or nil before the first byte.
func (c *autoConn) decided() net.Conn {
	if p := c.chosen.Load(); p != nil {
		return *p
	}
	return nil
}

// decide returns the connection chosen, choosing it first if need be. An
// error leaves it undecided: the caller's deadline passed, or the
// connection is closed.
func (c *autoConn) decide() (net.Conn, error) {
	if nc := c.decided(); nc != nil {
		return nc, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if nc := c.decided(); nc != nil {
		return nc, nil
	}
	first, err := c.readFirst()
	if err != nil {
		return nil, err
	}
	nc := c.Conn
	if len(first) > 0 {
		nc = &prefixConn{Conn: c.Conn, prefix: first}
		if first[0] == recordTypeHandshake {
			nc = tls.Server(nc, c.config)
		}
	}
	c.chosen.Store(&nc)
	return nc, nil
}

// readFirst reads the first byte within the wait. It returns no byte and
// no error when the client sent nothing in time, or closed its side, or
// failed: a plain connection, whose next Read says the rest.
func (c *autoConn) readFirst() ([]byte, error) {
	c.dmu.Lock()
	c.waitEnd = time.Now().Add(c.wait)
	c.Conn.SetReadDeadline(earlier(c.readDL, c.waitEnd))
	c.dmu.Unlock()

	var b [1]byte
	n, err := c.Conn.Read(b[:])

	c.dmu.Lock()
	c.waitEnd = time.Time{}
	c.Conn.SetReadDeadline(c.readDL)
	dl := c.readDL
	c.dmu.Unlock()

	switch {
	case n == 1:
		return b[:], nil
	case errors.Is(err, net.ErrClosed):
		return nil, err
	case isTimeout(err) && !dl.IsZero() && !time.Now().Before(dl):
		return nil, err // the caller's deadline, not the wait's end
	}
	return nil, nil
}

// earlier returns the earlier of two deadlines, the zero time being none.
func earlier(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// Read reads data, once the connection is decided.
func (c *autoConn) Read(p []byte) (int, error) {
	nc, err := c.decide()
	if err != nil {
		return 0, err
	}
	return nc.Read(p)
}

// Write writes data, once the connection is decided: a server that
// speaks first must know whether to speak TLS.
func (c *autoConn) Write(p []byte) (int, error) {
	nc, err := c.decide()
	if err != nil {
		return 0, err
	}
	return nc.Write(p)
}

// Close closes the connection; over TLS, it says so first (close_notify).
// It does not wait for a decision in progress, which it ends.
func (c *autoConn) Close() error {
	if t, ok := c.decided().(*tls.Conn); ok {
		return t.Close()
	}
	return c.Conn.Close()
}

// CloseWrite shuts the sending side: over TLS with close_notify, plain as
// the network connection does. Undecided, there is nothing to shut.
func (c *autoConn) CloseWrite() error {
	nc := c.decided()
	if pc, ok := nc.(*prefixConn); ok {
		nc = pc.Conn
	}
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// NetConn returns the connection chosen (a *tls.Conn for a TLS client),
// or the network connection before the first byte.
func (c *autoConn) NetConn() net.Conn {
	if nc := c.decided(); nc != nil {
		return nc
	}
	return c.Conn
}

// SetDeadline sets the read and write deadlines.
func (c *autoConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

// SetReadDeadline sets the read deadline, which also bounds the wait for
// the first byte.
func (c *autoConn) SetReadDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.readDL = t
	if !c.waitEnd.IsZero() {
		t = earlier(t, c.waitEnd)
	}
	return c.Conn.SetReadDeadline(t)
}

// A prefixConn reads prefix before what its connection reads.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
