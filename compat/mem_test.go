package compat_test

import (
	"bytes"
	"io"
	"net"
	"sync"
	"time"
)

// memConn is a net.Conn whose reads return the chunks given, in order and
// without waiting, then end of file; what is written to it is recorded.
// It is not a *net.TCPConn, so compat cannot poll it and waits for it
// instead, which it never has to.
type memConn struct {
	mu      sync.Mutex
	chunks  [][]byte
	written bytes.Buffer
}

func newMemConn(chunks ...[]byte) *memConn { return &memConn{chunks: chunks} }

func (c *memConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.chunks) > 0 && len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	return n, nil
}

func (c *memConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written.Write(p)
}

// Written returns what was written so far.
func (c *memConn) Written() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.written.Bytes())
}

func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return memAddr{} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

type memAddr struct{}

func (memAddr) Network() string { return "mem" }
func (memAddr) String() string  { return "mem:23" }
