package telnet

import (
	"errors"

	"github.com/telnetkit/telnet/negotiate"
)

// WithLineMode keeps a server's clients in line mode: the server neither
// offers nor agrees to ECHO and SGA at its end (it answers DO ECHO and DO
// SGA with WONT), so the client edits each line itself, echoes it
// locally, and sends it whole when Enter is pressed; and it asks for
// LINEMODE (RFC 1184) with MODE EDIT and TRAPSIG, which the BSD-derived
// clients (inetutils, netkit) take: they then edit with the special
// characters agreed (see [Conn.SLC]) and send ^C as IAC IP. Read returns
// lines as the user finished them, with Backspace already applied by the
// client. It has no effect on a client Conn's own options beyond refusing
// ECHO and SGA at its end.
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
			c.linemode = negotiate.LinemodeEdit | negotiate.LinemodeTrapSig
		}
	}
}

// The LINEMODE of RFC 1184, as a server does it: when the client agrees
// to LINEMODE (the server asks with [WithLineMode], and accepts a client
// that offers), the server sets the mode, the client acknowledges what it
// does, and both agree on the special characters (SLC) by the RFC's
// arbitration, starting from the BSD table. Under MODE EDIT the client
// edits each line with those characters and sends it whole; under TRAPSIG
// it sends IAC IP, ABORT, SUSP, ... for the interrupt, quit and suspend
// characters, which Read reports as a [ChangeCommand].

// A linemodeState is what a server agreed with its client about LINEMODE.
type linemodeState struct {
	mode    negotiate.LinemodeMode // the mode the client acknowledged
	slc     negotiate.SLCTable     // the special characters agreed
	slcSeen bool                   // the client sent its table
}

// supportedLinemode is every mode bit a server lets a client use.
const supportedLinemode = negotiate.LinemodeEdit | negotiate.LinemodeTrapSig |
	negotiate.LinemodeSoftTab | negotiate.LinemodeLitEcho

// start resets the state for a client that has just agreed to LINEMODE,
// and asks for the mode. It runs with the Conn's mu held.
func (l *linemodeState) start(e *negotiate.Engine, mode negotiate.LinemodeMode) {
	*l = linemodeState{slc: *negotiate.DefaultSLC()}
	e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, mode&supportedLinemode))
}

// receive acts on a LINEMODE subnegotiation from the client, and reports
// whether the mode or the characters changed. It runs with the Conn's mu
// held.
func (l *linemodeState) receive(e *negotiate.Engine, data []byte) (changed bool, err error) {
	msg, err := negotiate.ParseLinemode(data)
	if err != nil {
		return false, err
	}
	switch msg.Cmd {
	case negotiate.LinemodeCmdMode:
		next, reply, send := negotiate.AnswerLinemodeMode(l.mode, msg.Mode, supportedLinemode, true)
		changed, l.mode = next != l.mode, next
		if send {
			e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, reply))
		}
		// A client that sent no table of its own gets the server's, once
		// it has taken the mode, as telnetlib3 does.
		if msg.Mode&negotiate.LinemodeAck != 0 && !l.slcSeen {
			l.slcSeen = true
			e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeSLC(nil, l.slc.Triplets()...))
		}
	case negotiate.LinemodeCmdSLC:
		l.slcSeen = true
		before := l.slc
		if reply := l.slc.Arbitrate(msg.SLC); len(reply) > 0 {
			e.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeSLC(nil, reply...))
		}
		changed = l.slc != before
	}
	// The client's answers about FORWARDMASK need nothing: the server
	// asks for none, so the client forwards at the end of each line.
	return changed, nil
}

// Linemode returns the LINEMODE mode the client acknowledged (EDIT,
// TRAPSIG, ...), and whether LINEMODE is on. Only a server agrees to
// LINEMODE; a client Conn always returns false.
func (c *Conn) Linemode() (negotiate.LinemodeMode, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.neg.linemode()
	if l == nil || !c.eng.Enabled(negotiate.Remote, negotiate.Linemode) {
		return 0, false
	}
	return l.mode, true
}

// SLC returns a copy of the special line characters agreed with the
// client under LINEMODE, and whether LINEMODE is on; without it the table
// is the BSD default ([negotiate.DefaultSLC]).
func (c *Conn) SLC() (negotiate.SLCTable, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.neg.linemode()
	if l == nil || !c.eng.Enabled(negotiate.Remote, negotiate.Linemode) {
		return *negotiate.DefaultSLC(), false
	}
	return l.slc, true
}

// ErrNoLinemode is returned by [Conn.RequestLinemode] when LINEMODE is
// not on.
var ErrNoLinemode = errors.New("telnet: LINEMODE not agreed with the client")

// RequestLinemode asks the client for a new LINEMODE mode, such as
// LinemodeEdit to have it edit lines, or 0 to have it send each key. The
// mode changes when the client acknowledges it: [WithOnChange] reports a
// [ChangeLinemode], and [Conn.Linemode] tells the mode then. It fails
// with [ErrNoLinemode] unless c is a server whose client agreed to
// LINEMODE.
func (c *Conn) RequestLinemode(mode negotiate.LinemodeMode) error {
	c.mu.Lock()
	if c.neg.linemode() == nil || !c.eng.Enabled(negotiate.Remote, negotiate.Linemode) {
		c.mu.Unlock()
		return ErrNoLinemode
	}
	c.eng.SendSubnegotiation(negotiate.Linemode, negotiate.AppendLinemodeMode(nil, mode&supportedLinemode))
	c.mu.Unlock()
	return c.flush()
}
