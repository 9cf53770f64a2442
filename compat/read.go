package compat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"time"
)

var (
	errWouldBlock = errors.New("compat: no data available")
	errNoPoll     = errors.New("compat: connection cannot be polled")
)

// ReadUntil reads until match is found in the data, and returns the data
// up to and including it.
//
// As in Python, a match not found is not an error: when match is not
// found before timeout passes, or before end of file, ReadUntil returns
// what the cooked queue holds, possibly nothing, with a NIL ERROR, and the
// caller must look at the data to tell; at end of file with nothing
// queued it returns io.EOF. [Telnet.ReadUntilMatch] is the Go way, which
// reports a timeout as an error.
//
// A timeout of zero looks once at what has already arrived, and
// [NoTimeout] waits without limit, regardless of the timeout given to
// Open, as Python's read_until does. When match is not queued, it returns
// [ErrNotConnected] on a Telnet not connected, closed included, where
// Python fails to register its socket with a selector.
func (t *Telnet) ReadUntil(match []byte, timeout time.Duration) ([]byte, error) {
	data, found, err := t.readUntil(match, timeout)
	if found || err != nil {
		return data, err
	}
	return t.ReadVeryLazy()
}

// ReadUntilMatch is [Telnet.ReadUntil] with a match not found reported as
// an error, with the data queued until then (which stays consumed, as
// ReadUntil's does): when timeout passes, an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds; at end of file,
// io.ErrUnexpectedEOF, or io.EOF with no data.
func (t *Telnet) ReadUntilMatch(match []byte, timeout time.Duration) ([]byte, error) {
	data, found, err := t.readUntil(match, timeout)
	if found || err != nil {
		return data, err
	}
	eof := t.atEOF()
	if data, err = t.ReadVeryLazy(); err != nil {
		return data, err
	}
	if eof {
		return data, io.ErrUnexpectedEOF
	}
	return data, fmt.Errorf("compat: %q not found in %v: %w", match, timeout, os.ErrDeadlineExceeded)
}

// readUntil reads until match is found, and returns the data up to and
// including it, with found true; or, when timeout passes or at end of
// file, nothing, with found false.
func (t *Telnet) readUntil(match []byte, timeout time.Duration) (data []byte, found bool, err error) {
	if t.inCallback {
		return nil, false, ErrInCallback
	}
	if i := bytes.Index(t.cooked.Bytes(), match); i >= 0 {
		return t.cooked.Next(i + len(match)), true, nil
	}
	if !t.connected() {
		return nil, false, ErrNotConnected
	}
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	for !t.atEOF() {
		// A match not found yet ends in the data about to be read.
		from := max(0, t.cooked.Len()-len(match)+1)
		got, err := t.fillUntil(deadline)
		if err != nil {
			return nil, false, err
		}
		if got {
			data := t.cooked.Bytes()
			from = min(from, len(data)) // the callback may have read the queue
			if i := bytes.Index(data[from:], match); i >= 0 {
				return t.cooked.Next(from + i + len(match)), true, nil
			}
		}
		if timeout >= 0 && !time.Now().Before(deadline) {
			break
		}
	}
	return nil, false, nil
}

// ReadAll reads until end of file and returns all the data, with a nil
// error at end of file as io.ReadAll does. It fails when a read takes
// longer than the socket timeout; what was read stays queued.
func (t *Telnet) ReadAll() ([]byte, error) {
	if t.inCallback {
		return nil, ErrInCallback
	}
	if err := t.fillWhile(func() bool { return true }); err != nil {
		return nil, err
	}
	return t.cooked.All(), nil
}

// ReadSome returns the data queued, or waits for at least one byte of it.
// As in Python, an empty result with a nil error means end of file. It
// fails when a read takes longer than the socket timeout.
//
// Python reads at most 50 bytes from the socket at a time; this reads as
// much as has arrived (32 KiB or more), so one call may return more than
// Python's would, never less.
func (t *Telnet) ReadSome() ([]byte, error) {
	if t.inCallback {
		return nil, ErrInCallback
	}
	if err := t.fillWhile(t.noData); err != nil {
		return nil, err
	}
	return t.cooked.All(), nil
}

