package telnet

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telnetkit/telnet/charset"
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
// Telnet clients end lines in four ways: CR LF (most), CR NUL (the NVT
// carriage return, which inetutils and PuTTY send for Enter), a bare CR
// (the same clients in BINARY mode) and, rarely, a bare LF. So that a
// program may read lines with [bufio.Scanner] and write "\n" whatever the
// client:
//
//   - Read returns every end of line as a single "\n": CR LF, CR NUL and a
//     bare CR become LF, and LF stays LF. A CR at the end of one read is
//     returned as "\n" at once, and the LF or NUL that follows it in the
//     next read is dropped, so Read never waits for a byte to decide.
//   - Write turns a "\n" not preceded by "\r" into CR LF. Outside BINARY
//     mode it also turns a "\r" not followed by "\n" into CR NUL, as the
//     NVT requires; when a write ends with "\r", the NUL goes at the start
//     of the next write unless that starts with "\n".
//
// [WithRawLineEndings] turns both off, for programs that move bytes rather
// than text: then only IAC is escaped, and nothing else is changed.
type Conn struct {
	conn   net.Conn
	outer  net.Conn // what NetConn returns: conn, or what a Daemon accepted under it
	cfg    *config
	client bool
	log    *slog.Logger

	hsMu   sync.Mutex // serialises Handshake
	hsDone atomic.Bool
	hsErr  error // set before hsDone

	rmu     sync.Mutex // serialises reads of conn
	pending []byte     // data read during the handshake, for Read
	rerr    error      // the read error met during the handshake
	readCR  bool       // the last byte read was a CR, turned into LF

	wmu     sync.Mutex // serialises writes to conn
	wbuf    []byte
	writeCR bool // the last data byte written was CR

	rdeadline atomic.Pointer[time.Time] // the user's read deadline
	closed    atomic.Bool
	// onData, when set (by a Daemon, before the Conn is used), is called
	// each time Read returns application data: protocol traffic alone
	// does not make a connection active.
	onData func()

	mu        sync.Mutex // guards the engine and what was negotiated
	eng       *negotiate.Engine
	changes   []Change // to report once mu is released
	listeners []*changeListener
	ttype     negotiate.TTYPECycle
	term      string // the terminal type, once known
	cols      int
	rows      int
	env       map[string]string
	speed     [2]int
	xdisp     string
	// The server's progress through its negotiation.
	ttypeDone bool // the terminal type is known, or will not be
	envAsked  bool // NEW-ENVIRON SEND was sent
	envDone   bool // NEW-ENVIRON IS arrived
	echoAsked bool // the deferred WILL ECHO was decided
	// CHARSET, LANG and the codecs of WithEncoding.
	charsetAsked bool   // the server sent its REQUEST
	charsetDone  bool   // and the client answered it
	charsetName  string // the character set agreed, canonical
	langName     string // the encoding of the client's LANG, canonical
	dec          *charset.Decoder
	encoder      *charset.Encoder
	inName       string // the encodings in use now
	outName      string
	decErr       error  // an invalid input under the Strict policy, for Read
	pbuf         []byte // the buffer of c.pending when it holds decoded data
	ebuf         []byte
	binaryAsked  bool // DO BINARY was decided
}

func newConn(c net.Conn, client bool, opts []Option) *Conn {
	return newConnConfig(c, newConfig(client, opts))
}

