package negotiate

import "errors"

// Errors the engine reports in [Event.Err] for protocol violations from the
// peer. They describe what was dropped; the stream goes on.
var (
	// ErrSubnegotiationTooLong reports an SB longer than
	// [Config.MaxSubnegotiation]: its payload was discarded.
	ErrSubnegotiationTooLong = errors.New("negotiate: subnegotiation too long")
	// ErrSubnegotiationInterrupted reports an SB cut short by IAC and a
	// command other than SE: the SB was dropped and the command parsed.
	ErrSubnegotiationInterrupted = errors.New("negotiate: subnegotiation interrupted")
	// ErrEmptySubnegotiation reports IAC SB IAC SE, an SB with no option.
	ErrEmptySubnegotiation = errors.New("negotiate: subnegotiation without option")
	// ErrUnknownCommand reports IAC followed by a byte that is not a
	// command, or an SE outside a subnegotiation. Both bytes were consumed.
	ErrUnknownCommand = errors.New("negotiate: unknown command")
	// ErrRepeatedRequest reports a WILL or DO for an option we refused
	// too many times already: it was left unanswered, which ends the
	// ping-pong a peer that re-asks on every refusal would start.
	ErrRepeatedRequest = errors.New("negotiate: request refused too often")
)

// ErrMalformed is wrapped by every error a subnegotiation decoder returns
// for a payload that does not follow the option's format.
var ErrMalformed = errors.New("negotiate: malformed subnegotiation")
