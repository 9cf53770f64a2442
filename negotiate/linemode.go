package negotiate

import (
	"fmt"
	"strings"
)

// The sub-commands of the LINEMODE option (RFC 1184 section 2), the first
// byte of a LINEMODE payload, except that FORWARDMASK is never first: it
// follows DO, DONT, WILL or WONT (the [Command] bytes 253, 254, 251, 252).
const (
	// LinemodeCmdMode starts a MODE payload: one [LinemodeMode] byte
	// follows.
	LinemodeCmdMode = 1
	// LinemodeCmdForwardMask is the second byte of a DO, DONT, WILL or
	// WONT FORWARDMASK payload; after DO FORWARDMASK the mask follows.
	LinemodeCmdForwardMask = 2
	// LinemodeCmdSLC starts an SLC payload: [SLCTriplet] values follow.
	LinemodeCmdSLC = 3
)

// A LinemodeMode is the mask of a LINEMODE MODE payload (RFC 1184 section
// 2.2).
type LinemodeMode byte

// The bits of a [LinemodeMode].
const (
	// LinemodeEdit: the client edits lines locally and sends them whole.
	LinemodeEdit LinemodeMode = 1
	// LinemodeTrapSig: the client turns its interrupt, quit, suspend...
	// characters into the Telnet commands IP, ABORT, SUSP...
	LinemodeTrapSig LinemodeMode = 2
	// LinemodeAck (MODE_ACK) marks a MODE that acknowledges one received.
	LinemodeAck LinemodeMode = 4
	// LinemodeSoftTab: the client expands horizontal tabs into spaces.
	LinemodeSoftTab LinemodeMode = 8
	// LinemodeLitEcho: the client echoes non-printable characters as they
	// are rather than as ^X.
	LinemodeLitEcho LinemodeMode = 16
	// LinemodeModeMask is every bit RFC 1184 defines.
	LinemodeModeMask = LinemodeEdit | LinemodeTrapSig | LinemodeAck | LinemodeSoftTab | LinemodeLitEcho
)

// linemodeModeNames is in the order BSD telnet traces the bits, the order
// of the captured "EDIT|TRAPSIG|ACK".
var linemodeModeNames = [...]struct {
	bit  LinemodeMode
	name string
}{
	{LinemodeEdit, "EDIT"},
	{LinemodeTrapSig, "TRAPSIG"},
	{LinemodeSoftTab, "SOFT_TAB"},
	{LinemodeLitEcho, "LIT_ECHO"},
	{LinemodeAck, "ACK"},
}

// String returns the set bits joined by '|', such as "EDIT|TRAPSIG|ACK",
// with bits RFC 1184 does not define as one hex number at the end, or "0"
// for the empty mode.
func (m LinemodeMode) String() string {
	if m == 0 {
		return "0"
	}
	var parts []string
	for _, n := range linemodeModeNames {
		if m&n.bit != 0 {
			parts = append(parts, n.name)
		}
	}
	if rest := m &^ LinemodeModeMask; rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%02x", byte(rest)))
	}
	return strings.Join(parts, "|")
}

// AnswerLinemodeMode applies the MODE rules of RFC 1184 section 2.2 to a MODE mask
// received while this side's mode is current. supported holds the bits
// this side can honour; server is true on the side that sent DO LINEMODE.
// It returns the mode to use from now on, which never has [LinemodeAck]
// set, and, when send is true, the mask to send back in a MODE.
//
// The rules, each from RFC 1184 section 2.2:
//   - A mode equal to the current one, with or without MODE_ACK, changes
//     nothing and is not answered: the sender already has what it asks for.
//   - A response is never generated to a MODE that has MODE_ACK set. If its
//     mode differs from the current one, the client ignores it and the
//     server switches to it: the client's acknowledgement says which mode
//     the client actually uses, and the server follows the client.
//   - A MODE without MODE_ACK that differs from the current mode is
//     accepted, keeping only the supported bits, and answered with the
//     mode now in use and MODE_ACK set, so that the sender learns which of
//     its bits were taken.
//
// Every answer carries MODE_ACK and no MODE_ACK is answered, so two sides
// following these rules exchange at most two MODE messages per change.
func AnswerLinemodeMode(current, received, supported LinemodeMode, server bool) (next, reply LinemodeMode, send bool) {
	current &^= LinemodeAck
	want := received &^ LinemodeAck
	if want == current {
		return current, 0, false
	}
	if received&LinemodeAck != 0 {
		if server {
			return want & supported, 0, false
		}
		return current, 0, false
	}
	next = want & supported
	return next, next | LinemodeAck, true
}

