package compat

import "bytes"

// A queue is a byte FIFO that is linear in the bytes that pass through it:
// appends are amortized O(1) per byte, and consumed bytes are reclaimed by
// sliding the rest down only once they are at least as many as the rest.
// Python's cookedq is an immutable bytes object rebuilt at every append,
// which is what makes its read_very_eager quadratic.
type queue struct {
	buf []byte
	off int
}

// Len returns the number of bytes queued.
func (q *queue) Len() int { return len(q.buf) - q.off }

// Bytes returns the bytes queued, valid until the next change of q.
func (q *queue) Bytes() []byte { return q.buf[q.off:] }

// Write appends p.
func (q *queue) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	if q.off > 0 && len(q.buf)+len(p) > cap(q.buf) && q.off >= q.Len() {
		n := copy(q.buf, q.buf[q.off:])
		q.buf, q.off = q.buf[:n], 0
	}
	q.buf = append(q.buf, p...)
}

// Next removes the first n bytes and returns them in a slice of their own.
func (q *queue) Next(n int) []byte {
	if n == q.Len() {
		return q.All()
	}
	p := bytes.Clone(q.buf[q.off : q.off+n])
	q.off += n
	return p
}

// All removes every byte and returns them; the caller owns the slice,
// which is nil when the queue was empty.
func (q *queue) All() []byte {
	if q.Len() == 0 {
		q.buf, q.off = q.buf[:0], 0
		return nil
	}
	p := q.buf[q.off:len(q.buf):len(q.buf)]
	q.buf, q.off = nil, 0
	return p
}
