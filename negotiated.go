package telnet

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/telnetkit/telnet/negotiate"
)

// TerminalType returns the peer's terminal type: for a server, the last
// meaningful value of the client's TTYPE cycle (RFC 1091), or "" until
// one arrives; for a client, the type it reports.
func (c *Conn) TerminalType() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.neg.terminal().name
}

// TerminalTypes returns every distinct terminal type the client reported
// in its TTYPE cycle, in order, such as ["TINTIN++", "XTERM", "MTTS 783"].
func (c *Conn) TerminalTypes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.neg.terminal().names)
}

// WindowSize returns the window size: for a server, as the client last
// reported it with NAWS (0, 0 until then); for a client, the size it
// reports.
func (c *Conn) WindowSize() (cols, rows int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.neg.terminal()
	return t.cols, t.rows
}

// SetWindowSize changes the window size a client reports, and sends it at
// once when NAWS is enabled, as a client does when its terminal is
// resized. Only a client reports a window size: on a server it returns an
// error wrapping [errors.ErrUnsupported].
func (c *Conn) SetWindowSize(cols, rows int) error {
	client, ok := c.neg.(*clientNegotiation)
	if !ok {
		return fmt.Errorf("telnet: SetWindowSize on a server: %w", errors.ErrUnsupported)
	}
	c.mu.Lock()
	client.self.cols, client.self.rows = cols, rows
	if c.eng.Enabled(negotiate.Local, negotiate.NAWS) {
		client.sendWindowSize()
	}
	c.mu.Unlock()
	return c.flush()
}

// Env returns a copy of the environment variables the client sent with
// NEW-ENVIRON, for a server (variables sent undefined or empty are left
// out); for a client, those it sends when asked.
func (c *Conn) Env() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.neg.terminal().env)
}

// TerminalSpeed returns the transmit and receive speeds, in bits per
// second, the client reported with TSPEED, or 0, 0 if it did not.
func (c *Conn) TerminalSpeed() (transmit, receive int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.neg.terminal().speed
	return s[0], s[1]
}

// XDisplay returns the X display location the client reported with
// XDISPLOC, or "".
func (c *Conn) XDisplay() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.neg.terminal().xdisplay
}

// OptionEnabled reports whether opt is enabled at the given end.
func (c *Conn) OptionEnabled(side negotiate.Side, opt negotiate.Option) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.eng.Enabled(side, opt)
}

// EnableOption asks the peer to agree to enable opt at the given end (WILL
// for our end, DO for the peer's), and accepts the peer's requests for it
// from now on. The answer comes in later; [WithOnChange] reports it.
func (c *Conn) EnableOption(side negotiate.Side, opt negotiate.Option) error {
	c.mu.Lock()
	c.eng.Enable(side, opt)
	c.mu.Unlock()
	return c.flush()
}

// DisableOption disables opt at the given end (WONT for our end, DONT for
// the peer's), and refuses the peer's requests for it from now on.
// Disabling the MCCP option that compresses what we send ends the
// compressed stream right after the WONT or DONT; disabling a server's
// ECHO under LINEMODE asks the client to edit lines (MODE EDIT).
func (c *Conn) DisableOption(side negotiate.Side, opt negotiate.Option) error {
	c.mu.Lock()
	c.eng.Disable(side, opt)
	// The option is off from now on, with no event from the engine: what
	// follows it follows now.
	c.follow(negotiate.Event{Kind: negotiate.EventOption, Side: side, Option: opt})
	c.mu.Unlock()
	return c.flush()
}

// SendCommand sends the two-byte command IAC cmd, such as AYT, NOP or
// EOR, in order with the data written.
func (c *Conn) SendCommand(cmd negotiate.Command) error {
	c.mu.Lock()
	c.eng.SendCommand(cmd)
	c.mu.Unlock()
	return c.flush()
}

// SendGoAhead sends IAC GA, the prompt mark of half-duplex Telnet, unless
// go-ahead is suppressed at our end (SGA), in which case it does nothing.
// MUD clients use it to tell a prompt from other output.
func (c *Conn) SendGoAhead() error {
	c.mu.Lock()
	if c.eng.Enabled(negotiate.Local, negotiate.SGA) {
		c.mu.Unlock()
		return nil
	}
	c.eng.SendCommand(negotiate.GA)
	c.mu.Unlock()
	return c.flush()
}

// SendEndOfRecord sends IAC EOR (RFC 885), the prompt mark some MUD
// clients prefer to GA, if the peer agreed to receive it (EOR enabled at
// our end); otherwise it does nothing.
func (c *Conn) SendEndOfRecord() error {
	c.mu.Lock()
	if !c.eng.Enabled(negotiate.Local, negotiate.EndOfRecord) {
		c.mu.Unlock()
		return nil
	}
	c.eng.SendCommand(negotiate.EOR)
	c.mu.Unlock()
	return c.flush()
}

// SendSubnegotiation sends IAC SB opt payload IAC SE, with IAC bytes
// escaped, for options the library does not handle itself (GMCP, say).
func (c *Conn) SendSubnegotiation(opt negotiate.Option, payload []byte) error {
	c.mu.Lock()
	c.eng.SendSubnegotiation(opt, payload)
	c.mu.Unlock()
	return c.flush()
}

// RequestTimingMark sends DO TIMING-MARK (RFC 860). The peer answers once
// it has processed everything sent before. The answer enables nothing, so
// it is not reported as a [Change]; it is logged at debug level.
func (c *Conn) RequestTimingMark() error {
	return c.EnableOption(negotiate.Remote, negotiate.TimingMark)
}
