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

// ErrUnreadReplies is returned by Read when the peer keeps asking for
// replies (to option requests, say) while it reads none of them, so that
// more than a bounded amount waits to be sent. The connection is closed.
var ErrUnreadReplies = errors.New("telnet: peer reads none of the replies it asks for")

// maxQueuedReplies bounds the replies that may wait to be sent. Replies
// queue only while the peer does not read (its receive window and our
// socket buffer are full): no Telnet peer asks this much without reading.
const maxQueuedReplies = 256 << 10

// A Conn is a Telnet connection: a [net.Conn] whose Read returns only the
// application data the peer sent, and whose Write sends data as Telnet
// requires, while options are negotiated underneath.
//
// # Concurrency
//
// Read and Write may be called from two goroutines at once, and each
// direction runs at full speed whatever the other does: Read never waits
// for a Write, and returns by its deadline. The replies the protocol needs
// while reading (the answer to a DO, say) are queued, and sent ahead of
// the data of the next Write or, when none is in progress, by a goroutine
// started for them that ends once they are sent. A peer that asks for
// more than 256 KiB of replies while it reads none has its connection
// closed, and Read returns [ErrUnreadReplies].
//
// Several goroutines may call Write at once: each Write goes on the wire
// whole, never interleaved with another. The same holds for Read. Every
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
	// Set by the constructor, then never changed.
	conn   net.Conn
	outer  net.Conn // what NetConn returns: conn, or what a Daemon accepted under it
	cfg    *config
	log    *slog.Logger
	onData func() // when set (by a Daemon), called when Read returns data
	mccp   bool   // MCCP is in the policy (and the connection is not TLS)

	// The lock order is hsMu, then rmu or wmu, then mu; dmu is taken
	// alone. No goroutine holds rmu and wmu at once.

	hsMu   sync.Mutex // serialises Handshake
	hsDone atomic.Bool
	hsErr  error // set before hsDone

	// The read side.
	rmu     sync.Mutex
	pending []byte    // data for Read, decoded or kept from an earlier read
	pbuf    []byte    // the buffer of pending when it holds decoded data
	rerr    error     // a read error to return once pending is empty
	readCR  bool      // the last byte returned was a CR turned into LF
	sbSince time.Time // when the SB now open began
	zin     *inflater // decompresses what the peer sends, while it compresses

	// The write side.
	wmu     sync.Mutex
	wtail   []byte // what a failed write left unsent that must go first
	writeCR bool   // the last data byte written was a CR
	encoder *charset.Encoder
	zout    *deflater // compresses what we send, while MCCP is on

	// The read deadline the user set, which the read side moves for its
	// own waits and puts back.
	dmu       sync.Mutex // serialises setting the read deadline of conn
	rdeadline atomic.Pointer[time.Time]

	closed atomic.Bool

	// The negotiated state.
	mu        sync.Mutex
	eng       *negotiate.Engine
	neg       negotiator
	replying  bool     // a goroutine is sending the queued replies
	changes   []Change // to report once mu is released
	listeners []*changeListener
	// CHARSET, LANG and the codecs of WithEncoding.
	charsetName string // the character set agreed, canonical
	langName    string // the encoding of the client's LANG, canonical
	dec         *charset.Decoder
	inName      string // the encodings in use now
	outName     string
	decErr      error // an invalid input under the Strict policy, for Read
	// MCCP: whether what we send is compressed once the replies queued
	// now are sent, where in them that changes, and whether the peer's
	// SB that starts its compressed stream has just been read.
	zOn       bool
	zSwitches []compressionSwitch
	zStart    bool
	lm        linemodeState // LINEMODE, as agreed with the peer
	flow      flowControl   // LFLOW
}

func newConn(c net.Conn, client bool, opts []Option) *Conn {
	return newConnConfig(c, newConfig(client, opts))
}

