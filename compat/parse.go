package compat

import (
	"bytes"

	"github.com/telnetkit/telnet/negotiate"
)

// process parses p, the bytes of one read, as Python's process_rawq does:
// data goes to the cooked queue, or to the subnegotiation queue between SB
// and SE, without its NUL and DC1 bytes; IAC IAC is a data 0xFF; every
// other command goes to the callback, or is refused (negotiations) or
// ignored (the rest) when there is none. The parser state is kept between
// calls, so a sequence may be split across reads at any byte.
//
// The data is compacted in place at the front of p, which is normally the
// free space of the cooked queue, and the runs between special bytes are
// moved with copy, so the cost is linear in len(p).
func (t *Telnet) process(p []byte) error {
	w := 0 // data kept so far, at p[:w]; w never passes i
	for i := 0; i < len(p); {
		switch t.iacLen {
		case 0:
			end := len(p)
			if j := bytes.IndexByte(p[i:], IAC); j >= 0 {
				end = i + j
				t.iacLen = 1
			}
			w = t.keep(p, w, p[i:end])
			i = end + int(t.iacLen)
		case 1:
			c := p[i]
			i++
			if c == DO || c == DONT || c == WILL || c == WONT {
				t.iacLen, t.iacCmd = 2, c
				continue
			}
			t.iacLen = 0
			if c == IAC {
				w = t.keepRun(p, w, p[i-1:i])
				continue
			}
			switch c {
			case SB:
				t.sb = true
				t.sbq = t.sbq[:0]
			case SE:
				t.sb = false
			}
			if t.callback != nil {
				if err := t.call(c, NOOPT); err != nil {
					return err
				}
			} else if t.debugLevel > 0 {
				t.Msg("IAC %d not recognized", c)
			}
		case 2:
			cmd, opt := t.iacCmd, p[i]
			i++
			t.iacLen = 0
			if t.debugLevel > 0 {
				t.Msg("IAC %s %d", negotiate.Command(cmd), opt)
			}
			if t.callback != nil {
				if err := t.call(cmd, opt); err != nil {
					return err
				}
				continue
			}
			reply := DONT
			if cmd == DO || cmd == DONT {
				reply = WONT
			}
			t.out = append(t.out, IAC, reply, opt)
		}
	}
	t.cooked.Commit(p[:w])
	return t.flush()
}

// call runs the callback, after the refusals queued so far are sent, so
// that what it writes keeps its place in the stream.
func (t *Telnet) call(cmd, opt byte) error {
	if err := t.flush(); err != nil {
		return err
	}
	t.armWrite()
	t.inCallback = true
	defer func() { t.inCallback = false }()
	t.callback(t.conn, cmd, opt)
	return nil
}

// flush sends the refusals queued. After Close there is no one to tell.
func (t *Telnet) flush() error {
	if len(t.out) == 0 {
		return nil
	}
	out := t.out
	t.out = t.out[:0]
	if t.closed.Load() {
		return nil
	}
	return t.writeRaw(out)
}

// keep keeps seg, a part of p at or after p[w:], less the NUL and DC1
// bytes telnetlib drops, and returns the new end of the data in p. The
// next position of each of the two bytes is kept, so that each is searched
// for once per occurrence and the cost is linear in len(seg).
func (t *Telnet) keep(p []byte, w int, seg []byte) int {
	nul, dc1 := indexFrom(seg, 0, 0), indexFrom(seg, 0x11, 0)
	start := 0
	for {
		k := min(nul, dc1)
		w = t.keepRun(p, w, seg[start:k])
		if k == len(seg) {
			return w
		}
		start = k + 1
		if k == nul {
			nul = indexFrom(seg, 0, start)
		} else {
			dc1 = indexFrom(seg, 0x11, start)
		}
	}
}

// keepRun keeps run as data, moved to p[w:], or as subnegotiation data,
// and returns the new end of the data in p.
func (t *Telnet) keepRun(p []byte, w int, run []byte) int {
	switch {
	case len(run) == 0:
		return w
	case t.sb:
		t.sbq = append(t.sbq, run...)
		return w
	case &run[0] == &p[w]: // nothing dropped yet: already in place
		return w + len(run)
	}
	return w + copy(p[w:], run)
}

// indexFrom returns the index of the first b in p[from:], counted from
// the start of p, or len(p).
func indexFrom(p []byte, b byte, from int) int {
	if j := bytes.IndexByte(p[from:], b); j >= 0 {
		return from + j
	}
	return len(p)
}
