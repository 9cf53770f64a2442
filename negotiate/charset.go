package negotiate

import (
	"bytes"
	"fmt"
	"strings"
)

// The CHARSET sub-commands of RFC 2066, the first byte of every CHARSET
// payload.
const (
	// CharsetRequest offers a list of character sets; the receiver answers
	// with CharsetAccepted or CharsetRejected.
	CharsetRequest byte = 1
	// CharsetAccepted names the one offered character set the sender chose.
	CharsetAccepted byte = 2
	// CharsetRejected declines every character set of a request.
	CharsetRejected byte = 3
	// CharsetTTableIs carries a translation table.
	CharsetTTableIs byte = 4
	// CharsetTTableRejected declines a translation table.
	CharsetTTableRejected byte = 5
	// CharsetTTableAck acknowledges a translation table.
	CharsetTTableAck byte = 6
	// CharsetTTableNak reports a translation table that did not arrive
	// intact and asks for it again.
	CharsetTTableNak byte = 7
)

// charsetTTableMarker is the literal that opens a REQUEST willing to
// receive a translation table (RFC 2066, section 2).
const charsetTTableMarker = "[TTABLE]"

// A CharsetMessage is one decoded CHARSET subnegotiation. Which fields are
// set depends on Command.
type CharsetMessage struct {
	// Command is one of the Charset* sub-command constants.
	Command byte
	// Separator is the byte that separated the names of a REQUEST.
	Separator byte
	// TTable reports that a REQUEST started with "[TTABLE]", offering to
	// accept a translation table; TTableVersion is the version byte that
	// followed it.
	TTable        bool
	TTableVersion byte
	// Names are the character sets a REQUEST offered, in the order of
	// preference of the sender; never empty, and no name is empty.
	Names []string
	// Name is the character set an ACCEPTED chose; never empty.
	Name string
	// Table is the uninterpreted rest of a TTABLE-IS (version, separator,
	// names, sizes and maps). This package never accepts translation
	// tables, so it does not decode them.
	Table []byte
}

// ParseCharset decodes a CHARSET payload.
//
// A REQUEST may start with "[TTABLE]" and a version byte. The byte after
// that, or after the REQUEST code when there is no "[TTABLE]", is the
// separator, whatever its value; the rest is split on it and empty names,
// which a doubled or trailing separator would make, are dropped. A REQUEST
// that names no character set is malformed, and so is an ACCEPTED without
// a name: telnetlib3 sends one when it means to decline, and the caller
// should treat that error as a rejection. REJECTED and the TTABLE-REJECTED,
// -ACK and -NAK replies carry nothing after their code. A TTABLE-IS is
// accepted with any content, so that it can always be refused cleanly.
//
// The result does not share memory with p.
func ParseCharset(p []byte) (CharsetMessage, error) {
	if len(p) == 0 {
		return CharsetMessage{}, fmt.Errorf("negotiate: empty CHARSET payload: %w", ErrMalformed)
	}
	m := CharsetMessage{Command: p[0]}
	rest := p[1:]
	switch m.Command {
	case CharsetRequest:
		if bytes.HasPrefix(rest, []byte(charsetTTableMarker)) {
			rest = rest[len(charsetTTableMarker):]
			if len(rest) == 0 {
				return CharsetMessage{}, fmt.Errorf("negotiate: CHARSET REQUEST [TTABLE] without version: %w", ErrMalformed)
			}
			m.TTable = true
			m.TTableVersion = rest[0]
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return CharsetMessage{}, fmt.Errorf("negotiate: CHARSET REQUEST without separator: %w", ErrMalformed)
		}
		m.Separator = rest[0]
		for _, name := range bytes.Split(rest[1:], rest[:1]) {
			if len(name) > 0 {
				m.Names = append(m.Names, string(name))
			}
		}
		if len(m.Names) == 0 {
			return CharsetMessage{}, fmt.Errorf("negotiate: CHARSET REQUEST offers no character set: %w", ErrMalformed)
		}
	case CharsetAccepted:
		if len(rest) == 0 {
			return CharsetMessage{}, fmt.Errorf("negotiate: CHARSET ACCEPTED without a character set: %w", ErrMalformed)
		}
		m.Name = string(rest)
	case CharsetTTableIs:
		m.Table = bytes.Clone(rest)
	case CharsetRejected, CharsetTTableRejected, CharsetTTableAck, CharsetTTableNak:
		if len(rest) != 0 {
			return CharsetMessage{}, fmt.Errorf("negotiate: CHARSET sub-command %d followed by %d bytes, want none: %w", m.Command, len(rest), ErrMalformed)
		}
	default:
		return CharsetMessage{}, fmt.Errorf("negotiate: unknown CHARSET sub-command %d: %w", m.Command, ErrMalformed)
	}
	return m, nil
}