// newConnConfig returns a Conn with a configuration that may be shared
// with other Conns (those of one listener), and is never changed; the
// role is the configuration's.
func newConnConfig(c net.Conn, cfg *config) *Conn {
	tc := &Conn{conn: c, outer: c, cfg: cfg, log: cfg.logger}
	ecfg := negotiate.Config{Local: cfg.local, Remote: cfg.remote, MaxSubnegotiation: cfg.maxSB}
	for _, opt := range []negotiate.Option{negotiate.MCCP2, negotiate.MCCP3} {
		tc.mccp = tc.mccp || ecfg.Local.Has(opt) || ecfg.Remote.Has(opt)
	}
	if tc.mccp && tlsConn(c) != nil { // see WithCompression
		tc.mccp = false
		for _, opt := range []negotiate.Option{negotiate.MCCP2, negotiate.MCCP3} {
			ecfg.Local.Remove(opt)
			ecfg.Remote.Remove(opt)
		}
	}
	if tc.mccp {
		_, recv, _ := mccpSides(cfg.client)
		ecfg.StopAfter.Add(recv)
	}
	tc.eng = negotiate.New(ecfg)
	if cfg.client {
		tc.neg = newClientNegotiation(tc)
	} else {
		tc.neg = &serverNegotiation{c: tc}
	}
	if cfg.enc != nil {
		tc.dec = charset.NewDecoder(nil, cfg.encErrors)
		tc.encoder = charset.NewEncoder(nil, cfg.encErrors)
		tc.inName, tc.outName = "UTF-8", "UTF-8"
		tc.updateCodecs()
	}
	return tc
}

// Server returns a Conn in the server role over c, which may be any
// net.Conn (a *tls.Conn too). The negotiation starts with the first Read,
// Write or Handshake. A bad option (an unknown encoding, say) makes every
// Handshake, Read and Write return its error.
//
// By default the server asks for the client's terminal type (TTYPE, with
// the cycle of RFC 1091), window size (NAWS) and environment
// (NEW-ENVIRON), offers to suppress go-ahead and to send binary, and
// offers to echo once the terminal type is known, unless the client is a
// MUD client, which would take WILL ECHO for a password prompt.
func Server(c net.Conn, opts ...Option) *Conn { return newConn(c, false, opts) }

