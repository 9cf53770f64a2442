package negotiate

import "fmt"

// The commands of the LFLOW option (RFC 1372), each the whole payload of a
// subnegotiation sent by the side that said DO LFLOW.
const (
	// LFLOWOff asks the peer to stop doing XON/XOFF flow control locally.
	LFLOWOff LFLOWCommand = 0
	// LFLOWOn asks the peer to do XON/XOFF flow control locally.
	LFLOWOn LFLOWCommand = 1
	// LFLOWRestartAny asks that any character restart output stopped by
	// XOFF.
	LFLOWRestartAny LFLOWCommand = 2
	// LFLOWRestartXON asks that only XON restart output stopped by XOFF.
	LFLOWRestartXON LFLOWCommand = 3
)

// AppendLFLOW appends the one-byte LFLOW payload cmd (LFLOWOff, LFLOWOn,
// LFLOWRestartAny or LFLOWRestartXON) to dst. The byte is written as
// given, so that a caller can send a command defined after RFC 1372.
func AppendLFLOW(dst []byte, cmd LFLOWCommand) []byte {
	return append(dst, byte(cmd))
}

// ParseLFLOW decodes an LFLOW payload into its command, LFLOWOff through
// LFLOWRestartXON. A payload that is not one byte, or whose byte is not one
// of the four commands, is malformed.
func ParseLFLOW(p []byte) (cmd LFLOWCommand, err error) {
	if len(p) != 1 {
		return 0, fmt.Errorf("negotiate: LFLOW payload is %d bytes, want 1: %w", len(p), ErrMalformed)
	}
	if LFLOWCommand(p[0]) > LFLOWRestartXON {
		return 0, fmt.Errorf("negotiate: LFLOW command %d is unknown: %w", p[0], ErrMalformed)
	}
	return LFLOWCommand(p[0]), nil
}
