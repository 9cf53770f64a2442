package telnet

import (
	"errors"

	"github.com/telnetkit/telnet/negotiate"
)

// WithLineMode keeps a server's clients in line mode: the server neither
// offers nor agrees to ECHO and SGA at its end (it answers DO ECHO and DO
// SGA with WONT), so the client edits each line itself, echoes it
// locally, and sends it whole when Enter is pressed; and it asks for
// LINEMODE (RFC 1184), which the BSD-derived clients (inetutils, netkit)
// take: they then edit with the special characters agreed (see
// [Conn.SLC]) and send ^C as IAC IP. Read returns lines as the user
// finished them, with Backspace already applied by the client. It has no
// effect on a client Conn's own options beyond refusing ECHO and SGA at
// its end.
//
// Choose it when the client's own editing is good enough: inetutils and
// BSD telnet, PuTTY and netcat all edit lines in this mode (netcat through
// the terminal's cooked mode), and a password prompt will show what is
// typed, since only the server can hide it by echoing. Choose character
// mode (the default) with a [github.com/telnetkit/telnet/shells.LineReader]
// when the server needs each key as it is pressed: to hide a password, to
// bound a line while it is typed, or to edit with the same rules on every
// client. MUD clients send lines in either mode.
func WithLineMode() Option {
	return func(c *config) {
		c.setPolicy(negotiate.Local, negotiate.Echo, Refuse)
		c.setPolicy(negotiate.Local, negotiate.SGA, Refuse)
		if !c.client {
			c.setPolicy(negotiate.Remote, negotiate.Linemode, Request)
		}
	}
}

// WithSLC sets the special line characters a Conn starts LINEMODE with:
// those of the user's terminal, for a client, which sends them to the
// server; the characters a server proposes. The default is the BSD table,
// [negotiate.DefaultSLC], which a nil t restores. The two ends then agree
// by the arbitration of RFC 1184.
func WithSLC(t *negotiate.SLCTable) Option {
	if t == nil {
		return func(c *config) { c.slc = nil }
	}
	copied := *t
	return func(c *config) { c.slc = &copied }
}

// The LINEMODE of RFC 1184: when the client agrees to LINEMODE (a server
// asks with [WithLineMode], and accepts a client that offers; a client
// agrees when configured to with WithLocalOption(negotiate.Linemode,
// Accept)), the server sets the mode, the client acknowledges what it
// does, and both agree on the special characters (SLC) by the RFC's
// arbitration, starting from the BSD table. The mode a server asks for
// follows its echo: EDIT while the client echoes, character mode while
// the server does. Under MODE EDIT the client
// edits each line with those characters and sends it whole; under TRAPSIG
// it sends IAC IP, ABORT, SUSP, ... for the interrupt, quit and suspend
// characters, which Read reports as a [ChangeCommand]. The server may ask
// the client to send its line as soon as one of a set of characters is
// typed (DO FORWARDMASK).

// A linemodeState is what the two ends agreed about LINEMODE.
type linemodeState struct {
	mode    negotiate.LinemodeMode // the mode the client acknowledged
	slc     negotiate.SLCTable     // the special characters agreed
	slcSeen bool                   // the server: the client sent its table
	mask    negotiate.ForwardMask  // the FORWARDMASK in force, or asked for by the server
}

// supportedLinemode is every mode bit a Conn takes.
const supportedLinemode = negotiate.LinemodeEdit | negotiate.LinemodeTrapSig |
	negotiate.LinemodeSoftTab | negotiate.LinemodeLitEcho

// start resets the state when LINEMODE has just been agreed. A server
// asks for mode; a client sends its table of special characters, as BSD
// telnet does. It runs with the Conn's mu held.
func (l *linemodeState) start(e *negotiate.Engine, cfg *config, mode negotiate.LinemodeMode) {
	*l = linemodeState{slc: *negotiate.DefaultSLC()}
	if cfg.slc != nil {
		l.slc = *cfg.slc
	}
	if !cfg.client {
		e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, mode))
		return
	}
	e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeSLC(nil, l.slc.Triplets()...))
}

// receive acts on a LINEMODE subnegotiation from the peer, and reports
// whether the mode, the characters or the forward mask changed. It runs
// with the Conn's mu held.
func (l *linemodeState) receive(e *negotiate.Engine, server bool, data []byte) (changed bool, err error) {
	msg, err := negotiate.ParseLinemode(data)
	if err != nil {
		return false, err
	}
	send := func(payload []byte) { e.SendSubnegotiation(negotiate.Linemode, payload) }
	switch msg.Cmd {
	case negotiate.LinemodeCmdMode:
		next, reply, answer := negotiate.AnswerLinemodeMode(l.mode, msg.Mode, supportedLinemode, server)
		changed, l.mode = next != l.mode, next
		if answer {
			send(negotiate.AppendLinemodeMode(nil, reply))
		}
		// A client that sent no table of its own gets the server's, once
		// it has taken the mode, as telnetlib3 does.
		if server && msg.Mode&negotiate.LinemodeAck != 0 && !l.slcSeen {
			l.slcSeen = true
			send(negotiate.AppendLinemodeSLC(nil, l.slc.Triplets()...))
		}
	case negotiate.LinemodeCmdSLC:
		l.slcSeen = true
		before := l.slc
		if reply := l.slc.Arbitrate(msg.SLC); len(reply) > 0 {
			send(negotiate.AppendLinemodeSLC(nil, reply...))
		}
		changed = l.slc != before
	case negotiate.LinemodeCmdForwardMask:
		// The client's WILL or WONT needs nothing: it forwards as asked,
		// or at the end of each line.
		if server {
			break
		}
		before := l.mask
		switch msg.Verb {
		case negotiate.DO:
			l.mask = msg.Mask
			send(negotiate.AppendLinemodeForwardMask(nil, negotiate.WILL, l.mask))
		case negotiate.DONT:
			l.mask = negotiate.ForwardMask{}
			send(negotiate.AppendLinemodeForwardMask(nil, negotiate.WONT, l.mask))
		}
		changed = l.mask != before
	}
	return changed, nil
}

