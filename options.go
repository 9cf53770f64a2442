package telnet

import (
	"log/slog"

	"github.com/telnetkit/telnet/charset"
	"golang.org/x/text/encoding"
	"os"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// An Option configures a [Conn]. Options are applied in order, so a later
// option overrides an earlier one.
type Option func(*config)

// A Policy says what a Conn does about one side of one option.
type Policy uint8

const (
	// Refuse answers the peer's request with a refusal (WONT or DONT).
	Refuse Policy = iota
	// Accept agrees when the peer asks, and never asks first.
	Accept
	// Request asks for the option during the handshake, and agrees when
	// the peer asks.
	Request
)

// config holds every setting of a Conn. The defaults are those of
// newConfig.
type config struct {
	timeout  time.Duration
	termType string
	cols     int
	rows     int
	speed    [2]int // transmit, receive
	xdisplay string
	env      map[string]string
	logger   *slog.Logger
	onChange func(*Conn, Change)
	maxSB    int
	// sbTimeout bounds how long one SB from the peer may stay open.
	sbTimeout time.Duration

	rawLineEndings bool

	// The encoding of WithEncoding: nil for none.
	enc         encoding.Encoding
	encName     string
	encErrors   charset.Errors
	forceBinary bool

	// slc is the table of special characters LINEMODE starts with; nil
	// for the BSD default.
	slc *negotiate.SLCTable

	err    error // a bad option, reported by the constructors
	client bool  // the role, for options whose meaning depends on it

	// The option policy: what we accept at each side, and what we ask for
	// in the handshake, by negotiate.Side.
	local, remote negotiate.OptionSet
	request       [2]negotiate.OptionSet
}

// defaultEnv lists the variables a client sends from its environment
// unless WithEnv says otherwise.
var defaultEnv = []string{"TERM", "LANG", "COLUMNS", "LINES", "COLORTERM"}

func newConfig(client bool, opts []Option) *config {
	c := &config{
		timeout:  4 * time.Second,
		termType: "unknown",
		cols:     80,
		rows:     25,
		speed:    [2]int{38400, 38400},
		client:   client,

		sbTimeout: DefaultSubnegotiationTimeout,
	}
	if client {
		// What telnetlib3's client agrees to: report the terminal, take
		// the server's echo and go-ahead suppression, and binary.
		c.local = negotiate.OptionSetOf(negotiate.TTYPE, negotiate.NAWS, negotiate.NewEnviron,
			negotiate.TSPEED, negotiate.XDISPLOC, negotiate.Binary, negotiate.SGA, negotiate.LFLOW)
		c.remote = negotiate.OptionSetOf(negotiate.Echo, negotiate.SGA, negotiate.Binary,
			negotiate.EndOfRecord, negotiate.Status)
		c.env = make(map[string]string)
		for _, k := range defaultEnv {
			if v := os.Getenv(k); v != "" {
				c.env[k] = v
			}
		}
	} else {
		// What telnetlib3's server offers: the terminal type first, then
		// character-at-a-time mode, binary, the window size and the
		// environment. ECHO is offered later, once the terminal is known.
		c.local = negotiate.OptionSetOf(negotiate.SGA, negotiate.Binary, negotiate.Echo,
			negotiate.Status, negotiate.TimingMark, negotiate.EndOfRecord)
		c.remote = negotiate.OptionSetOf(negotiate.TTYPE, negotiate.NAWS, negotiate.NewEnviron,
			negotiate.TSPEED, negotiate.XDISPLOC, negotiate.Binary, negotiate.SGA, negotiate.LFLOW,
			negotiate.Linemode)
		c.request[negotiate.Remote] = negotiate.OptionSetOf(negotiate.TTYPE, negotiate.NAWS,
			negotiate.NewEnviron)
		c.request[negotiate.Local] = negotiate.OptionSetOf(negotiate.SGA, negotiate.Binary)
	}
	for _, o := range opts {
		o(c)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if client && c.xdisplay == "" {
		c.local.Remove(negotiate.XDISPLOC) // nothing to report
	}
	return c
}

// WithNegotiationTimeout bounds how long [Conn.Handshake] waits for the
// peer to answer the initial offers; then the data path opens whatever the
// peer has not answered. The default is 4 seconds; zero does not wait.
func WithNegotiationTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = max(d, 0) }
}

// WithTerminalType sets the terminal type a client reports with TTYPE.
// The default is "unknown"; the client program passes $TERM. A server
// ignores it.
func WithTerminalType(name string) Option {
	return func(c *config) { c.termType = name }
}