// newConnConfig returns a Conn with a configuration that may be shared
// with other Conns (those of one listener), and is never changed; the
// role is the configuration's.
func newConnConfig(c net.Conn, cfg *config) *Conn {
	tc := &Conn{conn: c, outer: c, cfg: cfg, client: cfg.client, log: cfg.logger}
	tc.eng = negotiate.New(negotiate.Config{Local: cfg.local, Remote: cfg.remote, MaxSubnegotiation: cfg.maxSB})
	if cfg.enc != nil {
		tc.dec = charset.NewDecoder(nil, cfg.encErrors)
		tc.encoder = charset.NewEncoder(nil, cfg.encErrors)
		tc.inName, tc.outName = "UTF-8", "UTF-8"
		tc.updateCodecs()
	}
	if cfg.client {
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

// NetConn returns the connection under c: the one given to [Server] or
// [Client], or the one a listener accepted (a *tls.Conn, say). Reading
// from it or writing to it directly bypasses the Telnet protocol and
// corrupts the session.
func (c *Conn) NetConn() net.Conn { return c.outer }

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
	if c.cfg.err != nil {
		return c.cfg.err
	}
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
	if user := c.userReadDeadline(); !user.IsZero() && user.Before(deadline) {
		deadline, ctxDeadline = user, false // Read reports the user's deadline
	}
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.conn.SetReadDeadline(aLongTimeAgo) })
	defer func() {
		stop()
		c.conn.SetReadDeadline(c.userReadDeadline())
	}()

	buf := make([]byte, 4096)
	for !c.settled() {
		n, err := c.conn.Read(buf)
		if n > 0 {
			before := len(c.pending)
			n = c.receive(buf[:n])
			// What stayed in place came before what was decoded.
			c.pending = slices.Insert(c.pending, before, buf[:n]...)
			if werr := c.flush(); werr != nil {
				return werr
			}
			c.notify()
		}
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case isTimeout(err) && ctxDeadline:
				return context.DeadlineExceeded // before ctx itself says so
			case isTimeout(err):
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
	return c.ttypeDone && (!c.envAsked || c.envDone) && (!c.charsetAsked || c.charsetDone)
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
		c.dataRead()
		return c.takePending(p), c.takeDecodeError()
	}
	if c.rerr != nil {
		return 0, c.rerr
	}
	for {
		armed := c.armSubnegotiationWait()
		n, err := c.conn.Read(p)
		if armed {
			c.conn.SetReadDeadline(c.userReadDeadline())
		}
		if n > 0 {
			n = c.receive(p[:n])
			werr := c.flush()
			c.notify()
			if n == 0 && len(c.pending) > 0 {
				n = c.takePending(p) // decoded
			}
			if n > 0 {
				if err != nil && !isTimeout(err) {
					c.rerr = err // returned by the next Read
				}
				c.dataRead()
				return n, c.takeDecodeError()
			}
			if werr != nil && err == nil {
				err = werr
			}
		}
		if err != nil {
			if armed && isTimeout(err) && !c.userDeadlinePassed() {
				if n := c.abortSubnegotiation(p); n > 0 {
					c.dataRead()
					return n, nil
				}
				continue
			}
			return 0, err
		}
	}
}

// dataRead calls the onData hook, if any.
func (c *Conn) dataRead() {
	if c.onData != nil {
		c.onData()
	}
}

// subnegotiationWait is how long an SB may stay open while the peer sends
// nothing before Read gives up on its IAC SE.
const subnegotiationWait = time.Second

// armSubnegotiationWait bounds the next read by subnegotiationWait when an
// SB is open, and reports whether it did.
func (c *Conn) armSubnegotiationWait() bool {
	c.mu.Lock()
	inSB := c.eng.InSubnegotiation()
	c.mu.Unlock()
	if !inSB {
		return false
	}
	wait := time.Now().Add(subnegotiationWait)
	if user := c.userReadDeadline(); !user.IsZero() && user.Before(wait) {
		return false
	}
	return c.conn.SetReadDeadline(wait) == nil
}

// abortSubnegotiation ends an SB the peer left open, and returns its
// payload as data: peers that leave an SB open (the npm telnet-client
// answers TTYPE SEND with a bare IAC SB TTYPE) send the user's input after
// it. It copies what fits into p, keeps the rest for the next Read, and
// returns the count.
func (c *Conn) abortSubnegotiation(p []byte) int {
	c.mu.Lock()
	opt, payload := c.eng.AbortSubnegotiation()
	data := slices.Clone(payload)
	if !c.cfg.rawLineEndings {
		data = data[:c.foldLineEnds(data)]
	}
	c.mu.Unlock()
	c.log.Warn("telnet: subnegotiation left open, its payload returned as data",
		"option", opt.String(), "bytes", len(data), "peer", c.conn.RemoteAddr())
	n := copy(p, data)
	c.pending = data[n:]
	return n
}

// userReadDeadline returns the read deadline the user set, or zero.
func (c *Conn) userReadDeadline() time.Time {
	if t := c.rdeadline.Load(); t != nil {
		return *t
	}
	return time.Time{}
}