// AppendCharsetRequest appends a REQUEST offering names, in order of
// preference, separated by sep. It never offers a translation table.
//
// It returns dst unchanged and an error when names is empty, a name is
// empty or contains sep, or sep is IAC, which RFC 2066 forbids as a
// separator. A space or ';' are the usual separators. A request that would
// start with "[TTABLE]" (separator '[', first name "TTABLE]...") gets its
// separator twice at the start, so that it is not read as a translation
// table offer.
func AppendCharsetRequest(dst []byte, sep byte, names []string) ([]byte, error) {
	if sep == iac {
		return dst, fmt.Errorf("negotiate: IAC cannot separate CHARSET names")
	}
	if len(names) == 0 {
		return dst, fmt.Errorf("negotiate: CHARSET REQUEST needs at least one character set")
	}
	for _, name := range names {
		if name == "" {
			return dst, fmt.Errorf("negotiate: empty CHARSET name")
		}
		if strings.IndexByte(name, sep) >= 0 {
			return dst, fmt.Errorf("negotiate: CHARSET name %q contains the separator %q", name, sep)
		}
	}
	dst = append(dst, CharsetRequest)
	if sep == charsetTTableMarker[0] && strings.HasPrefix(names[0], charsetTTableMarker[1:]) {
		// The request would start with "[TTABLE]" and be read as a
		// translation table offer; an extra separator, which gives no
		// empty name, keeps it a plain list.
		dst = append(dst, sep)
	}
	for _, name := range names {
		dst = append(dst, sep)
		dst = append(dst, name...)
	}
	return dst, nil
}

// AppendCharsetAccepted appends an ACCEPTED naming the chosen character
// set. It returns dst unchanged and an error when name is empty: an
// ACCEPTED without a name tells the peer nothing (telnetlib3 sends one to
// decline; [AppendCharsetRejected] is the way to do that).
func AppendCharsetAccepted(dst []byte, name string) ([]byte, error) {
	if name == "" {
		return dst, fmt.Errorf("negotiate: CHARSET ACCEPTED needs a character set name")
	}
	dst = append(dst, CharsetAccepted)
	return append(dst, name...), nil
}

// AppendCharsetRejected appends a REJECTED, declining every character set
// of a REQUEST.
func AppendCharsetRejected(dst []byte) []byte {
	return append(dst, CharsetRejected)
}

// AppendCharsetTTableRejected appends a TTABLE-REJECTED, declining a
// translation table.
func AppendCharsetTTableRejected(dst []byte) []byte {
	return append(dst, CharsetTTableRejected)
}

// AppendCharsetReply appends the payload that answers the received message
// m and reports whether there is one.
//
// A REQUEST, with or without "[TTABLE]" (translation tables are never
// used), is answered ACCEPTED with the name choose returns, or REJECTED
// when choose is nil, declines, or returns a name that was not offered.
// The comparison ignores case, as RFC 2066 does, and the ACCEPTED carries
// the name as the peer spelled it. A TTABLE-IS is answered TTABLE-REJECTED.
// ACCEPTED, REJECTED, TTABLE-REJECTED, TTABLE-ACK and TTABLE-NAK need no
// answer: dst is returned unchanged with false.
func AppendCharsetReply(dst []byte, m CharsetMessage, choose func(offered []string) (name string, ok bool)) ([]byte, bool) {
	switch m.Command {
	case CharsetRequest:
		if choose != nil {
			if name, ok := choose(m.Names); ok {
				for _, offered := range m.Names {
					if offered != "" && strings.EqualFold(offered, name) {
						dst = append(dst, CharsetAccepted)
						return append(dst, offered...), true
					}
				}
			}
		}
		return AppendCharsetRejected(dst), true
	case CharsetTTableIs:
		return AppendCharsetTTableRejected(dst), true
	}
	return dst, false
}
