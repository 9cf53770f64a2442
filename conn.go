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

	"github.com/telnetkit/telnet/negotiate"
)

// A Conn is a Telnet connection: a [net.Conn] whose Read returns only the
// application data the peer sent, and whose Write sends data as Telnet
// requires, while options are negotiated underneath.
//
// Read and Write may be called from two goroutines at once, and every
// other method may be called from any goroutine.
//
// # Line endings
//
// Outside BINARY mode, Telnet text is NVT text, in which a line ends with
// CR LF and a carriage return alone is sent as CR NUL. Conn keeps programs
// from having to know:
//
//   - Read leaves CR LF as it is and turns CR NUL into CR LF, so that every
//     end of line a client sends (Enter is CR NUL for some clients, CR LF
//     for most) reads as CR LF, which [bufio.Scanner] strips. A bare CR or
//     LF is returned as it is.
//   - Write turns a "\n" not preceded by "\r" into CR LF, and a "\r" not
//     followed by "\n" into CR NUL, so a program may write "\n" alone.
//
// When BINARY is enabled in a direction, the bytes of that direction are
// left alone, as RFC 856 requires; only IAC is escaped.
type Conn struct {
	conn   net.Conn
	cfg    *config
	client bool
	log    *slog.Logger

	hsMu   sync.Mutex // serialises Handshake
	hsDone atomic.Bool
	hsErr  error // set before hsDone

	rmu     sync.Mutex // serialises reads of conn
	pending []byte     // data read during the handshake, for Read
	rerr    error      // the read error met during the handshake
	readCR  bool       // the last data byte read in NVT mode was CR

	wmu     sync.Mutex // serialises writes to conn
	wbuf    []byte
	writeCR bool // the last data byte written in NVT mode was CR

	rdeadline atomic.Pointer[time.Time] // the user's read deadline
	closed    atomic.Bool

	mu      sync.Mutex // guards the engine and what was negotiated
	eng     *negotiate.Engine
	changes []Change // to report once mu is released
	ttype   negotiate.TTYPECycle
	term    string // the terminal type, once known
	cols    int
	rows    int
	env     map[string]string
	speed   [2]int
	xdisp   string
	// The server's progress through its negotiation.
	ttypeDone   bool // the terminal type is known, or will not be
	envAsked    bool // NEW-ENVIRON SEND was sent
	envDone     bool // NEW-ENVIRON IS arrived
	echoAsked   bool // the deferred WILL ECHO was decided
	binaryAsked bool // DO BINARY was decided
}

func newConn(c net.Conn, client bool, opts []Option) *Conn {
	cfg := newConfig(client, opts)
	if client && cfg.xdisplay == "" {
		cfg.local.Remove(negotiate.XDISPLOC)
	}
	tc := &Conn{conn: c, cfg: cfg, client: client, log: cfg.logger}
	if tc.log == nil {
		tc.log = slog.New(slog.DiscardHandler)
	}
	tc.eng = negotiate.New(negotiate.Config{Local: cfg.local, Remote: cfg.remote, MaxSubnegotiation: cfg.maxSB})
	if client {
		tc.term, tc.cols, tc.rows = cfg.termType, cfg.cols, cfg.rows
		tc.speed, tc.xdisp = cfg.speed, cfg.xdisplay
	}
	return tc
}

// Server returns a Conn in the server role over c, which may be any
// net.Conn (a *tls.Conn too). The negotiation starts with the first Read,
// Write or Handshake.
//
// By default the server asks for the client's terminal type (TTYPE, with
// the cycle of RFC 1091), window size (NAWS) and environment
// (NEW-ENVIRON), offers to suppress go-ahead and to send binary, and
// offers to echo once the terminal type is known, unless the client is a
// MUD client, which would take WILL ECHO for a password prompt.
func Server(c net.Conn, opts ...Option) *Conn { return newConn(c, false, opts) }

// Client returns a Conn in the client role over c, which may be any
// net.Conn (a *tls.Conn too).
//
// By default the client sends nothing until the server asks, and then
// reports its terminal type, window size, environment and speed, accepts
// the server's echo, go-ahead suppression and binary, and refuses the
// rest.
func Client(c net.Conn, opts ...Option) *Conn { return newConn(c, true, opts) }

// NetConn returns the connection under c. Reading from it or writing to it
// directly bypasses the Telnet protocol and corrupts the session.
func (c *Conn) NetConn() net.Conn { return c.conn }

// aLongTimeAgo is a deadline in the past, to wake a blocked Read.
var aLongTimeAgo = time.Unix(1, 0)