// ReadVeryEager reads everything that has arrived, without waiting for
// more, and returns the data queued. At end of file with nothing queued it
// returns io.EOF.
//
// Its cost is linear in the data returned: Python's appends each read to
// an immutable bytes object, copying all that came before, which makes it
// quadratic; here the queue grows in place by amortized doubling.
func (t *Telnet) ReadVeryEager() ([]byte, error) {
	if t.inCallback {
		return nil, ErrInCallback
	}
	if err := t.pollWhile(func() bool { return true }); err != nil {
		return nil, err
	}
	return t.ReadVeryLazy()
}

// ReadEager returns the data queued; when there is none, it reads what has
// arrived until some data comes out of it, without waiting for more. At
// end of file with nothing queued it returns io.EOF.
//
// It differs from ReadVeryEager by stopping at the first read that yields
// data. Since one read here takes all that has arrived, 32 KiB or more,
// where Python's takes 50 bytes, the two return the same unless more has
// arrived than one read takes.
func (t *Telnet) ReadEager() ([]byte, error) {
	if t.inCallback {
		return nil, ErrInCallback
	}
	if err := t.pollWhile(t.noData); err != nil {
		return nil, err
	}
	return t.ReadVeryLazy()
}

// ReadLazy parses what has been read from the connection and not parsed
// yet, without reading, and returns the data queued. At end of file with
// nothing queued it returns io.EOF.
//
// Every read is parsed at once, in Python as here, so nothing is ever left
// unparsed between calls and ReadLazy returns what ReadVeryLazy would; it
// is kept for the scripts that call it.
func (t *Telnet) ReadLazy() ([]byte, error) { return t.ReadVeryLazy() }

// ReadVeryLazy returns the data queued, without reading or parsing. At end
// of file with nothing queued it returns io.EOF; otherwise it may return
// nothing with a nil error.
func (t *Telnet) ReadVeryLazy() ([]byte, error) {
	buf := t.cooked.All()
	if len(buf) == 0 && t.atEOF() {
		return nil, io.EOF
	}
	return buf, nil
}

// ReadSBData returns the subnegotiation data queued and empties the queue.
// It is the bytes between IAC SB and IAC SE, option code first, as Python
// keeps them: IAC IAC undone, NUL and DC1 dropped (an option code 0 or 17
// included). A new IAC SB discards what was not read. It holds the data
// of an SB still in progress too, so it is best called when the callback
// sees SE.
func (t *Telnet) ReadSBData() []byte {
	buf := t.sbq
	t.sbq = nil
	return buf
}

// Expect reads until one of the regular expressions matches the data, and
// returns the index of the first of them that matches, its submatches
// (the whole match first, as FindSubmatch returns them) and the data up to
// the end of the match, which is removed from the queue. When none matches
// before timeout passes or before end of file, it returns -1, nil, and the
// data queued; at end of file with nothing queued it returns io.EOF. A
// timeout of zero looks once at what has already arrived; with
// [NoTimeout], the socket timeout given to Open bounds each read, and its
// passing is returned as an error, as in Python. It returns
// [ErrNotConnected] on a Telnet not connected, closed included, without
// searching, as Python fails to register its socket with a selector.
//
// As in Python, when several expressions could match, or one ends in a
// greedy repetition, the result depends on how the data arrives. Python
// searches again after each read of 50 bytes; this searches again once
// the data has doubled since the last search, or when nothing more has
// arrived, so that a long wait for a match costs time linear in the data,
// not quadratic, plus one search per pause of the peer.
func (t *Telnet) Expect(list []*regexp.Regexp, timeout time.Duration) (int, [][]byte, []byte, error) {
	if t.inCallback {
		return -1, nil, nil, ErrInCallback
	}
	if !t.connected() {
		return -1, nil, nil, ErrNotConnected
	}
	if t.atEOF() { // Python does not search then
		text, err := t.ReadVeryLazy()
		return -1, nil, text, err
	}
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	searched := -1
	for {
		// Data read together with the end of file is searched too, as
		// Python searches after each read.
		if n := t.cooked.Len(); n != searched {
			searched = n
			if i, m, text := t.search(list); i >= 0 {
				return i, m, text, nil
			}
		}
		if t.atEOF() {
			break
		}
		if timeout >= 0 {
			got, err := t.fillUntil(deadline)
			if err != nil {
				return -1, nil, nil, err
			}
			if !got {
				break
			}
		} else if err := t.fill(t.socketDeadline()); err != nil {
			return -1, nil, nil, err
		}
		if err := t.pollWhile(func() bool { return t.cooked.Len() < 2*searched }); err != nil {
			return -1, nil, nil, err
		}
	}
	text, err := t.ReadVeryLazy()
	return -1, nil, text, err
}

