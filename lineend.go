package telnet

import (
	"bytes"

	"github.com/telnetkit/telnet/negotiate"
)

// foldLineEnds rewrites data in place so that every end of line reads as
// one LF: CR LF, CR NUL and a bare CR become LF. It returns the new length.
// It runs with c.mu held, from Read.
func (c *Conn) foldLineEnds(data []byte) int {
	i := 0
	if c.readCR && len(data) > 0 && (data[0] == '\n' || data[0] == 0) {
		i = 1 // the rest of a CR LF or CR NUL already returned as LF
	}
	c.readCR = false
	w := 0
	for i < len(data) {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			if w != i {
				copy(data[w:], data[i:])
			}
			w += len(data) - i
			break
		}
		if w != i {
			copy(data[w:], data[i:i+j])
		}
		w += j
		i += j + 1
		data[w] = '\n'
		w++
		switch {
		case i == len(data):
			c.readCR = true
		case data[i] == '\n' || data[i] == 0:
			i++
		}
	}
	return w
}

// A writeMode is an encoding of Write.
type writeMode uint8

const (
	// writeRaw escapes IAC and changes nothing else.
	writeRaw writeMode = iota
	// writeBinaryText also turns a lone LF into CR LF.
	writeBinaryText
	// writeNVT also turns a bare CR into CR NUL.
	writeNVT
)

// changes reports whether encoding p in mode m changes any byte; afterCR
// says whether the last byte written before p was a CR.
func (m writeMode) changes(p []byte, afterCR bool) bool {
	if bytes.IndexByte(p, 0xff) >= 0 {
		return true
	}
	switch m {
	case writeBinaryText:
		return bytes.IndexByte(p, '\n') >= 0
	case writeNVT:
		return afterCR || bytes.IndexByte(p, '\n') >= 0 || bytes.IndexByte(p, '\r') >= 0
	}
	return false
}

// append appends p to dst as it goes on the wire in mode m, and returns
// the extended buffer and whether p ended with a CR.
func (m writeMode) append(dst, p []byte, afterCR bool) ([]byte, bool) {
	if len(p) == 0 {
		return dst, afterCR
	}
	endsCR := p[len(p)-1] == '\r'
	if m == writeRaw {
		return negotiate.AppendEscaped(dst, p), endsCR
	}
	if m == writeNVT && afterCR && p[0] != '\n' {
		dst = append(dst, 0) // the CR that ended the last write was bare
	}
	s := newSpecialScanner(p, m == writeNVT)
	for i := 0; i < len(p); {
		j := s.next(i)
		if j < 0 {
			dst = append(dst, p[i:]...)
			break
		}
		dst = append(dst, p[i:j]...)
		switch p[j] {
		case 0xff:
			dst = append(dst, 0xff, 0xff)
		case '\n':
			if j > 0 && p[j-1] == '\r' || j == 0 && afterCR {
				dst = append(dst, '\n')
			} else {
				dst = append(dst, '\r', '\n')
			}
		case '\r':
			if j+1 < len(p) && p[j+1] != '\n' {
				dst = append(dst, '\r', 0)
			} else {
				dst = append(dst, '\r') // CR LF, or the next write tells
			}
		}
		i = j + 1
	}
	return dst, endsCR
}

// sent returns how many bytes of p were sent when the first wire bytes of
// its encoding in mode m were written, after afterCR; the wire bytes still
// owed, when the cut fell inside the two-byte encoding of one byte of p
// (IAC IAC, CR LF for "\n", CR NUL), which then counts as sent; and
// whether the last byte sent was a CR waiting for the next byte to tell
// its encoding. Encoding the rest of p in mode m after that CR state
// continues the wire exactly where it stopped.
func (m writeMode) sent(p []byte, wire int, afterCR bool) (n int, owed []byte, cr bool) {
	cr = afterCR
	if m == writeNVT && afterCR && len(p) > 0 && p[0] != '\n' {
		if wire == 0 {
			return 0, nil, cr
		}
		wire-- // the NUL completing the last write's CR
		cr = false
	}
	for i, b := range p {
		size, second := 1, byte(0)
		switch {
		case b == 0xff:
			size, second = 2, 0xff
		case m == writeRaw:
		case b == '\n' && !(i > 0 && p[i-1] == '\r' || i == 0 && afterCR):
			size, second = 2, '\n'
		case m == writeNVT && b == '\r' && i+1 < len(p) && p[i+1] != '\n':
			size, second = 2, 0
		}
		switch {
		case wire == 0:
			return i, nil, cr
		case wire < size:
			return i + 1, []byte{second}, false
		}
		wire -= size
		cr = b == '\r' && size == 1
	}
	return len(p), nil, cr
}

// A specialScanner finds the bytes of p that a text encoding changes: IAC,
// LF, and CR when cr is set. It remembers where each byte was found last,
// so that every byte of p is scanned once per kind, at the speed of
// bytes.IndexByte.
type specialScanner struct {
	p     []byte
	kinds [3]byte
	n     int    // the kinds in use
	pos   [3]int // the next position of each kind; -1 for none, -2 unknown
}

func newSpecialScanner(p []byte, cr bool) specialScanner {
	s := specialScanner{p: p, kinds: [3]byte{0xff, '\n', '\r'}, n: 3, pos: [3]int{-2, -2, -2}}
	if !cr {
		s.n = 2
	}
	return s
}

// next returns the position of the first special byte at or after from,
// or -1.
func (s *specialScanner) next(from int) int {
	best := -1
	for k, b := range s.kinds[:s.n] {
		if s.pos[k] == -2 || s.pos[k] >= 0 && s.pos[k] < from {
			if j := bytes.IndexByte(s.p[from:], b); j >= 0 {
				s.pos[k] = from + j
			} else {
				s.pos[k] = -1
			}
		}
		if s.pos[k] >= 0 && (best < 0 || s.pos[k] < best) {
			best = s.pos[k]
		}
	}
	return best
}