// Handshake sends the initial offers of c's role in one write, and returns
// when the peer has answered them, or when the negotiation wait of
// [WithNegotiationTimeout] ends, whichever is first. An unanswered offer is
// not an error: the peer may not speak Telnet at all (netcat), and gets
// the data path after the wait.
//
// The first Read or Write calls Handshake, so most programs need not. It
// returns an error only when the offers cannot be written, the connection
// fails, or ctx ends first; the data path then reports the same errors.
// Only the first call does anything; later calls return its result.
func (c *Conn) Handshake(ctx context.Context) error {
	if c.hsDone.Load() {
		return c.hsErr
	}
	c.hsMu.Lock()
	defer c.hsMu.Unlock()
	if c.hsDone.Load() {
		return c.hsErr
	}
	c.hsErr = c.handshake(ctx)
	c.hsDone.Store(true)
	return c.hsErr
}

func (c *Conn) handshake(ctx context.Context) error {
	c.mu.Lock()
	for _, side := range []negotiate.Side{negotiate.Remote, negotiate.Local} { // DO TTYPE first
		for i := range 256 {
			if opt := negotiate.Option(i); c.cfg.request[side].Has(opt) {
				c.eng.Enable(side, opt)
			}
		}
	}
	c.mu.Unlock()
	if err := c.flush(); err != nil {
		return err
	}
	if c.cfg.timeout == 0 || c.settled() {
		return nil
	}

	c.rmu.Lock()
	defer c.rmu.Unlock()
	deadline := time.Now().Add(c.cfg.timeout)
	ctxDeadline := false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxDeadline = d, true
	}
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.conn.SetReadDeadline(aLongTimeAgo) })
	defer func() {
		stop()
		var user time.Time
		if t := c.rdeadline.Load(); t != nil {
			user = *t
		}
		c.conn.SetReadDeadline(user)
	}()

	buf := make([]byte, 4096)
	for !c.settled() {
		n, err := c.conn.Read(buf)
		if n > 0 {
			n = c.receive(buf[:n])
			c.pending = append(c.pending, buf[:n]...)
			if werr := c.flush(); werr != nil {
				return werr
			}
			c.notify()
		}
		if err != nil {
			var ne net.Error
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case errors.As(err, &ne) && ne.Timeout() && ctxDeadline:
				return context.DeadlineExceeded // before ctx itself says so
			case errors.As(err, &ne) && ne.Timeout():
				c.log.Debug("telnet: negotiation wait ended", "peer", c.conn.RemoteAddr())
				return nil
			}
			c.rerr = err
			return err
		}
	}
	return nil
}

// settled reports whether the handshake has nothing more to wait for.
func (c *Conn) settled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eng.Negotiating() {
		return false
	}
	if c.client {
		return true
	}
	return c.ttypeDone && (!c.envAsked || c.envDone)
}

// Read reads application data into p. It returns as soon as some data has
// arrived, never 0 with a nil error: when the bytes received hold only
// protocol, it reads again. The replies the protocol needs are written
// before Read returns. See [Conn] for what Read does to line endings.
func (c *Conn) Read(p []byte) (int, error) {
	c.Handshake(context.Background()) // its errors reach the reads below
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		if len(c.pending) == 0 {
			c.pending = nil
		}
		return n, nil
	}
	if c.rerr != nil {
		return 0, c.rerr
	}
	for {
		n, err := c.conn.Read(p)
		if n > 0 {
			n = c.receive(p[:n])
			werr := c.flush()
			c.notify()
			if n > 0 {
				c.rerr = err // returned by the next Read
				return n, nil
			}
			if werr != nil && err == nil {
				err = werr
			}
		}
		if err != nil {
			return 0, err
		}
	}
}

// receive runs the engine over bytes read from the peer, acts on what it
// found, and returns the number of data bytes left at the start of buf.
func (c *Conn) receive(buf []byte) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	binary := c.eng.Enabled(negotiate.Remote, negotiate.Binary)
	n := c.eng.Feed(buf)
	start := 0
	for _, ev := range c.eng.Events() {
		if ev.Kind == negotiate.EventOption && ev.Option == negotiate.Binary && ev.Side == negotiate.Remote {
			// The mode changes at the event's place in the data.
			c.nvtRead(buf[start:ev.Offset], binary)
			start, binary = ev.Offset, ev.Enabled
		}
		c.handle(ev)
	}
	c.nvtRead(buf[start:n], binary)
	c.advance()
	return n
}

// nvtRead applies the NVT end-of-line rule of Read to data received in
// NVT mode (binary false): CR NUL becomes CR LF, in place.
func (c *Conn) nvtRead(data []byte, binary bool) {
	if binary || len(data) == 0 {
		c.readCR = false
		return
	}
	if c.readCR && data[0] == 0 {
		data[0] = '\n'
	}
	for i := 0; ; i++ {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(data) && data[i+1] == 0 {
			data[i+1] = '\n'
		}
	}
	c.readCR = data[len(data)-1] == '\r'
}

// flush writes the replies the engine has queued.
func (c *Conn) flush() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	c.wbuf = c.eng.AppendOutput(c.wbuf[:0])
	c.mu.Unlock()
	if len(c.wbuf) == 0 {
		return nil
	}
	_, err := c.conn.Write(c.wbuf)
	return err
}

