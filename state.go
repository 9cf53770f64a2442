package telnet

import (
	"maps"
	"slices"
	"strings"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

// handle acts on one event from the engine. It runs with c.mu held.
func (c *Conn) handle(ev negotiate.Event) {
	switch ev.Kind {
	case negotiate.EventNegotiation:
		c.log.Debug("telnet: recv "+ev.String(), "peer", c.conn.RemoteAddr())
	case negotiate.EventCommand:
		c.log.Debug("telnet: recv "+ev.String(), "peer", c.conn.RemoteAddr())
		c.changes = append(c.changes, Change{Kind: ChangeCommand, Command: ev.Command})
	case negotiate.EventError:
		c.log.Warn("telnet: "+ev.String(), "peer", c.conn.RemoteAddr())
	case negotiate.EventOption:
		c.log.Debug("telnet: "+ev.String(), "peer", c.conn.RemoteAddr())
		c.changes = append(c.changes, Change{Kind: ChangeOption, Option: ev.Option, Side: ev.Side, Enabled: ev.Enabled})
		if ev.Enabled {
			c.optionEnabled(ev.Side, ev.Option)
		}
	case negotiate.EventSubnegotiation:
		if !ev.Enabled {
			c.log.Debug("telnet: ignored "+ev.String()+": option not enabled", "peer", c.conn.RemoteAddr())
			return
		}
		c.log.Debug("telnet: recv "+ev.String(), "peer", c.conn.RemoteAddr())
		if err := c.subnegotiation(ev.Option, ev.Data); err != nil {
			c.log.Warn("telnet: "+err.Error(), "peer", c.conn.RemoteAddr())
		}
	}
}

// optionEnabled starts what an option needs once it is on.
func (c *Conn) optionEnabled(side negotiate.Side, opt negotiate.Option) {
	if c.client {
		if side == negotiate.Local && opt == negotiate.NAWS {
			c.eng.SendSubnegotiation(negotiate.NAWS, negotiate.AppendNAWS(nil, c.cols, c.rows))
		}
		return
	}
	if side != negotiate.Remote {
		return
	}
	switch opt {
	case negotiate.Charset:
		// RFC 2066 lets either end that has WILL CHARSET send a REQUEST;
		// telnetlib3's server answers the client's WILL with its own and
		// requests, which every client that does CHARSET understands.
		if !c.charsetAsked {
			c.eng.Enable(negotiate.Local, negotiate.Charset)
			c.requestCharset()
		}
	case negotiate.TTYPE:
		c.eng.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPESend(nil))
	case negotiate.TSPEED:
		c.eng.SendSubnegotiation(negotiate.TSPEED, negotiate.AppendTSPEEDSend(nil))
	case negotiate.XDISPLOC:
		c.eng.SendSubnegotiation(negotiate.XDISPLOC, negotiate.AppendXDISPLOCSend(nil))
	}
}

// advance takes the server's negotiation a step further once what it
// waits for has arrived. It runs with c.mu held.
func (c *Conn) advance() {
	if c.client {
		return
	}
	e := c.eng
	// A client that agrees to receive binary is asked to send it too,
	// once.
	if !c.binaryAsked && e.Enabled(negotiate.Local, negotiate.Binary) && c.cfg.remote.Has(negotiate.Binary) {
		c.binaryAsked = true
		if !e.Enabled(negotiate.Remote, negotiate.Binary) {
			e.Enable(negotiate.Remote, negotiate.Binary)
		}
	}
	if !c.ttypeDone && !e.Enabled(negotiate.Remote, negotiate.TTYPE) && !e.Pending(negotiate.Remote, negotiate.TTYPE) {
		c.ttypeDone = true // refused: the terminal type stays unknown
	}
	if !c.ttypeDone {
		return
	}
	// NEW-ENVIRON waits for the terminal type: Microsoft's telnet client,
	// which reports ANSI then VT100, crashes when asked for USER.
	if !c.envAsked && e.Enabled(negotiate.Remote, negotiate.NewEnviron) {
		c.envAsked = true
		e.SendSubnegotiation(negotiate.NewEnviron, negotiate.AppendEnviron(nil, negotiate.EnvironSend, c.envRequest()))
	}
	if !c.echoAsked {
		c.echoAsked = true
		if c.cfg.local.Has(negotiate.Echo) && !c.isMUDClient() {
			e.Enable(negotiate.Local, negotiate.Echo)
		}
	}
}

// envRequest is the list of variables a server asks for: telnetlib3's
// list, then every other variable.
func (c *Conn) envRequest() []negotiate.EnvVar {
	names := []string{"USER", "LOGNAME", "DISPLAY", "LANG", "TERM", "TERM_PROGRAM",
		"COLUMNS", "LINES", "COLORTERM", "EDITOR", "IPADDRESS"}
	if types := c.ttype.Names(); len(types) >= 2 && strings.EqualFold(types[0], "ANSI") &&
		strings.EqualFold(types[1], "VT100") {
		names = names[1:] // Microsoft telnet: no USER
	}
	vars := make([]negotiate.EnvVar, 0, len(names)+2)
	for _, n := range names {
		vars = append(vars, negotiate.EnvVar{Name: n})
	}
	return append(vars, negotiate.EnvVar{}, negotiate.EnvVar{User: true})
}

// mudClients are the terminal types of MUD clients, which take WILL ECHO
// for "hide the input" rather than "the server echoes".
var mudClients = []string{"mudlet", "cmud", "zmud", "mushclient", "tintin++", "tinyfugue",
	"blowtorch", "mudrammer", "kildclient", "potato", "beip", "atlantis", "gmud", "portal",
	"mudmaster", "axmud", "lociterm"}

func (c *Conn) isMUDClient() bool {
	if _, ok := c.ttype.MTTS(); ok {
		return true
	}
	for _, t := range c.ttype.Names() {
		for _, m := range mudClients {
			if strings.EqualFold(t, m) {
				return true
			}
		}
	}
	return false
}

// subnegotiation decodes a subnegotiation for an enabled option and acts
// on it. It runs with c.mu held.
func (c *Conn) subnegotiation(opt negotiate.Option, data []byte) error {
	switch opt {
	case negotiate.Charset:
		return c.charsetSubnegotiation(data)
	case negotiate.NAWS:
		if c.client {
			return nil
		}
		cols, rows, err := negotiate.ParseNAWS(data)
		if err != nil {
			return err
		}
		c.cols, c.rows = cols, rows
		c.changes = append(c.changes, Change{Kind: ChangeWindowSize})
	case negotiate.TTYPE:
		cmd, name, err := negotiate.ParseTTYPE(data)
		if err != nil {
			return err
		}
		switch {
		case c.client && cmd == negotiate.TTYPESend:
			c.eng.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPEIs(nil, c.term))
		case !c.client && cmd == negotiate.TTYPEIs && !c.ttype.Done():
			if c.ttype.Add(name) {
				c.eng.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPESend(nil))
			} else {
				c.ttypeDone = true
			}
			c.term = c.ttype.Terminal()
			c.changes = append(c.changes, Change{Kind: ChangeTerminalType})
		}
	case negotiate.NewEnviron:
		cmd, vars, err := negotiate.ParseEnviron(data)
		if err != nil {
			return err
		}
		switch {
		case c.client && cmd == negotiate.EnvironSend:
			c.eng.SendSubnegotiation(negotiate.NewEnviron, negotiate.AppendEnviron(nil, negotiate.EnvironIs, c.envReply(vars)))
		case !c.client && (cmd == negotiate.EnvironIs || cmd == negotiate.EnvironInfo):
			if c.env == nil {
				c.env = make(map[string]string)
			}
			for _, v := range vars {
				if v.HasValue && v.Value != "" {
					c.env[v.Name] = v.Value
				} else {
					delete(c.env, v.Name)
				}
			}
			// LANG names the client's encoding (telnetlib3 lets it
			// override CHARSET), when it names one.
			if name, ok := charset.LangCharset(c.env["LANG"]); ok && c.dec != nil {
				c.langName = name
			}
			c.envDone = c.envDone || cmd == negotiate.EnvironIs
			c.changes = append(c.changes, Change{Kind: ChangeEnv})
		}
	case negotiate.TSPEED:
		cmd, tx, rx, err := negotiate.ParseTSPEED(data)
		if err != nil {
			return err
		}
		switch {
		case c.client && cmd == negotiate.TSPEEDSend:
			c.eng.SendSubnegotiation(negotiate.TSPEED, negotiate.AppendTSPEEDIs(nil, c.speed[0], c.speed[1]))
		case !c.client && cmd == negotiate.TSPEEDIs:
			c.speed = [2]int{tx, rx}
			c.changes = append(c.changes, Change{Kind: ChangeTerminalSpeed})
		}
	case negotiate.XDISPLOC:
		cmd, loc, err := negotiate.ParseXDISPLOC(data)
		if err != nil {
			return err
		}
		switch {
		case c.client && cmd == negotiate.XDISPLOCSend:
			c.eng.SendSubnegotiation(negotiate.XDISPLOC, negotiate.AppendXDISPLOCIs(nil, c.xdisp))
		case !c.client && cmd == negotiate.XDISPLOCIs:
			c.xdisp = loc
			c.changes = append(c.changes, Change{Kind: ChangeXDisplay})
		}
	}
	return nil
}

// envReply is a client's answer to a NEW-ENVIRON SEND: the requested
// variables it may send, or all of them when the request names none.
func (c *Conn) envReply(req []negotiate.EnvVar) []negotiate.EnvVar {
	all := len(req) == 0
	var out []negotiate.EnvVar
	for _, r := range req {
		if r.Name == "" {
			all = true
			continue
		}
		v, ok := c.cfg.env[r.Name]
		out = append(out, negotiate.EnvVar{Name: r.Name, User: r.User, Value: v, HasValue: ok})
	}
	if all {
		for _, k := range sortedKeys(c.cfg.env) {
			if !containsVar(out, k) {
				out = append(out, negotiate.EnvVar{Name: k, Value: c.cfg.env[k], HasValue: true})
			}
		}
	}
	return out
}

func containsVar(vars []negotiate.EnvVar, name string) bool {
	for _, v := range vars {
		if v.Name == name {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
