package negotiate

import (
	"strconv"
	"strings"
)

// Sub-commands of the TTYPE option (RFC 1091).
const (
	// TTYPEIs starts a TTYPE IS payload: the sender's terminal type follows.
	TTYPEIs SubCommand = 0
	// TTYPESend is the whole of a TTYPE SEND payload: a request for the
	// peer's next terminal type.
	TTYPESend SubCommand = 1
)

// TTYPECycleMax is the most values a [TTYPECycle] asks for. RFC 1091 lets a
// client list as many types as it likes; the bound means a peer that never
// repeats itself cannot keep the server asking forever.
const TTYPECycleMax = 8

// The bits of the MUD Terminal Type Standard: a MUD client's third TTYPE
// value is "MTTS " followed by the decimal sum of the bits it supports.
const (
	MTTSANSI         = 1    // ANSI colours and attributes
	MTTSVT100        = 2    // VT100 escape sequences
	MTTSUTF8         = 4    // UTF-8 text
	MTTS256Colors    = 8    // xterm 256-colour palette
	MTTSMouse        = 16   // xterm mouse tracking
	MTTSOSCPalette   = 32   // palette changes by OSC sequences
	MTTSScreenReader = 64   // the user relies on a screen reader
	MTTSProxy        = 128  // the client is a proxy between server and user
	MTTSTruecolor    = 256  // 24-bit colour
	MTTSMNES         = 512  // MUD New-Environ Standard
	MTTSMSLP         = 1024 // MUD Server Link Protocol
	MTTSSSL          = 2048 // the connection is over SSL/TLS
)

// mttsPrefix starts the MTTS value; compared without regard to case, like
// every terminal type (RFC 1091).
const mttsPrefix = "MTTS "

// AppendTTYPESend appends a TTYPE SEND payload to dst.
func AppendTTYPESend(dst []byte) []byte {
	return append(dst, byte(TTYPESend))
}

// AppendTTYPEIs appends a TTYPE IS payload naming the terminal type name
// to dst. The name is written as given: RFC 1091 asks for NVT ASCII and
// makes case irrelevant, so callers should pass ASCII, conventionally
// upper-case.
func AppendTTYPEIs(dst []byte, name string) []byte {
	dst = append(dst, byte(TTYPEIs))
	return append(dst, name...)
}

// ParseTTYPE decodes a TTYPE payload. It returns the sub-command, [TTYPEIs]
// or [TTYPESend], and for IS the terminal type, case preserved (it may be
// empty). A SEND with trailing bytes, an unknown sub-command, or a name with
// a byte outside printable ASCII is malformed: terminal names are NVT ASCII,
// and a control byte in one could inject escapes wherever it is shown.
func ParseTTYPE(p []byte) (cmd SubCommand, name string, err error) {
	return parseIsSendText(TTYPE, p)
}

// A TTYPECycle is the server side of the RFC 1091 terminal type cycle. The
// server sends TTYPE SEND, passes every TTYPE IS answer to [TTYPECycle.Add],
// and sends SEND again while Add reports more. A client lists its types one
// per SEND and signals the end of its list by repeating the last one; MUD
// clients instead go back to the first, or send "MTTS <bits>" as their third
// value (the MUD Terminal Type Standard). The cycle ends on any of these, on
// an empty value, or after [TTYPECycleMax] values, whichever comes first.
//
// Names are stored as received; comparisons ignore case, as RFC 1091 says
// terminal types do. The zero value is a cycle that has received nothing.
type TTYPECycle struct {
	names    []string // distinct values, in order of arrival
	first    string
	prev     string
	terminal string
	count    int
	mtts     int
	hasMTTS  bool
	done     bool
}

// Add records one TTYPE IS value and reports whether the server should send
// another TTYPE SEND. Once the cycle is done, Add ignores its argument and
// returns false, so a late or unsolicited answer changes nothing.
func (c *TTYPECycle) Add(name string) (more bool) {
	if c.done {
		return false
	}
	c.count++
	switch {
	case name == "":
		c.done = true
	case c.count > 1 && (strings.EqualFold(name, c.prev) || strings.EqualFold(name, c.first)):
		c.done = true
	case hasPrefixFold(name, mttsPrefix):
		c.record(name)
		c.mtts, c.hasMTTS = parseMTTS(name[len(mttsPrefix):])
		c.done = true
	default:
		c.record(name)
		c.terminal = name
	}
	if c.count == 1 {
		c.first = name
	}
	c.prev = name
	if c.count >= TTYPECycleMax {
		c.done = true
	}
	return !c.done
}

// record appends name to the distinct names unless a name equal to it but
// for case is already there.
func (c *TTYPECycle) record(name string) {
	for _, n := range c.names {
		if strings.EqualFold(n, name) {
			return
		}
	}
	c.names = append(c.names, name)
}

// Names returns the distinct non-empty values received, in order of
// arrival, the MTTS value included. The slice is a copy.
func (c *TTYPECycle) Names() []string {
	if len(c.names) == 0 {
		return nil
	}
	return append([]string(nil), c.names...)
}

// Terminal returns the terminal type to use: the last value received that
// was neither empty, nor a repeat ending the cycle, nor the MTTS value. It
// is "" until such a value arrives.
func (c *TTYPECycle) Terminal() string { return c.terminal }

// MTTS returns the MUD Terminal Type Standard bits (MTTSANSI, ...) and
// true once a value "MTTS <n>" with n a non-negative decimal number was
// received.
func (c *TTYPECycle) MTTS() (bits int, ok bool) { return c.mtts, c.hasMTTS }

// Done reports whether the cycle has ended: the server must not send
// another TTYPE SEND for it.
func (c *TTYPECycle) Done() bool { return c.done }

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseMTTS decodes the number after "MTTS ". Only decimal digits are
// accepted (no sign), and at most what fits in 31 bits, so the bits are the
// same on every platform.
func parseMTTS(s string) (int, bool) {
	n, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return 0, false
	}
	return int(n), true
}
