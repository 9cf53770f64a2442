package telnet

import (
	"bytes"
	"context"
	"log/slog"

	"github.com/telnetkit/telnet/negotiate"
)

// A negotiator is one role's half of the negotiation: the server's asks
// and records what its client reports, the client's answers. A Conn has
// one, chosen by its configuration; every method runs with the Conn's mu
// held.
type negotiator interface {
	// optionEnabled starts what an option needs once it is on.
	optionEnabled(side negotiate.Side, opt negotiate.Option)
	// subnegotiation acts on a subnegotiation of an enabled option.
	subnegotiation(opt negotiate.Option, data []byte) error
	// advance takes the negotiation a step further once what it waits
	// for has arrived.
	advance()
	// settled reports whether the handshake has nothing more to wait for.
	settled() bool
	// terminal is the client's terminal: what the peer reported, for a
	// server; what we report, for a client.
	terminal() *terminal
	// mudClient reports whether the peer is a MUD client.
	mudClient() bool
}

// follow runs what follows an event of the engine besides handle: the
// MCCP streams, LINEMODE and LFLOW. It runs with c.mu held.
func (c *Conn) follow(ev negotiate.Event) {
	if c.mccp {
		c.mccpEvent(ev)
	}
	c.linemodeEvent(ev)
	c.flowEvent(ev)
}

// clientSide is the end of the connection whose options are the
// client's own (LINEMODE, LFLOW, ...): the peer's on a server, ours on a
// client.
func (c *Conn) clientSide() negotiate.Side {
	if c.cfg.client {
		return negotiate.Local
	}
	return negotiate.Remote
}

// A terminal is what a Telnet client reports about its terminal.
type terminal struct {
	name     string   // the terminal type (TTYPE)
	names    []string // every type of the RFC 1091 cycle, for a server
	cols     int      // the window size (NAWS)
	rows     int
	speed    [2]int // transmit and receive, in bits per second (TSPEED)
	xdisplay string // the X display location (XDISPLOC)
	env      map[string]string
}

// handle acts on one event from the engine. It runs with c.mu held.
func (c *Conn) handle(ev negotiate.Event) {
	switch ev.Kind {
	case negotiate.EventNegotiation:
		c.debug("telnet: recv", ev)
	case negotiate.EventCommand:
		c.debug("telnet: recv", ev)
		c.changes = append(c.changes, Change{Kind: ChangeCommand, Command: ev.Command})
	case negotiate.EventError:
		c.log.Warn("telnet: peer protocol error", "event", ev, "peer", c.conn.RemoteAddr())
	case negotiate.EventOption:
		c.debug("telnet: option", ev)
		c.changes = append(c.changes, Change{Kind: ChangeOption, Option: ev.Option, Side: ev.Side, Enabled: ev.Enabled})
		if ev.Enabled {
			c.neg.optionEnabled(ev.Side, ev.Option)
		}
	case negotiate.EventSubnegotiation:
		if !ev.OptionOn {
			c.debug("telnet: ignored: option not enabled", ev)
			return
		}
		c.debug("telnet: recv", ev)
		if !ownSubnegotiations.Has(ev.Option) {
			c.changes = append(c.changes, Change{Kind: ChangeSubnegotiation, Option: ev.Option, Data: bytes.Clone(ev.Data)})
			return
		}
		if err := c.neg.subnegotiation(ev.Option, ev.Data); err != nil {
			c.log.Warn("telnet: bad subnegotiation", "err", err, "peer", c.conn.RemoteAddr())
		}
	}
}

// ownSubnegotiations are the options whose subnegotiations a Conn acts on
// itself; those of every other option enabled are reported as a
// ChangeSubnegotiation.
var ownSubnegotiations = negotiate.OptionSetOf(negotiate.TTYPE, negotiate.NAWS, negotiate.NewEnviron,
	negotiate.TSPEED, negotiate.XDISPLOC, negotiate.Charset, negotiate.Status, negotiate.Linemode,
	negotiate.LFLOW, negotiate.MCCP2, negotiate.MCCP3)

// debug logs a negotiation event at debug level. Nothing is built unless
// the logger wants it: negotiation is frequent and debug logs are rare.
func (c *Conn) debug(msg string, ev negotiate.Event) {
	if c.log.Enabled(context.Background(), slog.LevelDebug) {
		c.log.Debug(msg, "event", ev, "peer", c.conn.RemoteAddr())
	}
}
