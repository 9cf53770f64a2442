package telnet

import (
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/klauspost/compress/flate"
	"github.com/telnetkit/telnet/negotiate"
)

// ErrBadCompression is returned by Read when the compressed stream the
// peer sends (MCCP2 from a server, MCCP3 from a client) cannot be
// decompressed. The session cannot go on: the rest of the stream is lost.
var ErrBadCompression = errors.New("telnet: invalid compressed stream from the peer")

// WithCompression turns on MCCP (the MUD Client Compression Protocol):
// a server offers MCCP2, to compress what it sends, and MCCP3, for the
// client to compress what it sends; a client agrees to both when the
// server offers them. Each side compresses its output from the byte after
// the IAC SB MCCP2 (or MCCP3) IAC SE it sends, and the other decompresses
// from the exact byte after that SB. What a Write sends is flushed at its
// end, so the peer never waits for the rest of a block.
//
// MCCP is never used over TLS, whatever the option says: compressing
// before encrypting lets whoever can inject text into a session learn
// secrets from the length of what is sent (the CRIME and BREACH attacks).
//
// The compressor keeps no state between writes but the last 4 KiB sent,
// used as the dictionary of the next write, so that an idle compressed
// connection holds little memory. Decompressing (MCCP3 on a server,
// MCCP2 on a client) holds about 50 KiB per connection while the peer
// compresses, most of it the 32 KiB window of the stream, and a goroutine
// that [Conn.Close] ends.
func WithCompression() Option {
	return func(c *config) {
		if c.client {
			c.setPolicy(negotiate.Remote, negotiate.MCCP2, Accept)
			c.setPolicy(negotiate.Remote, negotiate.MCCP3, Accept)
		} else {
			c.setPolicy(negotiate.Local, negotiate.MCCP2, Request)
			c.setPolicy(negotiate.Local, negotiate.MCCP3, Request)
		}
	}
}

// The MCCP options at each end, by role: a server compresses under MCCP2
// enabled at its end and decompresses after the client's SB MCCP3; a
// client compresses under MCCP3 (enabled at the server's end) and
// decompresses after the server's SB MCCP2. Both options are always
// enabled at the server's end.
func mccpSides(client bool) (send, recv negotiate.Option, side negotiate.Side) {
	if client {
		return negotiate.MCCP3, negotiate.MCCP2, negotiate.Remote
	}
	return negotiate.MCCP2, negotiate.MCCP3, negotiate.Local
}

// A compressionSwitch is where, in the protocol bytes the engine has
// queued, the compression of what is sent starts or ends.
type compressionSwitch struct {
	at int  // an offset in the engine's output queue
	on bool // whether compression starts there
}

// isMCCP reports whether opt is one of the MCCP options a Conn handles.
func isMCCP(opt negotiate.Option) bool { return opt == negotiate.MCCP2 || opt == negotiate.MCCP3 }

// mccpEvent acts on an event about MCCP: the option that compresses what
// we send starts the stream with our SB once enabled, and ends it when
// disabled; the peer's SB that starts its stream makes Read decompress
// what follows. It runs with c.mu held.
func (c *Conn) mccpEvent(ev negotiate.Event) {
	send, recv, side := mccpSides(c.cfg.client)
	switch {
	case ev.Kind == negotiate.EventOption && ev.Option == send && ev.Side == side && ev.Enabled != c.zOn:
		if ev.Enabled {
			c.eng.SendSubnegotiation(send, nil)
		}
		c.zOn = ev.Enabled
		c.zSwitches = append(c.zSwitches, compressionSwitch{at: c.eng.OutputLen(), on: ev.Enabled})
	case ev.Kind == negotiate.EventSubnegotiation && ev.Option == recv && ev.OptionOn:
		c.zStart = true
	}
}

// A deflater compresses what a Conn sends as one zlib stream (RFC 1950,
// as MCCP requires), each piece flushed to a byte boundary so that the
// peer can decompress all of it at once. It keeps no compressor state
// between pieces, only the last bytes compressed, which serve as the
// dictionary of the next piece: the standard library's compressor holds
// about 800 KiB per stream, too much for thousands of idle players.
type deflater struct {
	started bool
	sum     uint32 // the Adler-32 of everything compressed so far
	hist    []byte // the last deflateHistory bytes compressed
	dst     []byte // where Write appends, during append
}

// deflateHistory is how much of what was sent is kept as the dictionary
// of the next write. Most of the ratio comes from the first KiBs.
const deflateHistory = 4 << 10

// zlibHeader is a zlib header for a deflate stream with a 32 KiB window
// and the default level.
var zlibHeader = [2]byte{0x78, 0x9c}

// append appends p compressed to dst.
func (d *deflater) append(dst, p []byte) []byte {
	if !d.started {
		dst = append(dst, zlibHeader[:]...)
		d.started, d.sum = true, 1
	}
	if len(p) == 0 {
		return dst
	}
	d.dst = dst
	flate.StatelessDeflate(d, p, false, d.hist) // Write never fails
	dst, d.dst = d.dst, nil
	d.sum = adler32Update(d.sum, p)
	if len(p) >= deflateHistory {
		d.hist = append(d.hist[:0], p[len(p)-deflateHistory:]...)
	} else {
		if drop := len(d.hist) + len(p) - deflateHistory; drop > 0 {
			d.hist = d.hist[:copy(d.hist, d.hist[drop:])]
		}
		d.hist = append(d.hist, p...)
	}
	return dst
}

// finish appends the end of the stream to dst.
func (d *deflater) finish(dst []byte) []byte {
	dst = d.append(dst, nil)
	d.dst = dst
	flate.StatelessDeflate(d, nil, true, nil)
	dst, d.dst = d.dst, nil
	return binary.BigEndian.AppendUint32(dst, d.sum)
}

// Write appends p to d.dst, for StatelessDeflate.
func (d *deflater) Write(p []byte) (int, error) {
	d.dst = append(d.dst, p...)
	return len(p), nil
}

// adler32Update returns the Adler-32 checksum sum extended with p (RFC
// 1950), so that no hash object need be kept per connection.
func adler32Update(sum uint32, p []byte) uint32 {
	const mod, nmax = 65521, 5552
	s1, s2 := sum&0xffff, sum>>16
	for len(p) > 0 {
		chunk := p[:min(len(p), nmax)]
		p = p[len(chunk):]
		for _, b := range chunk {
			s1 += uint32(b)
			s2 += s1
		}
		s1 %= mod
		s2 %= mod
	}
	return s2<<16 | s1
}

// An inflater turns the compressed stream the peer sends back into
// Telnet bytes. The zlib reader pulls its input, and an error from its input is
// final, so a read deadline passing inside the stream would end the
// session; instead the reader runs as a coroutine that hands control back
// whenever it needs input, and Read reads the connection itself, with its
// deadlines, and resumes it.
type inflater struct {
	buf   []byte // the input buffer
	in    []byte // input received and not yet consumed: a part of buf
	obuf  []byte // the output buffer of the coroutine
	ready []byte // output not yet read: a part of obuf
	want  bool   // the coroutine waits for input
	done  bool   // the coroutine has ended: in is plain Telnet, unless err
	err   error  // why the stream ended early; nil at its end

	yield func(struct{}) bool
	next  func() (struct{}, bool)
	stop  func()
}

// The sizes of an inflater's buffers: small for a peer that sends
// little (a player's commands), doubled each time one fills, for a bulk
// stream.
const (
	inflateMinBuffer = 1 << 10
	inflateMaxBuffer = 32 << 10
)

// grown returns buf, or a buffer twice its size when n bytes filled it.
func grown(buf []byte, n int) []byte {
	if n < len(buf) || len(buf) >= inflateMaxBuffer {
		return buf
	}
	return make([]byte, 2*len(buf))
}

// newInflater returns an inflater for a stream whose first bytes, read
// with the SB that started it, are first.
func newInflater(first []byte) *inflater {
	z := &inflater{obuf: make([]byte, inflateMinBuffer)}
	z.in = append(make([]byte, 0, inflateMinBuffer), first...)
	z.buf = z.in[:cap(z.in)]
	z.next, z.stop = iter.Pull(z.run)
	return z
}

// errInflaterStopped ends the coroutine of an inflater that is stopped.
var errInflaterStopped = errors.New("telnet: decompression stopped")

// run is the coroutine: it decompresses into z.obuf, and yields when it
// has output or needs input.
func (z *inflater) run(yield func(struct{}) bool) {
	z.yield = yield
	zr, err := z.decompressor()
	for err == nil {
		var n int
		n, err = zr.Read(z.obuf)
		z.ready = z.obuf[:n]
		z.obuf = grown(z.obuf, n)
		if err == nil && n > 0 && !yield(struct{}{}) {
			return
		}
	}
	if err != io.EOF {
		z.err = err
	}
}

// decompressor returns the reader of the stream in the form its first
// byte tells: zlib, as MCCP requires, or the gzip or raw deflate some
// servers send instead.
func (z *inflater) decompressor() (io.Reader, error) {
	if err := z.fill(); err != nil {
		return nil, err
	}
	switch b := z.in[0]; {
	case b&0x0f == 8: // zlib: CM 8, deflate
		return zlib.NewReader(z)
	case b == 0x1f: // gzip's first magic byte
		gr, err := gzip.NewReader(z)
		if err != nil {
			return nil, err
		}
		gr.Multistream(false) // plain Telnet may follow the stream
		return gr, nil
	}
	return flate.NewReader(z), nil
}

// ReadByte hands the coroutine the next input byte, for the zlib reader.
func (z *inflater) ReadByte() (byte, error) {
	if err := z.fill(); err != nil {
		return 0, err
	}
	b := z.in[0]
	z.in = z.in[1:]
	return b, nil
}

// Read hands the coroutine input, for the zlib reader.
func (z *inflater) Read(p []byte) (int, error) {
	if err := z.fill(); err != nil {
		return 0, err
	}
	n := copy(p, z.in)
	z.in = z.in[n:]
	return n, nil
}

// fill waits, in the coroutine, for input.
func (z *inflater) fill() error {
	for len(z.in) == 0 {
		z.want = true
		if !z.yield(struct{}{}) {
			return errInflaterStopped
		}
	}
	return nil
}

// read reads decompressed bytes into p, reading the connection r when
// the stream needs more input. After the end of the stream it returns the
// plain bytes that followed it.
func (z *inflater) read(r io.Reader, p []byte) (int, error) {
	for {
		switch {
		case len(z.ready) > 0:
			n := copy(p, z.ready)
			z.ready = z.ready[n:]
			return n, nil
		case z.done && z.err != nil:
			return 0, fmt.Errorf("%w: %w", ErrBadCompression, z.err)
		case z.done:
			n := copy(p, z.in)
			z.in = z.in[n:]
			return n, nil
		case z.want && len(z.in) == 0:
			n, err := r.Read(z.buf)
			z.in = z.buf[:n]
			z.buf = grown(z.buf, n)
			if n == 0 {
				if err == nil {
					err = io.ErrNoProgress
				}
				return 0, err
			}
		}
		z.want = false
		if _, more := z.next(); !more {
			z.done = true
		}
	}
}

// ended reports whether the stream has ended and all that followed it in
// the input was read.
func (z *inflater) ended() bool { return z.done && z.err == nil && len(z.ready) == 0 && len(z.in) == 0 }

// readWire reads what the peer sent into p: the bytes of the connection,
// or the decompressed ones while the peer compresses. It runs with c.rmu
// held.
func (c *Conn) readWire(p []byte) (int, error) {
	z := c.zin
	if z == nil {
		return c.conn.Read(p)
	}
	n, err := z.read(c.conn, p)
	if z.ended() {
		z.stop()
		c.zin = nil
		c.log.Debug("telnet: compressed stream from peer ended", "peer", c.conn.RemoteAddr())
	}
	if errors.Is(err, ErrBadCompression) {
		c.log.Warn("telnet: bad compressed stream from peer", "err", err, "peer", c.conn.RemoteAddr())
		c.rerr = err
	}
	return n, err
}

// startInflate starts decompressing what follows the peer's SB, whose
// first bytes are rest. It runs with c.rmu held.
func (c *Conn) startInflate(rest []byte) {
	if c.zin != nil {
		c.rerr = fmt.Errorf("%w: compression started again inside the stream", ErrBadCompression)
		return
	}
	c.zin = newInflater(rest)
	c.log.Debug("telnet: peer compresses from here", "peer", c.conn.RemoteAddr())
}

// stopInflate ends the decompression coroutine, if any. It runs with
// c.rmu held.
func (c *Conn) stopInflate() {
	if c.zin != nil {
		c.zin.stop()
		c.zin = nil
	}
}

// writeCompressed is writeLocked while MCCP compresses what we send, or
// starts or ends doing so among the queued replies. The wire form of p is
// built a chunk at a time and compressed; each write to the connection
// ends on a flushed block. A write cut by an error keeps the rest of the
// compressed bytes in c.wtail, and counts the chunk as sent when any of
// it went. It runs with c.wmu held.
func (c *Conn) writeCompressed(p []byte, mode writeMode, encode bool) (int, error) {
	b := wireBuffers.Get().(*wireBuffer)
	defer b.release()
	c.mu.Lock()
	b.head = c.eng.AppendOutput(b.head[:0])
	switches := c.zSwitches
	c.zSwitches = nil
	c.mu.Unlock()

	// What a cut write left goes as it is, then the queued replies,
	// compressed from where compression starts to where it ends.
	b.wire = append(b.wire[:0], c.wtail...)
	c.wtail = c.wtail[:0]
	at := 0
	for _, s := range switches {
		b.wire = c.appendCompressed(b.wire, b.head[at:s.at])
		at = s.at
		switch {
		case s.on && c.zout == nil:
			c.zout = new(deflater)
			b.wire = c.zout.append(b.wire, nil) // the zlib header
		case !s.on && c.zout != nil:
			b.wire = c.zout.finish(b.wire)
			c.zout = nil
		}
	}
	b.wire = c.appendCompressed(b.wire, b.head[at:])

	sent := 0
	for first := true; first || sent < len(p); first = false {
		chunk := p[sent:min(len(p), sent+writeChunk)]
		data := chunk
		if encode {
			var err error
			if b.text, err = c.appendEncoded(b.text[:0], chunk); err != nil {
				c.writeCompressedWire(b.wire) // the protocol bytes go all the same
				return sent, err
			}
			data = b.text
		}
		// A write that sends nothing of the chunk (its deadline has
		// passed, say) leaves the compressor as it was before it.
		prefix, cr := len(b.wire), c.writeCR
		var sum uint32
		if c.zout != nil {
			b.hist, sum = append(b.hist[:0], c.zout.hist...), c.zout.sum
		}
		b.plain, b.segs, c.writeCR = mode.appendWire(b.plain[:0], b.segs, data, c.writeCR)
		b.wire = c.appendCompressed(b.wire, b.plain)
		n, err := c.conn.Write(b.wire)
		if err != nil && n <= prefix {
			if c.zout != nil {
				c.zout.hist, c.zout.sum = append(c.zout.hist[:0], b.hist...), sum
			}
			c.writeCR = cr
			c.wtail = append(c.wtail[:0], b.wire[n:prefix]...)
			return sent, err
		}
		if err != nil {
			c.wtail = append(c.wtail[:0], b.wire[n:]...)
			return sent + len(chunk), err
		}
		b.wire = b.wire[:0]
		sent += len(chunk)
	}
	return len(p), nil
}

// appendCompressed appends the wire bytes p to dst, compressed when
// compression is on.
func (c *Conn) appendCompressed(dst, p []byte) []byte {
	if c.zout == nil {
		return append(dst, p...)
	}
	return c.zout.append(dst, p)
}

// writeCompressedWire writes wire, keeping in c.wtail what an error left
// unsent. It runs with c.wmu held.
func (c *Conn) writeCompressedWire(wire []byte) error {
	if len(wire) == 0 {
		return nil
	}
	n, err := c.conn.Write(wire)
	if err != nil {
		c.wtail = append(c.wtail[:0], wire[n:]...)
	}
	return err
}
