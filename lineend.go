package telnet

import "bytes"

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

// The wire forms of the bytes a mode changes.
var (
	iacIAC  = []byte{0xff, 0xff}
	crLF    = []byte{'\r', '\n'}
	nulByte = []byte{0}
)

// segments appends to segs the wire form of p in mode m, after afterCR,
// as pieces of p itself and of the wire forms above, so that it can be
// written without a copy. It stops before the piece that would make more
// than max in segs, and returns the pieces, how many bytes of p they hold,
// and whether those ended with a CR whose wire form the next byte decides.
func (m writeMode) segments(segs [][]byte, p []byte, afterCR bool, max int) ([][]byte, int, bool) {
	if len(p) == 0 {
		return segs, 0, afterCR
	}
	if m == writeNVT && afterCR && p[0] != '\n' {
		segs = append(segs, nulByte) // the CR that ended the last write was bare
	}
	s := newSpecialScanner(p, m)
	// The pieces hold the wire form of p[:i], and when half is set the
	// first IAC of the escape of p[i] too: an IAC goes twice as the end of
	// one piece and the start of the next, with no piece of its own. Then
	// there is room for one more piece, which starts with p[i].
	i, half := 0, false
	stop := func() ([][]byte, int, bool) {
		if half {
			segs = append(segs, p[i:i+1])
			i++
		}
		return segs, i, false
	}
	for from := 0; ; {
		j := s.next(from)
		if j < 0 {
			break
		}
		from = j + 1
		var form []byte
		switch p[j] {
		case 0xff:
			if len(segs)+2 > max {
				return stop()
			}
			segs = append(segs, p[i:j+1])
			i, half = j, true
			continue
		case '\n':
			if j > 0 && p[j-1] == '\r' || j == 0 && afterCR {
				continue
			}
			form = crLF
		case '\r':
			if j+1 == len(p) || p[j+1] == '\n' {
				continue // CR LF, or the next write tells
			}
			j++ // CR NUL: the CR stays in the piece of p
			form = nulByte
		}
		if len(segs)+2 > max {
			return stop()
		}
		if i < j {
			segs = append(segs, p[i:j])
		}
		segs = append(segs, form)
		i, half = from, false
	}
	if i < len(p) {
		if len(segs)+1 > max {
			return stop()
		}
		segs = append(segs, p[i:])
	}
	return segs, len(p), p[len(p)-1] == '\r'
}

// appendWire appends the wire form of p in mode m, after afterCR, to
// dst, with segs as room for the pieces. It returns dst, segs, and whether
// p ended with a CR whose wire form the next byte decides.
func (m writeMode) appendWire(dst []byte, segs [][]byte, p []byte, afterCR bool) ([]byte, [][]byte, bool) {
	for len(p) > 0 {
		var k int
		segs, k, afterCR = m.segments(segs[:0], p, afterCR, maxPieces)
		for _, s := range segs {
			dst = append(dst, s...)
		}
		p = p[k:]
	}
	clear(segs) // no reference to p is kept
	return dst, segs, afterCR
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

// A specialScanner finds the bytes of p that mode m changes: IAC, and LF
// and CR in the text modes. It remembers where each byte was found last,
// so that every byte of p is scanned once per kind, at the speed of
// bytes.IndexByte.
type specialScanner struct {
	p     []byte
	kinds [3]byte
	n     int    // the kinds in use
	pos   [3]int // the next position of each kind; -1 for none, -2 unknown
}

func newSpecialScanner(p []byte, m writeMode) specialScanner {
	s := specialScanner{p: p, kinds: [3]byte{0xff, '\n', '\r'}, pos: [3]int{-2, -2, -2}}
	switch m {
	case writeRaw:
		s.n = 1
	case writeBinaryText:
		s.n = 2
	case writeNVT:
		s.n = 3
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