// serverLinemode is the mode a server asks for: EDIT and TRAPSIG while
// it does not echo, so that the client, which echoes, edits its lines
// too; character mode while the server echoes. inetutils telnet's "mode
// line" is DONT SGA, WILL LINEMODE, DONT ECHO: the mode follows the echo.
func serverLinemode(echo bool) negotiate.LinemodeMode {
	if echo {
		return 0
	}
	return negotiate.LinemodeEdit | negotiate.LinemodeTrapSig
}

// linemodeEvent follows LINEMODE: its start when the client's option
// comes on, the peer's subnegotiations, and, for a server, the changes of
// its ECHO, which change the mode it asks for. It runs with c.mu held.
func (c *Conn) linemodeEvent(ev negotiate.Event) {
	if ev.Option != negotiate.Linemode && ev.Option != negotiate.Echo ||
		!c.eng.Enabled(c.clientSide(), negotiate.Linemode) {
		return
	}
	server := !c.cfg.client
	switch {
	case ev.Option == negotiate.Echo:
		if ev.Kind != negotiate.EventOption || ev.Side != negotiate.Local || !server {
			break
		}
		if mode := serverLinemode(c.eng.Enabled(negotiate.Local, negotiate.Echo)); mode != c.lm.mode {
			c.eng.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, mode))
		}
	case ev.Kind == negotiate.EventOption && ev.Side == c.clientSide():
		c.lm.start(c.eng, c.cfg, serverLinemode(c.eng.Enabled(negotiate.Local, negotiate.Echo)))
	case ev.Kind == negotiate.EventSubnegotiation:
		changed, err := c.lm.receive(c.eng, server, ev.Data)
		if err != nil {
			c.log.Warn("telnet: bad subnegotiation", "err", err, "peer", c.conn.RemoteAddr())
		}
		if changed {
			c.changes = append(c.changes, Change{Kind: ChangeLinemode})
		}
	}
}

// lineModeOn returns the LINEMODE state, or nil when LINEMODE is not on.
// It runs with c.mu held.
func (c *Conn) lineModeOn() *linemodeState {
	if !c.eng.Enabled(c.clientSide(), negotiate.Linemode) {
		return nil
	}
	return &c.lm
}

// Linemode returns the LINEMODE mode the client acknowledged (EDIT,
// TRAPSIG, ...), and whether LINEMODE is on.
func (c *Conn) Linemode() (negotiate.LinemodeMode, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.lineModeOn(); l != nil {
		return l.mode, true
	}
	return 0, false
}

// SLC returns a copy of the special line characters agreed under
// LINEMODE, and whether LINEMODE is on; without it the table is the BSD
// default ([negotiate.DefaultSLC]).
func (c *Conn) SLC() (negotiate.SLCTable, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.lineModeOn(); l != nil {
		return l.slc, true
	}
	return *negotiate.DefaultSLC(), false
}

// ForwardMask returns the characters after which a client under LINEMODE
// EDIT sends its line at once, besides the end of a line: those of the
// server's last DO FORWARDMASK (on a server, those it asked for). It is
// empty when LINEMODE is off.
func (c *Conn) ForwardMask() negotiate.ForwardMask {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.lineModeOn(); l != nil {
		return l.mask
	}
	return negotiate.ForwardMask{}
}

// RequestForwardMask asks the client under LINEMODE EDIT to send its line
// as soon as one of the characters of mask is typed, besides the end of a
// line (DO FORWARDMASK), as a server whose program ends lines with more
// characters does; an empty mask withdraws the request (DONT
// FORWARDMASK). It fails with [ErrNoLinemode] unless c is a server whose
// client agreed to LINEMODE.
func (c *Conn) RequestForwardMask(mask negotiate.ForwardMask) error {
	c.mu.Lock()
	l := c.lineModeOn()
	if l == nil || c.cfg.client {
		c.mu.Unlock()
		return ErrNoLinemode
	}
	if mask == l.mask {
		c.mu.Unlock()
		return nil
	}
	verb := negotiate.DO
	if mask == (negotiate.ForwardMask{}) {
		verb = negotiate.DONT
	}
	l.mask = mask
	c.eng.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeForwardMask(nil, verb, mask))
	c.mu.Unlock()
	return c.flush()
}

// ErrNoLinemode is returned by [Conn.RequestLinemode] and
// [Conn.RequestForwardMask] when LINEMODE is not on, or the Conn is a
// client.
var ErrNoLinemode = errors.New("telnet: LINEMODE not agreed with the client")

// RequestLinemode asks the client for a new LINEMODE mode, such as
// LinemodeEdit to have it edit lines, or 0 to have it send each key. The
// mode changes when the client acknowledges it: [WithOnChange] reports a
// [ChangeLinemode], and [Conn.Linemode] tells the mode then. A later
// change of the server's ECHO asks for the mode that goes with it again.
// It fails with [ErrNoLinemode] unless c is a server whose client agreed
// to LINEMODE.
func (c *Conn) RequestLinemode(mode negotiate.LinemodeMode) error {
	c.mu.Lock()
	if c.cfg.client || c.lineModeOn() == nil {
		c.mu.Unlock()
		return ErrNoLinemode
	}
	c.eng.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, mode&supportedLinemode))
	c.mu.Unlock()
	return c.flush()
}
