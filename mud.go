package telnet

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/telnetkit/telnet/negotiate"
)

// ErrOptionDisabled is returned when sending a subnegotiation of an
// option that is enabled at neither end: the peer would ignore it.
var ErrOptionDisabled = errors.New("telnet: option not enabled")

// SendGMCP sends a GMCP message (Generic MUD Communication Protocol,
// option 201): the package, such as "Char.Vitals", and v marshalled with
// encoding/json, or no JSON when v is nil. GMCP must be enabled at
// either end: a server asks with WithLocalOption(negotiate.GMCP,
// Request), a client agrees with WithRemoteOption(negotiate.GMCP,
// Accept); otherwise the error wraps [ErrOptionDisabled].
func (c *Conn) SendGMCP(pkg string, v any) error {
	var data []byte
	if v != nil {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("telnet: GMCP %s: %w", pkg, err)
		}
	}
	payload, err := negotiate.AppendGMCP(nil, pkg, data)
	if err != nil {
		return err
	}
	return c.sendMUD(negotiate.GMCP, payload)
}

// SendMSDP sends MSDP variables (MUD Server Data Protocol, option 69),
// which may nest tables and arrays. MSDP must be enabled at either end, as
// for [Conn.SendGMCP].
func (c *Conn) SendMSDP(vars ...negotiate.MSDPVariable) error {
	payload, err := negotiate.AppendMSDP(nil, vars)
	if err != nil {
		return err
	}
	return c.sendMUD(negotiate.MSDP, payload)
}

// SendMSSP sends the MUD Server Status table (option 70): what MUD
// listings ask a server for (NAME, PLAYERS, UPTIME, ...). A server sends
// it once the client has agreed to MSSP (WithLocalOption(negotiate.MSSP,
// Request), then DO MSSP from the client); MSSP must be enabled at either
// end, as for [Conn.SendGMCP].
func (c *Conn) SendMSSP(vars ...negotiate.MSSPVariable) error {
	payload, err := negotiate.AppendMSSP(nil, vars)
	if err != nil {
		return err
	}
	return c.sendMUD(negotiate.MSSP, payload)
}

// sendMUD sends the subnegotiation of opt, if enabled.
func (c *Conn) sendMUD(opt negotiate.Option, payload []byte) error {
	c.mu.Lock()
	if !c.eng.Enabled(negotiate.Local, opt) && !c.eng.Enabled(negotiate.Remote, opt) {
		c.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrOptionDisabled, opt)
	}
	c.eng.SendSubnegotiation(opt, payload)
	c.mu.Unlock()
	return c.flush()
}

// errNotSubnegotiation is the error of decoding a change that is not a
// subnegotiation of the option asked for.
func (ch Change) errNotSubnegotiation(opt negotiate.Option) error {
	return fmt.Errorf("telnet: %v is not a subnegotiation of %v", ch, opt)
}

// GMCP decodes a GMCP message: its package, such as "Core.Hello", and its
// JSON data, checked to be valid JSON (nil when the message has none),
// for [encoding/json.Unmarshal]. It fails for a change that is not a
// ChangeSubnegotiation of GMCP.
func (ch Change) GMCP() (pkg string, data json.RawMessage, err error) {
	if ch.Kind != ChangeSubnegotiation || ch.Option != negotiate.GMCP {
		return "", nil, ch.errNotSubnegotiation(negotiate.GMCP)
	}
	pkg, data, err = negotiate.ParseGMCP(ch.Data)
	if err != nil {
		return "", nil, err
	}
	if data != nil && !json.Valid(data) {
		return "", nil, fmt.Errorf("telnet: GMCP %s: invalid JSON: %w", pkg, negotiate.ErrMalformed)
	}
	return pkg, data, nil
}

// MSDP decodes MSDP variables. It fails for a change that is not a
// ChangeSubnegotiation of MSDP.
func (ch Change) MSDP() ([]negotiate.MSDPVariable, error) {
	if ch.Kind != ChangeSubnegotiation || ch.Option != negotiate.MSDP {
		return nil, ch.errNotSubnegotiation(negotiate.MSDP)
	}
	return negotiate.ParseMSDP(ch.Data)
}

// MSSP decodes an MSSP table. It fails for a change that is not a
// ChangeSubnegotiation of MSSP.
func (ch Change) MSSP() ([]negotiate.MSSPVariable, error) {
	if ch.Kind != ChangeSubnegotiation || ch.Option != negotiate.MSSP {
		return nil, ch.errNotSubnegotiation(negotiate.MSSP)
	}
	return negotiate.ParseMSSP(ch.Data)
}

// SendPrompt marks the end of a prompt, for clients that show prompts
// apart or act on them (MUD clients): IAC EOR when the peer agreed to
// receive EOR (EOR enabled at our end), else IAC GA when the peer is a MUD
// client (as a server tells by its terminal type) or go-ahead is not
// suppressed; otherwise, to a terminal that has agreed to no mark, it
// sends nothing. Unlike [Conn.SendGoAhead], it sends GA to a MUD client
// even when SGA is agreed: MUD clients tell prompts by it, which RFC 858
// does not foresee.
func (c *Conn) SendPrompt() error {
	c.mu.Lock()
	switch {
	case c.eng.Enabled(negotiate.Local, negotiate.EndOfRecord):
		c.eng.SendCommand(negotiate.EOR)
	case c.neg.mudClient() || !c.eng.Enabled(negotiate.Local, negotiate.SGA):
		c.eng.SendCommand(negotiate.GA)
	default:
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	return c.flush()
}
