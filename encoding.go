package telnet

import (
	"errors"
	"fmt"
	"slices"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/text/encoding"
)

// asciiName is the encoding of a direction that is not binary: the NVT
// is 7-bit ASCII (RFC 854).
const asciiName = "US-ASCII"

// WithEncoding makes the Conn speak the encoding called name to the peer,
// and UTF-8 to the program: Read decodes what the peer sent into UTF-8,
// and Write encodes the UTF-8 it is given. Names are those of
// [charset.Lookup] ("utf-8", "latin1", "cp437", "big5", "petscii", ...).
//
// Each direction uses US-ASCII until BINARY is enabled in that direction
// (RFC 856), unless [WithForceBinary] is given; then the encoding is the
// one the client's NEW-ENVIRON LANG names, else the one agreed with
// CHARSET (RFC 2066), which a server offers and a client accepts when it
// matches, else name. Without WithEncoding, bytes pass through unchanged.
// An unknown name makes Listen and Dial fail, and the Handshake, Read and
// Write of a Conn made by Server, Client or NewListener.
func WithEncoding(name string) Option {
	return func(c *config) {
		enc, canonical, err := charset.Lookup(name)
		if err != nil {
			c.err = fmt.Errorf("telnet: WithEncoding: %w", err)
			return
		}
		c.enc, c.encName = enc, canonical
		// Agree on the character set: a server asks with DO CHARSET, a
		// client accepts CHARSET at both ends. A later option may say
		// otherwise.
		c.setPolicy(negotiate.Local, negotiate.Charset, Accept)
		if c.client {
			c.setPolicy(negotiate.Remote, negotiate.Charset, Accept)
		} else {
			c.setPolicy(negotiate.Remote, negotiate.Charset, Request)
		}
	}
}

// WithEncodingErrors sets what happens to what the encoding cannot
// convert: [charset.Replace] (the default) turns it into U+FFFD when
// reading and into '?'-like substitutes when writing, [charset.Ignore]
// drops it, [charset.Strict] drops it and reports an error wrapping
// [charset.ErrInvalid] or [charset.ErrUnencodable].
func WithEncodingErrors(policy charset.Errors) Option {
	return func(c *config) { c.encErrors = policy }
}

// WithForceBinary makes both directions use the encoding of WithEncoding
// from the start, whether or not BINARY is negotiated: the peer (a MUD or
// BBS client, or netcat) sends 8-bit text without it, as most do.
func WithForceBinary() Option {
	return func(c *config) { c.forceBinary = true }
}

// codecEncoding returns the encoding called name, which Lookup knows.
func codecEncoding(name string) encoding.Encoding {
	enc, _, err := charset.Lookup(name)
	if err != nil {
		return nil
	}
	return enc
}

// encodingFor returns the name of the encoding of one direction now:
// binary says whether BINARY is enabled in it. It runs with c.mu held.
func (c *Conn) encodingFor(binary bool) string {
	if !binary && !c.cfg.forceBinary && c.charsetName == "" {
		return asciiName
	}
	switch {
	case c.langName != "":
		return c.langName
	case c.charsetName != "":
		return c.charsetName
	}
	return c.cfg.encName
}

// updateCodecs points the decoder and encoder at the encodings the
// negotiation now calls for, from the next byte on. It runs with c.mu
// held, after every event that may change them.
func (c *Conn) updateCodecs() {
	if c.dec == nil {
		return
	}
	if in := c.encodingFor(c.eng.Enabled(negotiate.Remote, negotiate.Binary)); in != c.inName {
		if c.dec.Buffered() > 0 { // the start of a character cut by the switch
			var tail [16]byte
			n, _ := c.dec.Flush(tail[:])
			c.queue(tail[:n])
		}
		c.dec.SetEncoding(codecEncoding(in))
		c.inName = in
		c.log.Debug("telnet: reading", "encoding", in, "peer", c.conn.RemoteAddr())
	}
	// The encoder belongs to the write side, which switches it to outName.
	if out := c.encodingFor(c.eng.Enabled(negotiate.Local, negotiate.Binary)); out != c.outName {
		c.outName = out
		c.log.Debug("telnet: writing", "encoding", out, "peer", c.conn.RemoteAddr())
	}
}

// appendEncoded appends p, UTF-8, in the encoding of c's encoder to dst.
// The encoder keeps a character cut at the end of p for the next call.
// Under the Strict policy, input it cannot encode is an error. It runs
// with c.wmu held.
func (c *Conn) appendEncoded(dst, p []byte) ([]byte, error) {
	for len(p) > 0 {
		dst = slices.Grow(dst, 2*len(p)+16)
		nDst, nSrc, err := c.encoder.Encode(dst[len(dst):cap(dst)], p)
		dst = dst[:len(dst)+nDst]
		p = p[nSrc:]
		if errors.Is(err, charset.ErrUnencodable) || errors.Is(err, charset.ErrInvalid) {
			return dst, err
		}
	}
	return dst, nil
}

// Encoding returns the names of the encodings Read decodes from and Write
// encodes to now, such as "US-ASCII" before BINARY and "UTF-8" after; both
// are "" without [WithEncoding].
func (c *Conn) Encoding() (read, write string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inName, c.outName
}

// Charset returns the character set agreed with CHARSET (RFC 2066), or "".
func (c *Conn) Charset() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.charsetName
}

// decodeInto adds data, received in the peer's encoding and already
// compacted to the place of its first byte, to what Read returns: in
// place at buf[w:] while the UTF-8 fast path allows and nothing waits in
// c.pending, else decoded into c.pending. It returns the new end of the
// in-place data. It runs with c.mu held.
func (c *Conn) decodeInto(buf []byte, w int, data []byte) int {
	if len(c.pending) == 0 && c.dec.Passthrough() {
		if n, ok := c.dec.DecodeInPlace(data); ok {
			if n > 0 && &buf[w] != &data[0] {
				copy(buf[w:], data[:n])
			}
			return w + n
		}
	}
	fromStart := len(c.pending) == 0
	if fromStart {
		c.pending = c.pbuf[:0] // reuse the decoding buffer
	}
	for len(data) > 0 {
		c.pending = slices.Grow(c.pending, 4*len(data)+16)
		nDst, nSrc, err := c.dec.Decode(c.pending[len(c.pending):cap(c.pending)], data)
		c.pending = c.pending[:len(c.pending)+nDst]
		data = data[nSrc:]
		if errors.Is(err, charset.ErrInvalid) && c.decErr == nil {
			c.decErr = err
		}
	}
	if fromStart {
		c.pbuf = c.pending[:0]
	}
	return w
}

// queue appends data to what waits for Read.
func (c *Conn) queue(data []byte) { c.pending = append(c.pending, data...) }

// takePending moves what waits for Read into p.
func (c *Conn) takePending(p []byte) int {
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	if len(c.pending) == 0 {
		c.pending = nil
	}
	return n
}

// agreeCharset records the character set agreed with CHARSET.
func (c *Conn) agreeCharset(name string) {
	if _, canonical, err := charset.Lookup(name); err == nil {
		c.charsetName = canonical
		c.changes = append(c.changes, Change{Kind: ChangeCharset})
		return
	}
	c.log.Warn("telnet: CHARSET agreed on an unknown encoding", "charset", name, "peer", c.conn.RemoteAddr())
}
