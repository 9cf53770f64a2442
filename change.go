package telnet

import "github.com/telnetkit/telnet/negotiate"

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
)

// A Change is something the peer changed.
type Change struct {
	Kind ChangeKind
	// Option, Side and Enabled describe a ChangeOption.
	Option  negotiate.Option
	Side    negotiate.Side
	Enabled bool
	// Command is the command of a ChangeCommand.
	Command negotiate.Command
}