// notify reports the changes collected while mu was held.
func (c *Conn) notify() {
	c.mu.Lock()
	changes := c.changes
	c.changes = nil
	c.mu.Unlock()
	if c.cfg.onChange == nil {
		return
	}
	for _, ch := range changes {
		c.cfg.onChange(c, ch)
	}
}

// Write writes p as Telnet data: IAC bytes are doubled and, outside
// BINARY mode, line endings follow the NVT rule described at [Conn]. It
// returns len(p) and a nil error when all of p was sent; on an error, the
// count is of the bytes of p that were sent in full. Protocol replies
// still queued go out first, in the same write.
func (c *Conn) Write(p []byte) (int, error) {
	c.Handshake(context.Background()) // its errors reach the write below
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	c.wbuf = c.eng.AppendOutput(c.wbuf[:0])
	binary := c.eng.Enabled(negotiate.Local, negotiate.Binary)
	c.mu.Unlock()

	if len(c.wbuf) == 0 && !needsEncoding(p, binary, c.writeCR) {
		n, err := c.conn.Write(p)
		if n > 0 && !binary {
			c.writeCR = p[n-1] == '\r'
		}
		return n, err
	}
	head := len(c.wbuf)
	wasCR := c.writeCR
	c.wbuf = c.appendData(c.wbuf, p, binary)
	n, err := c.conn.Write(c.wbuf)
	if cap(c.wbuf) > 64<<10 {
		c.wbuf = nil // do not keep a large buffer on an idle connection
	}
	if err != nil {
		return sentBytes(p, n-head, binary, wasCR), err
	}
	return len(p), nil
}

// needsEncoding reports whether p must be changed before it is sent.
func needsEncoding(p []byte, binary, afterCR bool) bool {
	if bytes.IndexByte(p, 0xff) >= 0 {
		return true
	}
	if binary {
		return false
	}
	return afterCR || bytes.IndexByte(p, '\n') >= 0 || bytes.IndexByte(p, '\r') >= 0
}

// appendData appends p to dst as it goes on the wire, and keeps the NVT
// end-of-line state across writes.
func (c *Conn) appendData(dst, p []byte, binary bool) []byte {
	if binary {
		return negotiate.AppendEscaped(dst, p)
	}
	if c.writeCR && len(p) > 0 && p[0] != '\n' {
		dst = append(dst, 0) // the CR that ended the last write was bare
	}
	for len(p) > 0 {
		i := indexNVT(p)
		if i < 0 {
			dst = append(dst, p...)
			c.writeCR = false
			break
		}
		dst = append(dst, p[:i]...)
		switch b := p[i]; b {
		case 0xff:
			dst = append(dst, 0xff, 0xff)
		case '\n':
			if i > 0 && p[i-1] == '\r' || i == 0 && c.writeCR {
				dst = append(dst, '\n')
			} else {
				dst = append(dst, '\r', '\n')
			}
		case '\r':
			switch {
			case i+1 == len(p):
				dst = append(dst, '\r') // CR NUL or CR LF: the next write tells
			case p[i+1] == '\n':
				dst = append(dst, '\r')
			default:
				dst = append(dst, '\r', 0)
			}
		}
		c.writeCR = p[i] == '\r'
		p = p[i+1:]
	}
	return dst
}

// indexNVT returns the index of the first byte of p that NVT encoding
// changes or looks at (IAC, CR, LF), or -1.
func indexNVT(p []byte) int {
	for i, b := range p {
		if b == 0xff || b == '\r' || b == '\n' {
			return i
		}
	}
	return -1
}

// sentBytes returns how many bytes of p were sent in full when the first
// wire bytes of its encoding were written.
func sentBytes(p []byte, wire int, binary, afterCR bool) int {
	if afterCR && !binary && len(p) > 0 && p[0] != '\n' {
		wire-- // the NUL completing the last write's CR
	}
	for i, b := range p {
		size := 1
		switch {
		case b == 0xff:
			size = 2
		case binary:
		case b == '\n' && !(i > 0 && p[i-1] == '\r' || i == 0 && afterCR):
			size = 2
		case b == '\r' && i+1 < len(p) && p[i+1] != '\n':
			size = 2
		}
		if wire < size {
			return i
		}
		wire -= size
	}
	return len(p)
}

// Close closes the connection. Blocked Read and Write calls return. It is
// safe to call more than once; later calls return nil.
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	return c.conn.Close()
}

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the underlying
// connection, as [net.Conn] documents.
func (c *Conn) SetDeadline(t time.Time) error {
	c.rdeadline.Store(&t)
	return c.conn.SetDeadline(t)
}

// SetReadDeadline sets the read deadline of the underlying connection.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.rdeadline.Store(&t)
	return c.conn.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline of the underlying connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }
