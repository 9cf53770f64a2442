package telnet

import (
	"context"
	"net"
	"sync"

	"github.com/telnetkit/telnet/negotiate"
)

// A Write is encoded a chunk at a time, through buffers of bounded size
// whatever the size of the Write. On a connection that can write a vector
// of buffers at once (TCP, Unix), the wire form of data with few bytes to
// change is written without a copy, from pieces of the Write itself, up
// to maxPieces pieces a write; otherwise the pieces are joined in one
// buffer and written.
const (
	writeChunk = 64 << 10
	maxGather  = 1 << 20
	maxPieces  = 1024 // the most buffers in one vectored write (IOV_MAX)
	// A chunk whose pieces are shorter than this on average is copied:
	// the kernel handles each piece of a vector apart.
	minPiece = 256
)

// A wireBuffer holds the wire form of a Write in progress: the protocol
// bytes that go first, the chunk in the peer's character encoding when it
// has one, the pieces of the wire form, and those pieces joined.
type wireBuffer struct {
	head  []byte
	text  []byte
	segs  [][]byte
	bufs  net.Buffers // segs as handed to the vectored write
	wire  []byte
	plain []byte // the wire form before compression, under MCCP
	hist  []byte // the compressor's dictionary before a chunk, under MCCP
}

// wireBuffers are shared by every Conn, so that an idle connection holds
// no write buffer and a busy one allocates none.
var wireBuffers = sync.Pool{New: func() any { return new(wireBuffer) }}

// maxPooledBuffer is the largest buffer put back in wireBuffers; larger
// ones (replies to a flood, say) are left to the garbage collector.
const maxPooledBuffer = maxGather + 2*writeChunk + maxQueuedReplies

// Write writes p as Telnet data: IAC bytes are doubled and line endings
// follow the rules described at [Conn]; with [WithEncoding], p is UTF-8
// and is sent in the peer's encoding. Protocol replies still queued go out
// first.
//
// It returns len(p) and a nil error when all of p was sent. On an error
// it returns how many bytes of p were sent; the connection stays usable
// after a timeout, since what was cut inside a Telnet sequence (the
// second IAC of a doubled one, say) is sent first by the next write. With
// an encoding, the count is of whole chunks of 64 KiB, and the peer may
// have received part of the next. Under [charset.Strict], text the
// encoding cannot represent stops the Write with an error before that
// chunk is sent.
func (c *Conn) Write(p []byte) (int, error) {
	if c.cfg.err != nil {
		return 0, c.cfg.err
	}
	c.Handshake(context.Background()) // its errors reach the write below
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(p)
}

// flush writes the replies the engine has queued, and waits for them to
// be sent.
func (c *Conn) flush() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.writeLocked(nil)
	return err
}

// writeReplies sends the replies the read side queued, until none is
// left. It runs in a goroutine of its own, started by sendReplies, and
// ends when the queue is empty or a write fails (the connection closed,
// or a write deadline passed: then the next Write sends what is left).
func (c *Conn) writeReplies() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	for {
		c.mu.Lock()
		if c.eng.OutputLen() == 0 {
			c.replying = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if _, err := c.writeLocked(nil); err != nil {
			c.log.Debug("telnet: replies not sent", "err", err, "peer", c.conn.RemoteAddr())
			c.mu.Lock()
			c.replying = false
			c.mu.Unlock()
			return
		}
	}
}

