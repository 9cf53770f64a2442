package negotiate

import (
	"fmt"
	"strings"
)

// An EventKind says what an [Event] reports.
type EventKind uint8

// The kinds of events.
const (
	// EventCommand is a two-byte command from the peer: NOP, DM, BRK, IP,
	// AO, AYT, EC, EL, GA, EOR, ABORT, SUSP or EOF, in [Event.Command].
	EventCommand EventKind = iota + 1
	// EventNegotiation is a WILL, WONT, DO or DONT received from the peer,
	// reported for logging whatever the engine made of it.
	EventNegotiation
	// EventOption is an option that the peer's messages enabled or
	// disabled, at the side in [Event.Side].
	EventOption
	// EventSubnegotiation is a complete subnegotiation, with its payload in
	// [Event.Data].
	EventSubnegotiation
	// EventError is a protocol violation by the peer, in [Event.Err]. What
	// it describes was dropped; the stream goes on.
	EventError
)

// A Side is one end of the connection, as far as an option is concerned.
type Side uint8

const (
	// Local is our end: we send WILL and WONT for it, the peer DO and DONT.
	Local Side = iota
	// Remote is the peer's end: it sends WILL and WONT, we DO and DONT.
	Remote
)

// String returns "local" or "remote".
func (s Side) String() string {
	if s == Local {
		return "local"
	}
	return "remote"
}

// An Event is something the engine found in the bytes it was fed, other
// than application data.
type Event struct {
	Kind EventKind
	// Offset is the number of data bytes [Engine.Feed] returned before the
	// event: the event happened between buf[Offset-1] and buf[Offset].
	Offset int
	// Command is the command of EventCommand and EventNegotiation, and the
	// byte that followed IAC for ErrUnknownCommand.
	Command Command
	// Option is the option of EventNegotiation, EventOption,
	// EventSubnegotiation, and of errors about a subnegotiation.
	Option Option
	// Side and Enabled are the new state of the option of EventOption.
	Side    Side
	Enabled bool
	// OptionOn says, for EventSubnegotiation, whether the option was
	// enabled at either end when the SB arrived: peers send SBs for
	// options that were refused (busybox sends SB NAWS after DONT NAWS),
	// which a user should ignore.
	OptionOn bool
	// Data is the payload of EventSubnegotiation, with IAC IAC undone. It
	// is only valid until the next call of [Engine.Feed].
	Data []byte
	// Size is the length of the payload of an SB that was too long.
	Size int
	// Err is the error of EventError.
	Err error
}

// String describes the event for a log, such as "WILL NAWS",
// "SB NAWS 00 50 00 18" or "remote NAWS enabled".
func (ev Event) String() string {
	switch ev.Kind {
	case EventCommand:
		return "IAC " + ev.Command.String()
	case EventNegotiation:
		return ev.Command.String() + " " + ev.Option.String()
	case EventOption:
		state := "disabled"
		if ev.Enabled {
			state = "enabled"
		}
		return ev.Side.String() + " " + ev.Option.String() + " " + state
	case EventSubnegotiation:
		var b strings.Builder
		b.WriteString("SB ")
		b.WriteString(ev.Option.String())
		const maxShown = 64
		for i, c := range ev.Data {
			if i == maxShown {
				fmt.Fprintf(&b, " ... (%d bytes)", len(ev.Data))
				break
			}
			fmt.Fprintf(&b, " %02x", c)
		}
		return b.String()
	case EventError:
		switch ev.Err {
		case ErrUnknownCommand:
			return fmt.Sprintf("%v: IAC %d", ev.Err, ev.Command)
		case ErrSubnegotiationTooLong:
			return fmt.Sprintf("%v: SB %v of %d bytes", ev.Err, ev.Option, ev.Size)
		case ErrSubnegotiationInterrupted:
			return fmt.Sprintf("%v: SB %v", ev.Err, ev.Option)
		case ErrRepeatedRequest:
			return fmt.Sprintf("%v: %v", ev.Err, ev.Option)
		}
		return fmt.Sprint(ev.Err)
	}
	return fmt.Sprintf("event(%d)", ev.Kind)
}