// A ForwardMask is the character set of a LINEMODE DO FORWARDMASK (RFC 1184
// section 2.3): while editing, the client sends its buffer as soon as one
// of these characters is typed. Character c is the bit 0x80>>(c%8) of byte
// c/8, so the high-order bit of the first byte is NUL. The zero value is
// the empty set.
type ForwardMask [32]byte

// NewForwardMask returns the mask holding the given characters.
func NewForwardMask(chars ...byte) ForwardMask {
	var m ForwardMask
	for _, c := range chars {
		m.Add(c)
	}
	return m
}

// Add puts the character c in the mask.
func (m *ForwardMask) Add(c byte) { m[c>>3] |= 0x80 >> (c & 7) }

// Has reports whether the character c is in the mask.
func (m ForwardMask) Has(c byte) bool { return m[c>>3]&(0x80>>(c&7)) != 0 }

// wireLen is the number of mask bytes to send: 16 when every character is
// below 128, else 32. Peers such as telnetlib3 accept only these two
// lengths, and RFC 1184 asks for no more than 16 unless the data path is
// BINARY, when characters above 127 can occur at all.
func (m ForwardMask) wireLen() int {
	for _, b := range m[16:] {
		if b != 0 {
			return 32
		}
	}
	return 16
}

// forwardMaskMax is the longest mask RFC 1184 allows: one bit for each of
// the 256 byte values.
const forwardMaskMax = 32

// A LinemodeMessage is one decoded LINEMODE payload.
type LinemodeMessage struct {
	// Cmd is LinemodeCmdMode, LinemodeCmdForwardMask or LinemodeCmdSLC.
	Cmd byte
	// Mode is the mask of a MODE message.
	Mode LinemodeMode
	// Verb is DO, DONT, WILL or WONT in a FORWARDMASK message.
	Verb Command
	// Mask is the character set of DO FORWARDMASK; the bytes the peer
	// did not send are zero.
	Mask ForwardMask
	// SLC holds the triplets of an SLC message, in the order received.
	SLC []SLCTriplet
}

// String returns the message as traces show it, such as
// "MODE EDIT|TRAPSIG|ACK", "SLC [EOF VALUE 0x04, EC VALUE 0x7f]",
// "WONT FORWARDMASK" or "DO FORWARDMASK" and the mask bytes in hex.
func (m LinemodeMessage) String() string {
	switch m.Cmd {
	case LinemodeCmdMode:
		return "MODE " + m.Mode.String()
	case LinemodeCmdForwardMask:
		if m.Verb == DO {
			return fmt.Sprintf("DO FORWARDMASK % x", m.Mask[:m.Mask.wireLen()])
		}
		return m.Verb.String() + " FORWARDMASK"
	case LinemodeCmdSLC:
		var b strings.Builder
		b.WriteString("SLC [")
		for i, t := range m.SLC {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.String())
		}
		b.WriteString("]")
		return b.String()
	}
	return fmt.Sprintf("LINEMODE %d", m.Cmd)
}

