package negotiate

import "bytes"

// DefaultMaxSubnegotiation is the default bound on the payload of one
// subnegotiation.
const DefaultMaxSubnegotiation = 64 << 10

// Config is the policy of an [Engine].
type Config struct {
	// Local holds the options we agree to enable at our end when the peer
	// asks with DO. Every other DO is refused with WONT.
	Local OptionSet
	// Remote holds the options we let the peer enable at its end when it
	// offers WILL. Every other WILL is refused with DONT.
	Remote OptionSet
	// MaxSubnegotiation bounds the payload of one SB, in bytes. A longer
	// SB is discarded and reported as ErrSubnegotiationTooLong. Zero means
	// DefaultMaxSubnegotiation.
	MaxSubnegotiation int
	// StopAfter holds the options whose subnegotiation, received while
	// the option is enabled at either end, makes Feed stop right after
	// its IAC SE: what follows is in another form that the caller must
	// turn back into Telnet first (MCCP2 and MCCP3 start compression
	// there). [Engine.Unparsed] tells how much of buf was left.
	StopAfter OptionSet
}

// parser states
const (
	stData     = iota
	stIAC      // after IAC
	stNeg      // after IAC WILL/WONT/DO/DONT
	stSBOpt    // after IAC SB; this and the states below are inside an SB
	stSBOptIAC // after IAC SB IAC
	stSB       // in an SB payload
	stSBIAC    // after IAC in an SB payload
)

// An Engine is the Telnet protocol state of one connection: the parser of
// what the peer sends and the state of every option at both ends. It does
// no I/O. An Engine is not safe for concurrent use.
type Engine struct {
	policy Config
	maxSB  int

	state  uint8
	negCmd Command

	// The SB in progress: its option, where its payload starts in arena,
	// and its full length (which goes on counting past maxSB).
	sbOpt   Option
	sbStart int
	sbLen   int
	// arena holds the payloads of the SBs completed during one Feed, so
	// that each event's Data stays valid until the next Feed, followed by
	// the payload of the SB in progress.
	arena []byte

	us, him [256]qstate

	events   []Event
	out      []byte
	stop     bool // the SB just ended is one Feed stops after
	unparsed int  // the bytes of buf the last Feed left after it
}

// New returns an engine with the given policy. Every option starts
// disabled at both ends.
func New(cfg Config) *Engine {
	e := &Engine{policy: cfg, maxSB: cfg.MaxSubnegotiation}
	if e.maxSB <= 0 {
		e.maxSB = DefaultMaxSubnegotiation
	}
	return e
}

// arenaKeep is the arena capacity kept between Feeds; a larger arena,
// grown by one large subnegotiation, is let go so that an idle connection
// holds little memory.
const arenaKeep = 4 << 10

// Feed parses the bytes received from the peer. It removes the protocol
// bytes from buf in place and returns the number of application data
// bytes left at the start of buf. It never fails: protocol errors are
// reported as events, and the stream goes on.
//
// The events found are returned by [Engine.Events] until the next call of
// Feed. The replies the protocol needs are queued for [Engine.AppendOutput].
// The parser state is kept between calls, so a sequence may be split
// across calls at any byte.
//
// Feed stops after a subnegotiation of an option in [Config.StopAfter],
// leaving the last [Engine.Unparsed] bytes of buf as they were.
func (e *Engine) Feed(buf []byte) int {
	clear(e.events) // drop the references to the last payloads
	e.events = e.events[:0]
	e.unparsed = 0
	n := copy(e.arena, e.arena[e.sbStart:])
	e.arena = e.arena[:n]
	e.sbStart = 0

	w, i := 0, 0
	for i < len(buf) {
		switch e.state {
		case stData:
			j := bytes.IndexByte(buf[i:], iac)
			if j < 0 {
				j = len(buf) - i
			} else {
				e.state = stIAC
			}
			if w != i {
				copy(buf[w:], buf[i:i+j])
			}
			w += j
			i += j
			if e.state == stIAC {
				i++ // the IAC
			}
		case stSB:
			j := bytes.IndexByte(buf[i:], iac)
			if j < 0 {
				j = len(buf) - i
			} else {
				e.state = stSBIAC
			}
			e.appendSB(buf[i : i+j])
			i += j
			if e.state == stSBIAC {
				i++
			}
		default:
			b := buf[i]
			i++
			// The only place a data byte is produced outside stData is
			// IAC IAC, which writes at w < i.
			if e.step(b, w) {
				buf[w] = iac
				w++
			}
			if e.stop {
				e.stop = false
				e.unparsed = len(buf) - i
				i = len(buf)
			}
		}
	}
	if e.state != stSB && e.state != stSBIAC {
		e.sbStart = len(e.arena)
		if cap(e.arena) > arenaKeep {
			e.arena = nil // the events' payloads keep the old one alive
			e.sbStart = 0
		}
	}
	return w
}

// step advances the parser by one byte in a state other than stData and
// stSB, and reports whether that byte completed an escaped data 0xFF.
func (e *Engine) step(b byte, offset int) bool {
	switch e.state {
	case stIAC:
		return e.command(b, offset)
	case stNeg:
		e.state = stData
		e.receive(e.negCmd, Option(b), offset)
	case stSBOpt:
		if b == iac {
			e.state = stSBOptIAC
			return false
		}
		e.beginSB(Option(b))
	case stSBOptIAC:
		switch Command(b) {
		case IAC: // an escaped option 255
			e.beginSB(EXOPL)
		case SE:
			e.state = stData
			e.addError(ErrEmptySubnegotiation, 0, offset)
		default:
			e.addError(ErrSubnegotiationInterrupted, 0, offset)
			return e.command(b, offset)
		}
	case stSBIAC:
		switch Command(b) {
		case IAC:
			e.state = stSB
			e.appendSB([]byte{iac})
		case SE:
			e.state = stData
			e.endSB(offset)
		default:
			e.arena = e.arena[:e.sbStart]
			e.addError(ErrSubnegotiationInterrupted, e.sbOpt, offset)
			return e.command(b, offset)
		}
	}
	return false
}