// search looks for each expression in turn in the cooked queue, as Python
// does, and takes the data up to the first match found.
func (t *Telnet) search(list []*regexp.Regexp) (int, [][]byte, []byte) {
	data := t.cooked.Bytes()
	for i, re := range list {
		loc := re.FindSubmatchIndex(data)
		if loc == nil {
			continue
		}
		text := t.cooked.Next(loc[1])
		if text == nil {
			text = []byte{} // an empty match is a match, as for FindSubmatch
		}
		m := make([][]byte, len(loc)/2)
		for k := range m {
			if loc[2*k] >= 0 {
				m[k] = text[loc[2*k]:loc[2*k+1]:loc[2*k+1]]
			}
		}
		return i, m, text
	}
	return -1, nil, nil
}

// fillWhile reads the connection, each read bounded by the socket timeout,
// while more holds and end of file is not reached.
func (t *Telnet) fillWhile(more func() bool) error {
	for more() && !t.atEOF() {
		if err := t.fill(t.socketDeadline()); err != nil {
			return err
		}
	}
	return nil
}

// pollWhile reads what has arrived, without waiting for more, while more
// holds and end of file is not reached.
func (t *Telnet) pollWhile(more func() bool) error {
	for more() && !t.atEOF() {
		got, err := t.tryFill()
		if err != nil || !got {
			return err
		}
	}
	return nil
}

// noData reports whether the cooked queue is empty.
func (t *Telnet) noData() bool { return t.cooked.Len() == 0 }

// fill reads the connection once, waiting until deadline (the zero time
// waits without limit), and parses what it read. A deadline that passes
// is returned as an error for which isTimeout is true.
func (t *Telnet) fill(deadline time.Time) error {
	if t.conn == nil {
		return ErrNotConnected
	}
	t.conn.SetReadDeadline(deadline)
	buf := t.readBuf()
	n, err := t.conn.Read(buf)
	return t.received(buf[:n], err)
}

// fillUntil waits until deadline for the connection to have something,
// reads it and parses it, as Python's select followed by one recv does. It
// reports false when the deadline passed with nothing read; a deadline
// already passed makes it look without waiting.
func (t *Telnet) fillUntil(deadline time.Time) (bool, error) {
	if !deadline.IsZero() && !time.Now().Before(deadline) {
		return t.tryFill()
	}
	err := t.fill(deadline)
	if isTimeout(err) {
		return false, nil
	}
	return err == nil, err
}

// tryFill reads and parses what the connection holds without waiting, and
// reports whether there was anything, end of file included.
func (t *Telnet) tryFill() (bool, error) {
	if t.conn == nil {
		return false, ErrNotConnected
	}
	t.conn.SetReadDeadline(time.Time{})
	buf := t.readBuf()
	n, err := pollRead(t.conn, buf)
	switch err {
	case errWouldBlock:
		return false, nil
	case errNoPoll:
		return t.fillUntil(time.Now().Add(pollWait))
	}
	return true, t.received(buf[:n], err)
}

// received parses p, what a read put in the free space of the cooked
// queue, and records end of file. The read's error is returned wrapped,
// unless it is end of file, or the connection was closed by Close, which
// reads as end of file.
func (t *Telnet) received(p []byte, err error) error {
	if len(p) > 0 {
		if t.debugLevel > 0 { // the arguments would cost an allocation
			t.Msg("recv %q", p)
		}
		if perr := t.process(p); perr != nil {
			return perr
		}
	}
	switch {
	case err == nil || len(p) > 0 && isTimeout(err):
		return nil
	case errors.Is(err, io.EOF):
		t.Msg("recv %q", "")
		t.eof = true
		return nil
	case t.closed.Load():
		return nil
	}
	return fmt.Errorf("compat: read: %w", err)
}

// isTimeout reports whether err is a deadline that passed.
func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