// ParseLinemode decodes a LINEMODE payload: MODE with its mask, DO
// FORWARDMASK with 1 to 32 mask bytes, DONT, WILL or WONT FORWARDMASK
// alone, or SLC with zero or more whole triplets. Every byte value,
// 255 included, is valid in a mask, a mode or a triplet. A payload that is
// empty, starts with an unknown sub-command, has a FORWARDMASK that does
// not follow DO, DONT, WILL or WONT, has bytes after a MODE mask or a DONT,
// WILL or WONT FORWARDMASK, has more than 32 mask bytes, or ends inside a
// triplet is malformed.
func ParseLinemode(p []byte) (LinemodeMessage, error) {
	if len(p) == 0 {
		return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE payload is empty: %w", ErrMalformed)
	}
	switch p[0] {
	case LinemodeCmdMode:
		if len(p) != 2 {
			return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE MODE payload is %d bytes, want 2: %w", len(p), ErrMalformed)
		}
		return LinemodeMessage{Cmd: LinemodeCmdMode, Mode: LinemodeMode(p[1])}, nil
	case LinemodeCmdSLC:
		ts, err := parseSLCTriplets(p[1:])
		if err != nil {
			return LinemodeMessage{}, err
		}
		return LinemodeMessage{Cmd: LinemodeCmdSLC, SLC: ts}, nil
	case LinemodeCmdForwardMask:
		return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE FORWARDMASK without DO, DONT, WILL or WONT: %w", ErrMalformed)
	case byte(DO), byte(DONT), byte(WILL), byte(WONT):
		verb := Command(p[0])
		if len(p) < 2 || p[1] != LinemodeCmdForwardMask {
			return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE %s is not followed by FORWARDMASK: %w", verb, ErrMalformed)
		}
		msg := LinemodeMessage{Cmd: LinemodeCmdForwardMask, Verb: verb}
		mask := p[2:]
		if verb != DO {
			if len(mask) != 0 {
				return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE %s FORWARDMASK has %d trailing bytes: %w", verb, len(mask), ErrMalformed)
			}
			return msg, nil
		}
		if len(mask) == 0 || len(mask) > forwardMaskMax {
			return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE DO FORWARDMASK mask is %d bytes, want 1 to %d: %w", len(mask), forwardMaskMax, ErrMalformed)
		}
		copy(msg.Mask[:], mask)
		return msg, nil
	}
	return LinemodeMessage{}, fmt.Errorf("negotiate: LINEMODE sub-command %d is unknown: %w", p[0], ErrMalformed)
}

// AppendLinemodeMode appends a LINEMODE MODE payload with the mask m to dst.
func AppendLinemodeMode(dst []byte, m LinemodeMode) []byte {
	return append(dst, LinemodeCmdMode, byte(m))
}

// AppendLinemodeForwardMask appends a LINEMODE verb FORWARDMASK payload to
// dst, where verb is DO, DONT, WILL or WONT; only DO carries the mask,
// written as 16 bytes, or 32 when it holds a character above 127. Mask
// bytes are written raw: a byte 255 is escaped by [AppendSubnegotiation],
// which is what makes the full mask safe on the wire.
func AppendLinemodeForwardMask(dst []byte, verb Command, mask ForwardMask) []byte {
	dst = append(dst, byte(verb), LinemodeCmdForwardMask)
	if verb == DO {
		dst = append(dst, mask[:mask.wireLen()]...)
	}
	return dst
}

// AppendLinemode appends the payload of the message m to dst, as
// [AppendLinemodeMode], [AppendLinemodeForwardMask] or [AppendLinemodeSLC]
// do for its Cmd. A message with another Cmd appends only that byte.
func AppendLinemode(dst []byte, m LinemodeMessage) []byte {
	switch m.Cmd {
	case LinemodeCmdMode:
		return AppendLinemodeMode(dst, m.Mode)
	case LinemodeCmdForwardMask:
		return AppendLinemodeForwardMask(dst, m.Verb, m.Mask)
	case LinemodeCmdSLC:
		return AppendLinemodeSLC(dst, m.SLC...)
	}
	return append(dst, m.Cmd)
}