// command handles the byte after an IAC, and reports whether it was a
// second IAC, standing for a data byte 0xFF.
func (e *Engine) command(b byte, offset int) bool {
	c := Command(b)
	e.state = stData
	switch {
	case c == IAC:
		return true
	case c >= WILL: // WILL, WONT, DO, DONT
		e.negCmd = c
		e.state = stNeg
	case c == SB:
		e.state = stSBOpt
	case c.Known() && c != SE:
		e.events = append(e.events, Event{Kind: EventCommand, Offset: offset, Command: c})
	default:
		e.events = append(e.events, Event{Kind: EventError, Offset: offset, Command: c, Err: ErrUnknownCommand})
	}
	return false
}

func (e *Engine) beginSB(opt Option) {
	e.state = stSB
	e.sbOpt = opt
	e.sbStart = len(e.arena)
	e.sbLen = 0
}

// appendSB adds payload bytes to the SB in progress, storing no more than
// maxSB of them.
func (e *Engine) appendSB(p []byte) {
	if room := e.maxSB - e.sbLen; room > 0 {
		e.arena = append(e.arena, p[:min(room, len(p))]...)
	}
	e.sbLen += len(p)
}

func (e *Engine) endSB(offset int) {
	if e.sbLen > e.maxSB {
		e.arena = e.arena[:e.sbStart]
		e.events = append(e.events, Event{Kind: EventError, Offset: offset, Option: e.sbOpt, Size: e.sbLen, Err: ErrSubnegotiationTooLong})
		return
	}
	data := e.arena[e.sbStart:len(e.arena):len(e.arena)]
	on := e.Enabled(Local, e.sbOpt) || e.Enabled(Remote, e.sbOpt)
	e.events = append(e.events, Event{Kind: EventSubnegotiation, Offset: offset, Option: e.sbOpt, OptionOn: on, Data: data})
	e.stop = on && e.policy.StopAfter.Has(e.sbOpt)
	e.subnegotiation(e.sbOpt, data)
}

func (e *Engine) addError(err error, opt Option, offset int) {
	e.events = append(e.events, Event{Kind: EventError, Offset: offset, Option: opt, Err: err})
}

// Unparsed returns the number of bytes at the end of the buffer given to
// the last Feed that it left unparsed, having stopped after a
// subnegotiation of an option in [Config.StopAfter]; zero otherwise.
func (e *Engine) Unparsed() int { return e.unparsed }

// InSubnegotiation reports whether the parser is inside an SB, waiting
// for its IAC SE.
func (e *Engine) InSubnegotiation() bool {
	return e.state >= stSBOpt
}

// AbortSubnegotiation ends the SB in progress without its IAC SE, and
// returns its option and the payload received so far (at most
// MaxSubnegotiation bytes, valid until the next Feed). It returns nil when
// no SB is in progress.
//
// A peer that never terminates an SB (the npm telnet-client answers TTYPE
// SEND with a bare IAC SB TTYPE) turns everything it sends after into SB
// payload; a caller that sees an SB stay open while the peer goes quiet
// can end it, and give the payload back as the data it most likely is.
func (e *Engine) AbortSubnegotiation() (Option, []byte) {
	if !e.InSubnegotiation() {
		return 0, nil
	}
	opt := e.sbOpt
	if e.state < stSB {
		opt = 0 // the option byte itself has not arrived
	}
	payload := e.arena[e.sbStart:]
	if e.state < stSB {
		payload = nil
	}
	e.state = stData
	e.sbStart = len(e.arena)
	return opt, payload
}

// Events returns the events found by the last call of [Engine.Feed], in
// the order they occurred. The slice is only valid until the next Feed.
func (e *Engine) Events() []Event { return e.events }

// AppendOutput appends the bytes queued for the peer to dst, returns the
// extended buffer, and empties the queue. The caller writes them to the
// peer in one write, in order with any data it sends.
func (e *Engine) AppendOutput(dst []byte) []byte {
	dst = append(dst, e.out...)
	e.out = e.out[:0]
	return dst
}

// Release lets go of the buffers the engine keeps from one call to the
// next (the events and payloads of the last Feed, the empty output
// queue), for a connection that may now stay idle a long time; the next
// calls grow them again. Events and their payloads are invalid after it.
func (e *Engine) Release() {
	e.events = nil
	if !e.InSubnegotiation() {
		e.arena = nil
		e.sbStart = 0
	}
	if len(e.out) == 0 {
		e.out = nil
	}
}

// OutputLen returns the number of bytes queued for the peer.
func (e *Engine) OutputLen() int { return len(e.out) }

// SendCommand queues the two-byte command IAC cmd, such as GA or NOP.
func (e *Engine) SendCommand(cmd Command) { e.out = AppendCommand(e.out, cmd) }

// SendSubnegotiation queues IAC SB opt payload IAC SE, with every IAC in
// the payload escaped.
func (e *Engine) SendSubnegotiation(opt Option, payload []byte) {
	e.out = AppendSubnegotiation(e.out, opt, payload)
}

// subnegotiation answers the subnegotiations that the option state alone
// can answer.
func (e *Engine) subnegotiation(opt Option, data []byte) {
	if opt == Status && len(data) == 1 && SubCommand(data[0]) == StatusSend && e.Enabled(Local, Status) {
		e.out = AppendSubnegotiation(e.out, Status, e.AppendStatus(nil))
	}
}
