package compat

import "bytes"

// keepCap is the largest buffer a queue keeps when it is emptied.
const keepCap = 256 << 10

// A queue is a byte FIFO that is linear in the bytes that pass through it:
// appends are amortized O(1) per byte, and when the buffer is full the
// bytes consumed are reclaimed by sliding the rest down, if they are at
// least as many as the rest, or else the buffer doubles. Reads land in its
// free space and are parsed there, so data is copied once, by the read.
//
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

// Free returns the free space after the bytes queued.
func (q *queue) Free() []byte { return q.buf[len(q.buf):cap(q.buf)] }

// Spare returns the free space after the bytes queued, at least n bytes.
func (q *queue) Spare(n int) []byte {
	if cap(q.buf)-len(q.buf) < n {
		q.grow(n)
	}
	return q.buf[len(q.buf):cap(q.buf)]
}

// grow makes room for n more bytes.
func (q *queue) grow(n int) {
	data := q.buf[q.off:]
	if need := len(data) + n; q.off < len(data) || need > cap(q.buf) {
		// Double, where append would grow a large slice by a quarter
		// and copy it four times as often. Growing by append clears only
		// the new space, where make would clear all of it.
		q.buf, q.off = append(data[:len(data):len(data)], make([]byte, max(cap(q.buf), need-len(data)))...)[:len(data)], 0
		return
	}
	q.buf, q.off = append(q.buf[:0], data...), 0
}

// Commit appends p, which is normally at the start of the space Spare
// returned, where it is kept without a copy. It is copied if the queue
// was taken by All in the meantime (the option callback may do that).
func (q *queue) Commit(p []byte) {
	if len(p) == 0 {
		return
	}
	if n := len(q.buf); cap(q.buf)-n >= len(p) && &q.buf[:n+1][n] == &p[0] {
		q.buf = q.buf[:n+len(p)]
		return
	}
	copy(q.Spare(len(p)), p)
	q.buf = q.buf[:len(q.buf)+len(p)]
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
// which is nil when the queue was empty. A buffer at least half full, or
// holding more than keepCap bytes, is handed over; a smaller result is
// copied out, so that a read of a few bytes does not cost a new buffer.
func (q *queue) All() []byte {
	n := q.Len()
	var p []byte
	switch {
	case n == 0:
	case 2*n < cap(q.buf) && n <= keepCap:
		p = bytes.Clone(q.Bytes())
		if cap(q.buf) > keepCap {
			q.buf = nil // let an idle client go of a buffer a burst grew
		}
	default:
		p = q.buf[q.off:len(q.buf):len(q.buf)]
		q.buf = nil
	}
	q.buf, q.off = q.buf[:0], 0
	return p
}