// WithWindowSize sets the window size a client reports with NAWS. The
// default is 80 columns by 25 rows. [Conn.SetWindowSize] changes it later.
// A server ignores it.
func WithWindowSize(cols, rows int) Option {
	return func(c *config) { c.cols, c.rows = cols, rows }
}

// WithTerminalSpeed sets the transmit and receive speeds, in bits per
// second, a client reports with TSPEED. The default is 38400 both ways.
// A server ignores it.
func WithTerminalSpeed(transmit, receive int) Option {
	return func(c *config) { c.speed = [2]int{transmit, receive} }
}

// WithXDisplay sets the X display location ("host:0") a client reports
// with XDISPLOC. The default is empty, which refuses XDISPLOC. A server
// ignores it.
func WithXDisplay(display string) Option {
	return func(c *config) { c.xdisplay = display }
}

// WithEnv sets the environment variables a client may send with
// NEW-ENVIRON when the server asks for them; a variable not in env is
// reported as undefined. The default is TERM, LANG, COLUMNS, LINES and
// COLORTERM from the process environment. WithEnv(nil) sends nothing. A
// server ignores it.
func WithEnv(env map[string]string) Option {
	return func(c *config) {
		c.env = make(map[string]string, len(env))
		for k, v := range env {
			c.env[k] = v
		}
	}
}

// WithLogger sets the logger of negotiation events and protocol errors.
// Negotiation is logged at debug level, peer misbehaviour at warning
// level. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithOnChange sets a function called when something the peer reported
// changes: an option turned on or off, a new window size, terminal type,
// environment, speed or X display. It is called from the goroutine that
// reads the Conn, after the change is visible through the Conn's methods;
// it must not block for long, and it may call any method of the Conn but
// Read. A method that sends (Write, SendGMCP, EnableOption, ...) waits for
// a Write in progress, and the Read with it: where the peer may stop
// reading, send from another goroutine.
//
// Given to a listener or a Daemon, it sees every connection's changes
// from the first byte, the handshake's included; a handler that wants
// the changes of its own connection from now on registers with
// [Conn.OnChange] instead.
func WithOnChange(f func(c *Conn, what Change)) Option {
	return func(c *config) { c.onChange = f }
}

// WithMaxSubnegotiation bounds the payload of one subnegotiation from the
// peer, in bytes; a longer one is discarded and logged. The default is
// 64 KiB.
func WithMaxSubnegotiation(n int) Option {
	return func(c *config) { c.maxSB = n }
}

// DefaultSubnegotiationTimeout is how long a subnegotiation from the peer
// may stay open unless [WithSubnegotiationTimeout] says otherwise.
const DefaultSubnegotiationTimeout = 30 * time.Second

// WithSubnegotiationTimeout bounds how long one subnegotiation from the
// peer may stay open, from its IAC SB to its IAC SE; past that it is
// dropped and logged, and what follows is read as data. The default is
// [DefaultSubnegotiationTimeout]; zero or less means the default.
// (Independently, an SB during which the peer stays silent for a second is
// ended, and its payload returned as data: some clients never end their
// SB.)
func WithSubnegotiationTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = DefaultSubnegotiationTimeout
		}
		c.sbTimeout = d
	}
}

// WithRawLineEndings makes Read and Write leave line endings as they are
// on the wire, for programs that move bytes rather than text; only IAC is
// escaped and unescaped. The default translates line endings as described
// at [Conn].
func WithRawLineEndings() Option {
	return func(c *config) { c.rawLineEndings = true }
}

// WithLocalOption sets the policy for opt at our end: whether we refuse,
// accept or ask to enable it (send WILL). It overrides the defaults of
// the role.
func WithLocalOption(opt negotiate.Option, p Policy) Option {
	return func(c *config) { c.setPolicy(negotiate.Local, opt, p) }
}

// WithRemoteOption sets the policy for opt at the peer's end: whether we
// refuse, accept or ask the peer to enable it (send DO). It overrides the
// defaults of the role.
func WithRemoteOption(opt negotiate.Option, p Policy) Option {
	return func(c *config) { c.setPolicy(negotiate.Remote, opt, p) }
}

func (c *config) setPolicy(side negotiate.Side, opt negotiate.Option, p Policy) {
	set := &c.local
	if side == negotiate.Remote {
		set = &c.remote
	}
	c.request[side].Remove(opt)
	switch p {
	case Refuse:
		set.Remove(opt)
	case Accept:
		set.Add(opt)
	case Request:
		set.Add(opt)
		c.request[side].Add(opt)
	}
}
