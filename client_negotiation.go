package telnet

import (
	"maps"
	"slices"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

// clientNegotiation is the client's half of the negotiation: it sends
// nothing first, and answers what the server asks with what it was
// configured to report.
type clientNegotiation struct {
	c    *Conn
	self terminal // what we report; SetWindowSize changes it
}

func newClientNegotiation(c *Conn) *clientNegotiation {
	cfg := c.cfg
	return &clientNegotiation{c: c, self: terminal{
		name: cfg.termType, cols: cfg.cols, rows: cfg.rows,
		speed: cfg.speed, xdisplay: cfg.xdisplay, env: cfg.env,
	}}
}

func (n *clientNegotiation) terminal() *terminal { return &n.self }

func (n *clientNegotiation) settled() bool { return true }

func (n *clientNegotiation) mudClient() bool { return false } // the peer is a server

func (n *clientNegotiation) advance() {}

func (n *clientNegotiation) optionEnabled(side negotiate.Side, opt negotiate.Option) {
	if side == negotiate.Local && opt == negotiate.NAWS {
		n.sendWindowSize()
	}
}

// sendWindowSize queues the window size we report.
func (n *clientNegotiation) sendWindowSize() {
	n.c.eng.SendSubnegotiation(negotiate.NAWS, negotiate.AppendNAWS(nil, n.self.cols, n.self.rows))
}

func (n *clientNegotiation) subnegotiation(opt negotiate.Option, data []byte) error {
	e := n.c.eng
	switch opt {
	case negotiate.Charset:
		return n.charsetSubnegotiation(data)
	case negotiate.TTYPE:
		cmd, _, err := negotiate.ParseTTYPE(data)
		if err != nil || cmd != negotiate.TTYPESend {
			return err
		}
		e.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPEIs(nil, n.self.name))
	case negotiate.NewEnviron:
		cmd, vars, err := negotiate.ParseEnviron(data)
		if err != nil || cmd != negotiate.EnvironSend {
			return err
		}
		e.SendSubnegotiation(negotiate.NewEnviron, negotiate.AppendEnviron(nil, negotiate.EnvironIs, n.envReply(vars)))
	case negotiate.TSPEED:
		cmd, _, _, err := negotiate.ParseTSPEED(data)
		if err != nil || cmd != negotiate.TSPEEDSend {
			return err
		}
		e.SendSubnegotiation(negotiate.TSPEED, negotiate.AppendTSPEEDIs(nil, n.self.speed[0], n.self.speed[1]))
	case negotiate.XDISPLOC:
		cmd, _, err := negotiate.ParseXDISPLOC(data)
		if err != nil || cmd != negotiate.XDISPLOCSend {
			return err
		}
		e.SendSubnegotiation(negotiate.XDISPLOC, negotiate.AppendXDISPLOCIs(nil, n.self.xdisplay))
	}
	return nil
}

// envReply is the answer to a NEW-ENVIRON SEND: the requested variables
// we may send, or all of them when the request names none.
func (n *clientNegotiation) envReply(req []negotiate.EnvVar) []negotiate.EnvVar {
	env := n.self.env
	all := len(req) == 0
	var out []negotiate.EnvVar
	for _, r := range req {
		if r.Name == "" {
			all = true
			continue
		}
		v, ok := env[r.Name]
		out = append(out, negotiate.EnvVar{Name: r.Name, User: r.User, Value: v, HasValue: ok})
	}
	if all {
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if !slices.ContainsFunc(out, func(v negotiate.EnvVar) bool { return v.Name == k }) {
				out = append(out, negotiate.EnvVar{Name: k, Value: env[k], HasValue: true})
			}
		}
	}
	return out
}

// charsetSubnegotiation answers the server's REQUEST: ACCEPTED with the
// first character set offered that we can speak, else REJECTED.
func (n *clientNegotiation) charsetSubnegotiation(data []byte) error {
	m, err := negotiate.ParseCharset(data)
	if err != nil {
		return err
	}
	reply, ok := negotiate.AppendCharsetReply(nil, m, charset.Chooser(n.c.cfg.encName))
	if !ok {
		return nil
	}
	n.c.eng.SendSubnegotiation(negotiate.Charset, reply)
	if reply[0] == negotiate.CharsetAccepted {
		n.c.agreeCharset(string(reply[1:]))
	}
	return nil
}
