package telnet

import "github.com/telnetkit/telnet/negotiate"

// The flow control of LFLOW (RFC 1372): a server tells its client whether
// the user's XOFF and XON (^S, ^Q) stop and restart the output at the
// client, and whether any character restarts it. The client program
// follows it; a Conn only carries the state.

// A flowControl is the LFLOW state: what a server asked its client to do.
type flowControl struct {
	on, restartAny bool
}

// flowEvent follows LFLOW: it starts on, restarting with XON only, when
// the client's option comes on, and a client takes the server's
// commands. It runs with c.mu held.
func (c *Conn) flowEvent(ev negotiate.Event) {
	side := c.clientSide()
	if ev.Option != negotiate.LFLOW || !c.eng.Enabled(side, negotiate.LFLOW) {
		return
	}
	before := c.flow
	switch {
	case ev.Kind == negotiate.EventOption && ev.Side == side:
		c.flow = flowControl{on: true}
	case ev.Kind == negotiate.EventSubnegotiation && c.cfg.client:
		cmd, err := negotiate.ParseLFLOW(ev.Data)
		if err != nil {
			c.log.Warn("telnet: bad subnegotiation", "err", err, "peer", c.conn.RemoteAddr())
			return
		}
		switch cmd {
		case negotiate.LFLOWOff, negotiate.LFLOWOn:
			c.flow.on = cmd == negotiate.LFLOWOn
		default:
			c.flow.restartAny = cmd == negotiate.LFLOWRestartAny
		}
	}
	if c.flow != before {
		c.changes = append(c.changes, Change{Kind: ChangeFlowControl})
	}
}

// FlowControl returns the XON/XOFF flow control a server asked its client
// to do with LFLOW: whether the user's XOFF and XON stop and restart the
// output, and whether any character restarts it; and whether LFLOW is on.
// It is on, restarting with XON only, from when LFLOW is agreed until the
// server says otherwise. On a server it is what the server asked for.
func (c *Conn) FlowControl() (on, restartAny, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.eng.Enabled(c.clientSide(), negotiate.LFLOW) {
		return false, false, false
	}
	return c.flow.on, c.flow.restartAny, true
}

// SetFlowControl tells the client whether to do XON/XOFF flow control,
// and whether any character restarts the output it stops; [WithOnChange]
// reports a [ChangeFlowControl] at the client. It fails with
// [ErrOptionDisabled] unless c is a server whose client agreed to LFLOW.
func (c *Conn) SetFlowControl(on, restartAny bool) error {
	c.mu.Lock()
	if c.cfg.client || !c.eng.Enabled(negotiate.Remote, negotiate.LFLOW) {
		c.mu.Unlock()
		return ErrOptionDisabled
	}
	onOff, restart := negotiate.LFLOWOff, negotiate.LFLOWRestartXON
	if on {
		onOff = negotiate.LFLOWOn
	}
	if restartAny {
		restart = negotiate.LFLOWRestartAny
	}
	c.eng.SendSubnegotiation(negotiate.LFLOW, negotiate.AppendLFLOW(nil, onOff))
	c.eng.SendSubnegotiation(negotiate.LFLOW, negotiate.AppendLFLOW(nil, restart))
	c.flow = flowControl{on: on, restartAny: restartAny}
	c.mu.Unlock()
	return c.flush()
}
