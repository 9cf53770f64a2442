package negotiate

import "strconv"

// A SubCommand is the first byte of the payload of a subnegotiation for
// the options that share the IS/SEND convention of RFC 1091: TTYPE,
// TSPEED, XDISPLOC, NEW-ENVIRON and OLD-ENVIRON (which add INFO) and
// STATUS. Each option names its own, such as [TTYPEIs] and [EnvironSend];
// they are all IS 0, SEND 1 and INFO 2.
type SubCommand byte

// String returns IS, SEND or INFO, or the number.
func (c SubCommand) String() string {
	switch c {
	case 0:
		return "IS"
	case 1:
		return "SEND"
	case 2:
		return "INFO"
	}
	return "SubCommand(" + strconv.Itoa(int(c)) + ")"
}

// An LFLOWCommand is the payload of an LFLOW subnegotiation (RFC 1372).
type LFLOWCommand byte