// userDeadlinePassed reports whether the user's read deadline is past.
func (c *Conn) userDeadlinePassed() bool {
	t := c.userReadDeadline()
	return !t.IsZero() && !time.Now().Before(t)
}

// isTimeout reports whether err is a deadline error.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// receive runs the engine over bytes read from the peer, acts on what it
// found, and returns the number of data bytes left at the start of buf.
func (c *Conn) receive(buf []byte) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.eng.Feed(buf)
	events := c.eng.Events()
	// The data between two events is read in the encoding in force
	// there: an event may switch it.
	w, start := 0, 0
	for _, ev := range events {
		w = c.emit(buf, w, buf[start:ev.Offset])
		start = ev.Offset
		c.handle(ev)
		c.advance()
		c.updateCodecs()
	}
	w = c.emit(buf, w, buf[start:n])
	c.advance()
	c.updateCodecs()
	if len(events) > 0 {
		c.eng.Release() // an idle connection keeps no event buffers
	}
	return w
}

// emit adds one run of data, seg, to what Read returns: its line endings
// folded and, with an encoding, decoded. Without an encoding, or with
// UTF-8 arriving as UTF-8, it stays in place, compacted to buf[w:]; the
// new end of that is returned. It runs with c.mu held.
func (c *Conn) emit(buf []byte, w int, seg []byte) int {
	if len(seg) == 0 {
		return w
	}
	if !c.cfg.rawLineEndings {
		if seg = seg[:c.foldLineEnds(seg)]; len(seg) == 0 {
			return w // an LF or NUL ending a CR of the last read
		}
	}
	if c.dec != nil {
		return c.decodeInto(buf, w, seg)
	}
	if &buf[w] == &seg[0] {
		return w + len(seg) // already in place: no copy on the bulk path
	}
	return w + copy(buf[w:], seg)
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
	listeners := c.listeners
	c.mu.Unlock()
	for _, ch := range changes {
		if c.cfg.onChange != nil {
			c.cfg.onChange(c, ch)
		}
		for _, l := range listeners {
			l.f(ch)
		}
	}
}

// OnChange registers f to be called, like the function of [WithOnChange],
// for every change the peer makes from now on, and returns a function that
// unregisters it. A handler uses it to follow the window size, say.
func (c *Conn) OnChange(f func(Change)) (stop func()) {
	l := &changeListener{f: f}
	c.mu.Lock()
	c.listeners = append(c.listeners[:len(c.listeners):len(c.listeners)], l)
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		i := slices.Index(c.listeners, l)
		if i >= 0 {
			c.listeners = slices.Delete(slices.Clone(c.listeners), i, i+1)
		}
	}
}

// A changeListener is a function registered with OnChange; its pointer
// is its identity.
type changeListener struct{ f func(Change) }

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
	mode := c.writeMode()
	outName := c.outName
	c.mu.Unlock()

	data, encoded := p, false
	if c.encoder != nil {
		var err error
		if data, encoded, err = c.encode(p, outName); err != nil {
			return 0, err
		}
	}
	if !encoded && len(c.wbuf) == 0 && !mode.changes(p, c.writeCR) {
		n, err := c.conn.Write(p)
		if n > 0 {
			c.writeCR = p[n-1] == '\r'
		}
		return n, err
	}
	head := len(c.wbuf)
	wasCR := c.writeCR
	c.wbuf, c.writeCR = mode.append(c.wbuf, data, c.writeCR)
	n, err := c.conn.Write(c.wbuf)
	if cap(c.wbuf) > 64<<10 {
		c.wbuf = nil // do not keep a large buffer on an idle connection
	}
	if err != nil {
		if encoded {
			return 0, err // the wire bytes do not map back to p's
		}
		return mode.sent(p, n-head, wasCR), err
	}
	return len(p), nil
}

// writeMode is how Write encodes data now. It runs with c.mu held.
func (c *Conn) writeMode() writeMode {
	switch {
	case c.cfg.rawLineEndings:
		return writeRaw
	case c.eng.Enabled(negotiate.Local, negotiate.Binary):
		return writeBinaryText
	}
	return writeNVT
}

// takeDecodeError returns, once, the error of invalid input met by the
// decoder under the Strict policy.
func (c *Conn) takeDecodeError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.decErr
	c.decErr = nil
	return err
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
