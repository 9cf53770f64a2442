package telnet

import (
	"strconv"

	"github.com/telnetkit/telnet/negotiate"
)

// A ChangeKind says what a [Change] is about.
type ChangeKind uint8

// The kinds of change reported to the function of [WithOnChange].
const (
	// ChangeOption is an option enabled or disabled at one end.
	ChangeOption ChangeKind = iota + 1
	// ChangeWindowSize is a new window size from the peer (NAWS).
	ChangeWindowSize
	// ChangeTerminalType is a terminal type from the peer (TTYPE); it is
	// reported for each value of the cycle.
	ChangeTerminalType
	// ChangeEnv is environment variables from the peer (NEW-ENVIRON).
	ChangeEnv
	// ChangeTerminalSpeed is a terminal speed from the peer (TSPEED).
	ChangeTerminalSpeed
	// ChangeXDisplay is an X display location from the peer (XDISPLOC).
	ChangeXDisplay
	// ChangeCharset is a character set agreed with CHARSET.
	ChangeCharset
	// ChangeCommand is a command from the peer, such as IAC IP or IAC
	// AYT, in [Change.Command].
	ChangeCommand
	// ChangeSubnegotiation is a subnegotiation from the peer that the
	// Conn does not act on itself (GMCP, MSDP, MSSP, ATCP, ZMP, ..., and
	// any other option the policy enabled), with its option in
	// [Change.Option] and its payload in [Change.Data]. It is reported
	// only while the option is enabled at either end. [Change.GMCP],
	// [Change.MSDP] and [Change.MSSP] decode the MUD protocols' payloads.
	ChangeSubnegotiation
	// ChangeLinemode is a new LINEMODE mode or new special characters,
	// agreed with the client: see [Conn.Linemode] and [Conn.SLC].
	ChangeLinemode
	// ChangeFlowControl is a new XON/XOFF flow control state of LFLOW:
	// see [Conn.FlowControl].
	ChangeFlowControl
)

var changeKindNames = [...]string{
	ChangeOption:         "option",
	ChangeWindowSize:     "window size",
	ChangeTerminalType:   "terminal type",
	ChangeEnv:            "environment",
	ChangeTerminalSpeed:  "terminal speed",
	ChangeXDisplay:       "X display",
	ChangeCharset:        "charset",
	ChangeCommand:        "command",
	ChangeSubnegotiation: "subnegotiation",
	ChangeLinemode:       "linemode",
	ChangeFlowControl:    "flow control",
}

// String returns the kind's name, such as "window size", or
// "ChangeKind(N)" for a value that names no kind.
func (k ChangeKind) String() string {
	if int(k) < len(changeKindNames) && changeKindNames[k] != "" {
		return changeKindNames[k]
	}
	return "ChangeKind(" + strconv.Itoa(int(k)) + ")"
}

// A Change is something the peer changed.
type Change struct {
	Kind ChangeKind
	// Option, Side and Enabled describe a ChangeOption.
	Option  negotiate.Option
	Side    negotiate.Side
	Enabled bool
	// Command is the command of a ChangeCommand.
	Command negotiate.Command
	// Data is the payload of a ChangeSubnegotiation, with IAC IAC undone:
	// a copy the receiver may keep, of at most the bound of
	// [WithMaxSubnegotiation] (a longer one is dropped and logged).
	Data []byte
}

// String describes the change for a log: "local ECHO enabled" or "remote
// NAWS disabled" for a ChangeOption, "command IP" for a ChangeCommand,
// "subnegotiation GMCP, 42 bytes" for a ChangeSubnegotiation, the kind's
// name for the others (the new value is the Conn's to read).
func (c Change) String() string {
	switch c.Kind {
	case ChangeSubnegotiation:
		return "subnegotiation " + c.Option.String() + ", " + strconv.Itoa(len(c.Data)) + " bytes"
	case ChangeOption:
		// The engine's words for the event the change comes from.
		return negotiate.Event{Kind: negotiate.EventOption, Side: c.Side, Option: c.Option, Enabled: c.Enabled}.String()
	case ChangeCommand:
		return "command " + c.Command.String()
	}
	return c.Kind.String()
}
