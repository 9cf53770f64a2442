package telnet

import (
	"context"
	"sync"

	"github.com/telnetkit/telnet/negotiate"
)

// writeChunk is how much of a Write is encoded for one write to the
// network: the encoding goes through a bounded buffer, whatever the size
// of the Write.
const writeChunk = 32 << 10

// A wireBuffer holds the encoding of one chunk: the wire bytes, and the
// chunk in the peer's character encoding when it has one.
type wireBuffer struct {
	wire, text []byte
}

// wireBuffers are shared by every Conn, so that an idle connection holds
// no write buffer and a busy one allocates none.
var wireBuffers = sync.Pool{New: func() any { return new(wireBuffer) }}

// maxPooledBuffer is the largest buffer put back in wireBuffers; larger
// ones (replies to a flood, say) are left to the garbage collector.
const maxPooledBuffer = 4*writeChunk + maxQueuedReplies

// Write writes p as Telnet data: IAC bytes are doubled and line endings
// follow the rules described at [Conn]; with [WithEncoding], p is UTF-8
// and is sent in the peer's encoding. Protocol replies still queued go out
// first.
//
// It returns len(p) and a nil error when all of p was sent. On an error
// it returns how many bytes of p were sent; the connection stays usable
// after a timeout, since what was cut inside a Telnet sequence (the
// second IAC of a doubled one, say) is sent first by the next write. With
// an encoding, the count is of whole chunks of 32 KiB, and the peer may
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
	c.mu.Unlock()
	encode := false
	if c.encoder != nil {
		if c.encoder.Name() != outName {
			c.encoder.SetEncoding(codecEncoding(outName))
		}
		encode = !c.encoder.Passthrough()
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
	defer func() {
		if cap(b.wire) <= maxPooledBuffer && cap(b.text) <= maxPooledBuffer {
			wireBuffers.Put(b)
		}
	}()
	wire := append(b.wire[:0], c.wtail...)
	c.wtail = c.wtail[:0]
	c.mu.Lock()
	wire = c.eng.AppendOutput(wire)
	c.mu.Unlock()
	head := len(wire) // the protocol bytes before the data

	sent := 0
	for first := true; first || sent < len(p); first = false {
		chunk := p[sent:min(len(p), sent+writeChunk)]
		data := chunk
		if encode {
			var err error
			b.text, err = c.appendEncoded(b.text[:0], chunk)
			if err != nil {
				b.wire = wire
				c.writePartial(wire[:head])
				return sent, err
			}
			data = b.text
		}
		afterCR := c.writeCR
		wire, c.writeCR = mode.append(wire, data, afterCR)
		if len(wire) == 0 {
			break
		}
		n, err := c.conn.Write(wire)
		b.wire = wire
		if err != nil {
			k := c.cut(wire, n, head, mode, data, afterCR)
			if encode {
				k = 0 // the wire bytes do not map back to p's
			}
			return sent + k, err
		}
		sent += len(chunk)
		wire, head = wire[:0], 0
	}
	return sent, nil
}

// writePartial writes the protocol bytes that must go even when the data
// after them cannot, and keeps what it could not send for the next write.
// It runs with c.wmu held.
func (c *Conn) writePartial(proto []byte) {
	if len(proto) == 0 {
		return
	}
	if n, err := c.conn.Write(proto); err != nil {
		c.wtail = append(c.wtail[:0], proto[n:]...)
	}
}

// cut deals with a write of wire that stopped after n bytes, where wire
// holds head protocol bytes and then data encoded in mode after afterCR.
// It keeps in c.wtail what must still be sent for the stream to stay
// well-formed: the protocol bytes not sent, or the rest of a data byte's
// encoding cut in two. It returns how many bytes of data count as sent.
// It runs with c.wmu held.
func (c *Conn) cut(wire []byte, n, head int, mode writeMode, data []byte, afterCR bool) int {
	if n < head {
		c.wtail = append(c.wtail[:0], wire[n:head]...)
		c.writeCR = afterCR
		return 0
	}
	k, owed, cr := mode.sent(data, n-head, afterCR)
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