// writeLocked writes what a failed write left, the queued replies, and
// then p, encoded. It runs with c.wmu held.
func (c *Conn) writeLocked(p []byte) (int, error) {
	c.mu.Lock()
	mode := c.writeMode()
	outName := c.outName
	queued := c.eng.OutputLen() > 0
	compress := c.zout != nil || len(c.zSwitches) > 0
	c.mu.Unlock()
	encode := false
	if c.encoder != nil {
		if c.encoder.Name() != outName {
			c.encoder.SetEncoding(codecEncoding(outName))
		}
		encode = !c.encoder.Passthrough()
	}
	if compress {
		return c.writeCompressed(p, mode, encode)
	}
	if !encode && !queued && len(c.wtail) == 0 && !mode.changes(p, c.writeCR) {
		// The bulk path: p goes as it is, without a copy.
		if len(p) == 0 {
			return 0, nil
		}
		n, err := c.conn.Write(p)
		if n > 0 {
			c.writeCR = p[n-1] == '\r'
		}
		return n, err
	}

	b := wireBuffers.Get().(*wireBuffer)
	defer b.release()
	// What a failed write left and the replies go first.
	b.head = append(b.head[:0], c.wtail...)
	c.wtail = c.wtail[:0]
	c.mu.Lock()
	b.head = c.eng.AppendOutput(b.head)
	c.mu.Unlock()
	vectored := !encode && isVectored(c.conn)
	chunkSize := writeChunk
	if vectored {
		chunkSize = maxGather
	}

	// b.wire holds the wire form of head, the protocol bytes that go
	// first, then of data[from:d], which began after fromCR.
	head := b.head
	b.wire = append(b.wire[:0], head...)
	sent := 0
	for first := true; first || sent < len(p); first = false {
		chunk := p[sent:min(len(p), sent+chunkSize)]
		data := chunk
		if encode {
			var err error
			if b.text, err = c.appendEncoded(b.text[:0], chunk); err != nil {
				if len(head) > 0 { // the protocol bytes go all the same
					c.writeWire(b.wire, mode, head, nil, c.writeCR)
				}
				return sent, err
			}
			data = b.text
		}
		from, fromCR := 0, c.writeCR
		for d := 0; d < len(data) || len(b.wire) > 0; {
			afterCR := c.writeCR
			segs := b.segs[:0]
			if len(head) > 0 {
				segs = append(segs, head)
			}
			segs, k, cr := mode.segments(segs, data[d:], afterCR, maxPieces)
			b.segs, c.writeCR = segs, cr
			if vectored && len(b.wire) == len(head) && len(segs) <= k/minPiece+5 {
				// Few pieces: written from p itself.
				b.bufs = segs
				n, err := writeBuffers(c.conn, &b.bufs)
				if err != nil {
					return sent + d + c.cut(mode, head, int(n), data[d:d+k], afterCR), err
				}
			} else {
				for _, s := range segs[min(len(head), 1):] {
					b.wire = append(b.wire, s...)
				}
				if d+k < len(data) && len(b.wire) < writeChunk {
					d += k
					continue // join more
				}
				if k, err := c.writeWire(b.wire, mode, head, data[from:d+k], fromCR); err != nil {
					if encode {
						return sent, err // the wire bytes do not map back to p's
					}
					return sent + from + k, err
				}
			}
			head, b.wire = nil, b.wire[:0]
			d += k
			from, fromCR = d, c.writeCR
		}
		sent += len(chunk)
	}
	return len(p), nil
}

// writeWire writes wire, the wire form of head and then of span after
// afterCR. On an error it returns how many bytes of span count as sent
// (see [Conn.cut]).
func (c *Conn) writeWire(wire []byte, mode writeMode, head, span []byte, afterCR bool) (int, error) {
	n, err := c.conn.Write(wire)
	if err != nil {
		return c.cut(mode, head, n, span, afterCR), err
	}
	return len(span), nil
}

// release puts b back in wireBuffers, holding no reference to the data
// written, unless it grew too large to keep.
func (b *wireBuffer) release() {
	clear(b.segs[:cap(b.segs)])
	clear(b.bufs[:cap(b.bufs)])
	if cap(b.wire) <= maxPooledBuffer && cap(b.text) <= maxPooledBuffer && cap(b.plain) <= maxPooledBuffer &&
		cap(b.head) <= maxPooledBuffer && cap(b.segs) <= 2*maxPieces {
		wireBuffers.Put(b)
	}
}

// isVectored reports whether nc writes a vector of buffers in one system
// call ([net.Buffers] falls back to one write per buffer otherwise),
// itself or through a wrapper.
func isVectored(nc net.Conn) bool {
	switch nc := nc.(type) {
	case *net.TCPConn, *net.UnixConn:
		return true
	case buffersWriter:
		return nc.vectored()
	}
	return false
}

// A buffersWriter is a wrapper of a network connection that passes
// vectored writes on to it, as a Daemon's connections do.
type buffersWriter interface {
	// vectored reports whether the connection under it writes a vector
	// in one system call.
	vectored() bool
	// writeBuffers writes b as b.WriteTo does, consuming it.
	writeBuffers(b *net.Buffers) (int64, error)
}

// writeBuffers writes b to nc in one system call where nc can.
func writeBuffers(nc net.Conn, b *net.Buffers) (int64, error) {
	if bw, ok := nc.(buffersWriter); ok {
		return bw.writeBuffers(b)
	}
	return b.WriteTo(nc)
}

// cut deals with a write that stopped after n bytes of the wire form of
// head and then of data in mode after afterCR. It keeps in
// c.wtail what must still be sent for the stream to stay well-formed: the
// protocol bytes not sent, or the rest of a data byte's encoding cut in
// two. It returns how many bytes of data count as sent. It runs with
// c.wmu held.
func (c *Conn) cut(mode writeMode, head []byte, n int, data []byte, afterCR bool) int {
	if n < len(head) {
		c.wtail = append(c.wtail[:0], head[n:]...)
		c.writeCR = afterCR
		return 0
	}
	k, owed, cr := mode.sent(data, n-len(head), afterCR)
	c.wtail = append(c.wtail[:0], owed...)
	c.writeCR = cr
	return k
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