// Client returns a Conn in the client role over c, which may be any
// net.Conn (a *tls.Conn too). A bad option makes every Handshake, Read and
// Write return its error.
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
// returns an error only when c's configuration is bad, the offers cannot
// be written, the connection fails, or ctx ends first; the data path then
// reports the same errors. Only the first call does anything; later calls
// return its result.
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
			if opt := negotiate.Option(i); c.cfg.request[side].Has(opt) && (c.mccp || !isMCCP(opt)) {
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
	defer c.unlockRead()
	deadline := time.Now().Add(c.cfg.timeout)
	ctxDeadline := false
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxDeadline = d, true
	}
	if user := c.userReadDeadline(); !user.IsZero() && user.Before(deadline) {
		deadline, ctxDeadline = user, false // Read reports the user's deadline
	}
	if err := c.setReadWait(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.setReadWait(aLongTimeAgo) })
	defer func() {
		stop()
		c.endReadWait()
	}()

	buf := make([]byte, 4096)
	for !c.settled() {
		n, err := c.readWire(buf)
		if n > 0 {
			before := len(c.pending)
			n = c.receive(buf[:n])
			// What stayed in place came before what was decoded.
			c.pending = slices.Insert(c.pending, before, buf[:n]...)
			if rerr := c.sendReplies(); rerr != nil {
				c.rerr = rerr
				return rerr
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
	return !c.eng.Negotiating() && c.neg.settled()
}

// Read reads application data into p. It returns as soon as some data has
// arrived, never 0 with a nil error: when the bytes received hold only
// protocol, it reads again. The replies the protocol needs are queued to
// be sent (see [Conn]). See [Conn] for what Read does to line endings.
func (c *Conn) Read(p []byte) (int, error) {
	if c.cfg.err != nil {
		return 0, c.cfg.err
	}
	c.Handshake(context.Background()) // its errors reach the reads below
	c.rmu.Lock()
	defer c.unlockRead()
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
		waiting := c.armSubnegotiationWait()
		n, err := c.readWire(p)
		if waiting {
			c.endReadWait()
		}
		if n > 0 {
			n = c.receive(p[:n])
			if rerr := c.sendReplies(); rerr != nil {
				err = rerr // the connection is closed
			}
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
		}
		if err != nil {
			if waiting && isTimeout(err) && !c.userDeadlinePassed() {
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

// unlockRead releases c.rmu, ending the decompression first if Close
// came while the lock was held.
func (c *Conn) unlockRead() {
	if c.closed.Load() {
		c.stopInflate()
	}
	c.rmu.Unlock()
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

// armSubnegotiationWait bounds the next read when an SB is open: by
// subnegotiationWait of silence, and by the time an SB may stay open in
// all ([WithSubnegotiationTimeout]). It reports whether it did. It runs
// with c.rmu held.
func (c *Conn) armSubnegotiationWait() bool {
	c.mu.Lock()
	inSB := c.eng.InSubnegotiation()
	c.mu.Unlock()
	if !inSB {
		c.sbSince = time.Time{}
		return false
	}
	now := time.Now()
	if c.sbSince.IsZero() {
		c.sbSince = now
	}
	wait := now.Add(subnegotiationWait)
	if end := c.sbSince.Add(c.cfg.sbTimeout); end.Before(wait) {
		wait = end
	}
	if user := c.userReadDeadline(); !user.IsZero() && user.Before(wait) {
		return false
	}
	return c.setReadWait(wait) == nil
}

// abortSubnegotiation ends an SB the peer left open. After a silence, its
// payload is returned as data: peers that leave an SB open (the npm
// telnet-client answers TTYPE SEND with a bare IAC SB TTYPE) send the
// user's input after it. It copies what fits into p, keeps the rest for
// the next Read, and returns the count. An SB open for longer than
// WithSubnegotiationTimeout allows is dropped, payload and all. It runs
// with c.rmu held.
func (c *Conn) abortSubnegotiation(p []byte) int {
	expired := !time.Now().Before(c.sbSince.Add(c.cfg.sbTimeout))
	c.sbSince = time.Time{}
	c.mu.Lock()
	opt, payload := c.eng.AbortSubnegotiation()
	if expired {
		c.mu.Unlock()
		c.log.Warn("telnet: subnegotiation open too long, dropped",
			"option", opt, "bytes", len(payload), "after", c.cfg.sbTimeout, "peer", c.conn.RemoteAddr())
		return 0
	}
	data := slices.Clone(payload)
	if !c.cfg.rawLineEndings {
		data = data[:c.foldLineEnds(data)]
	}
	c.mu.Unlock()
	c.log.Warn("telnet: subnegotiation left open, its payload returned as data",
		"option", opt, "bytes", len(data), "peer", c.conn.RemoteAddr())
	n := copy(p, data)
	c.pending = data[n:]
	return n
}

// setReadWait sets the read deadline of conn to t, for a wait of the
// read side's own. It runs with c.rmu held.
func (c *Conn) setReadWait(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	return c.conn.SetReadDeadline(t)
}

// endReadWait puts the user's read deadline back on conn.
func (c *Conn) endReadWait() {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.conn.SetReadDeadline(c.userReadDeadline())
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
// It runs with c.rmu held.
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
		c.follow(ev)
		c.neg.advance()
		c.updateCodecs()
	}
	if c.zStart { // the rest of buf is compressed
		c.zStart = false
		c.startInflate(buf[len(buf)-c.eng.Unparsed():])
	}
	w = c.emit(buf, w, buf[start:n])
	c.neg.advance()
	c.updateCodecs()
	if len(events) > 0 {
		c.eng.Release() // an idle connection keeps no event buffers
	}
	return w
}

// emit adds one run of data, seg, to what Read returns: its line endings
// folded and, with an encoding, decoded. Without an encoding, or with
// UTF-8 arriving as UTF-8, it stays in place, compacted to buf[w:]; the
// new end of that is returned. It runs with c.rmu and c.mu held.
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

// sendReplies has the replies the engine queued sent without waiting for
// the write side: it starts a goroutine to send them, unless one is
// already at it. When too many wait, it closes the connection and returns
// ErrUnreadReplies.
func (c *Conn) sendReplies() error {
	c.mu.Lock()
	queued := c.eng.OutputLen()
	start := queued > 0 && !c.replying
	c.replying = c.replying || start
	c.mu.Unlock()
	if queued > maxQueuedReplies {
		c.log.Warn("telnet: peer reads none of its replies; closing", "queued", queued, "peer", c.conn.RemoteAddr())
		c.Close()
		return ErrUnreadReplies
	}
	if start {
		go c.writeReplies()
	}
	return nil
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
	err := c.conn.Close()
	// A Read in progress ends the decompression itself (see Read).
	if c.rmu.TryLock() {
		c.stopInflate()
		c.rmu.Unlock()
	}
	return err
}

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines, as [net.Conn] documents.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the read deadline, as [net.Conn] documents. Read
// returns by it even while it waits for the rest of a subnegotiation.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.rdeadline.Store(&t)
	return c.conn.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline, as [net.Conn] documents. It
// bounds the sending of queued protocol replies too.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }
