package telnet

import (
	"strings"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

// serverNegotiation is the server's half of the negotiation, as
// telnetlib3's server does it: it asks for the terminal type (with the
// RFC 1091 cycle), then for the environment, offers to echo once the
// terminal is known, and records what the client reports.
type serverNegotiation struct {
	c     *Conn
	peer  terminal // what the client reported
	ttype negotiate.TTYPECycle

	// The server's progress.
	ttypeDone    bool // the terminal type is known, or will not be
	envAsked     bool // NEW-ENVIRON SEND was sent
	envDone      bool // NEW-ENVIRON IS arrived
	echoAsked    bool // the deferred WILL ECHO was decided
	binaryAsked  bool // DO BINARY was decided
	charsetAsked bool // the CHARSET REQUEST was sent
	charsetDone  bool // and the client answered it
}

func (s *serverNegotiation) terminal() *terminal { return &s.peer }

func (s *serverNegotiation) settled() bool {
	return s.ttypeDone && (!s.envAsked || s.envDone) && (!s.charsetAsked || s.charsetDone)
}

func (s *serverNegotiation) optionEnabled(side negotiate.Side, opt negotiate.Option) {
	if side != negotiate.Remote {
		return
	}
	e := s.c.eng
	switch opt {
	case negotiate.Charset:
		// RFC 2066 lets either end that has WILL CHARSET send a REQUEST;
		// telnetlib3's server answers the client's WILL with its own and
		// requests, which every client that does CHARSET understands.
		if !s.charsetAsked {
			e.Enable(negotiate.Local, negotiate.Charset)
			s.requestCharset()
		}
	case negotiate.TTYPE:
		e.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPESend(nil))
	case negotiate.TSPEED:
		e.SendSubnegotiation(negotiate.TSPEED, negotiate.AppendTSPEEDSend(nil))
	case negotiate.XDISPLOC:
		e.SendSubnegotiation(negotiate.XDISPLOC, negotiate.AppendXDISPLOCSend(nil))
	}
}

func (s *serverNegotiation) advance() {
	e, cfg := s.c.eng, s.c.cfg
	// A client that agrees to receive binary is asked to send it too,
	// once.
	if !s.binaryAsked && e.Enabled(negotiate.Local, negotiate.Binary) && cfg.remote.Has(negotiate.Binary) {
		s.binaryAsked = true
		if !e.Enabled(negotiate.Remote, negotiate.Binary) {
			e.Enable(negotiate.Remote, negotiate.Binary)
		}
	}
	if !s.ttypeDone && !e.Enabled(negotiate.Remote, negotiate.TTYPE) && !e.Pending(negotiate.Remote, negotiate.TTYPE) {
		s.ttypeDone = true // refused: the terminal type stays unknown
	}
	if !s.ttypeDone {
		return
	}
	// NEW-ENVIRON waits for the terminal type: Microsoft's telnet client,
	// which reports ANSI then VT100, crashes when asked for USER.
	if !s.envAsked && e.Enabled(negotiate.Remote, negotiate.NewEnviron) {
		s.envAsked = true
		e.SendSubnegotiation(negotiate.NewEnviron, negotiate.AppendEnviron(nil, negotiate.EnvironSend, s.envRequest()))
	}
	if !s.echoAsked {
		s.echoAsked = true
		if cfg.local.Has(negotiate.Echo) && !s.mudClient() {
			e.Enable(negotiate.Local, negotiate.Echo)
		}
	}
}

// envRequest is the list of variables a server asks for: telnetlib3's
// list, then every other variable.
func (s *serverNegotiation) envRequest() []negotiate.EnvVar {
	names := []string{"USER", "LOGNAME", "DISPLAY", "LANG", "TERM", "TERM_PROGRAM",
		"COLUMNS", "LINES", "COLORTERM", "EDITOR", "IPADDRESS"}
	if types := s.peer.names; len(types) >= 2 && strings.EqualFold(types[0], "ANSI") &&
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

func (s *serverNegotiation) mudClient() bool {
	if _, ok := s.ttype.MTTS(); ok {
		return true
	}
	for _, t := range s.peer.names {
		for _, m := range mudClients {
			if strings.EqualFold(t, m) {
				return true
			}
		}
	}
	return false
}

func (s *serverNegotiation) subnegotiation(opt negotiate.Option, data []byte) error {
	c, e := s.c, s.c.eng
	switch opt {
	case negotiate.Charset:
		return s.charsetSubnegotiation(data)
	case negotiate.NAWS:
		cols, rows, err := negotiate.ParseNAWS(data)
		if err != nil {
			return err
		}
		s.peer.cols, s.peer.rows = cols, rows
		c.changes = append(c.changes, Change{Kind: ChangeWindowSize})
	case negotiate.TTYPE:
		cmd, name, err := negotiate.ParseTTYPE(data)
		if err != nil {
			return err
		}
		if cmd != negotiate.TTYPEIs || s.ttype.Done() {
			return nil
		}
		if s.ttype.Add(name) {
			e.SendSubnegotiation(negotiate.TTYPE, negotiate.AppendTTYPESend(nil))
		} else {
			s.ttypeDone = true
		}
		s.peer.name, s.peer.names = s.ttype.Terminal(), s.ttype.Names()
		c.changes = append(c.changes, Change{Kind: ChangeTerminalType})
	case negotiate.NewEnviron:
		cmd, vars, err := negotiate.ParseEnviron(data)
		if err != nil {
			return err
		}
		if cmd != negotiate.EnvironIs && cmd != negotiate.EnvironInfo {
			return nil
		}
		if s.peer.env == nil {
			s.peer.env = make(map[string]string)
		}
		for _, v := range vars {
			if v.HasValue && v.Value != "" {
				s.peer.env[v.Name] = v.Value
			} else {
				delete(s.peer.env, v.Name)
			}
		}
		// LANG names the client's encoding (telnetlib3 lets it override
		// CHARSET), when it names one.
		if name, ok := charset.LangCharset(s.peer.env["LANG"]); ok && c.dec != nil {
			c.langName = name
		}
		s.envDone = s.envDone || cmd == negotiate.EnvironIs
		c.changes = append(c.changes, Change{Kind: ChangeEnv})
	case negotiate.TSPEED:
		cmd, tx, rx, err := negotiate.ParseTSPEED(data)
		if err != nil || cmd != negotiate.TSPEEDIs {
			return err
		}
		s.peer.speed = [2]int{tx, rx}
		c.changes = append(c.changes, Change{Kind: ChangeTerminalSpeed})
	case negotiate.XDISPLOC:
		cmd, loc, err := negotiate.ParseXDISPLOC(data)
		if err != nil || cmd != negotiate.XDISPLOCIs {
			return err
		}
		s.peer.xdisplay = loc
		c.changes = append(c.changes, Change{Kind: ChangeXDisplay})
	}
	return nil
}

// charsetSubnegotiation acts on the client's answer to the REQUEST.
func (s *serverNegotiation) charsetSubnegotiation(data []byte) error {
	m, err := negotiate.ParseCharset(data)
	if err != nil {
		return err
	}
	switch {
	case m.Command == negotiate.CharsetAccepted && s.charsetAsked && !s.charsetDone:
		s.charsetDone = true
		s.c.agreeCharset(m.Name)
	case m.Command == negotiate.CharsetRejected || m.Command == negotiate.CharsetTTableRejected:
		s.charsetDone = true
		s.c.log.Debug("telnet: CHARSET rejected", "peer", s.c.conn.RemoteAddr())
	}
	return nil
}

// requestCharset sends the server's CHARSET REQUEST.
func (s *serverNegotiation) requestCharset() {
	c := s.c
	req, err := negotiate.AppendCharsetRequest(nil, ' ', charset.Offers(c.cfg.encName))
	if err != nil {
		c.log.Warn("telnet: cannot offer a character set", "err", err, "peer", c.conn.RemoteAddr())
		return
	}
	s.charsetAsked = true
	c.eng.SendSubnegotiation(negotiate.Charset, req)
}
