package negotiate

import "fmt"

// The STATUS sub-commands of RFC 859, the first byte of every STATUS
// payload.
const (
	// StatusIs carries the sender's view of the state of every option.
	StatusIs SubCommand = 0
	// StatusSend asks the receiver for a StatusIs.
	StatusSend SubCommand = 1
)

// A StatusEntry is one item of a STATUS IS list.
//
// Command is WILL (the sender performs Option), DO (the sender asked the
// peer to perform Option) or SB (Params is the subnegotiation payload that
// describes Option's state, such as LFLOW's mode). RFC 859 lists only
// options that are not in their default state, but WONT and DONT entries,
// which telnetlib3 sends for every option it knows, are accepted too.
type StatusEntry struct {
	Command Command
	Option  Option
	// Params is the payload of an SB entry, after the option byte. It is
	// nil for the other commands.
	Params []byte
}

// AppendStatusSend appends a SEND, asking the peer for its STATUS IS.
func AppendStatusSend(dst []byte) []byte {
	return append(dst, byte(StatusSend))
}

// AppendStatusIs appends an IS listing entries, in order.
//
// An SB entry is written SB option params SE. Its option and params are
// written with every SE byte doubled, as RFC 859 requires, so that the
// receiver finds the single SE that ends the entry; IAC bytes are left
// alone, since [AppendSubnegotiation] doubles them for the whole payload.
// The option of a WILL, WONT, DO or DONT entry is doubled the same way when
// it is SE, following the RFC's rule for every data byte (BSD telnetd
// does the same).
//
// It returns dst unchanged and an error when an entry's command is not
// WILL, WONT, DO, DONT or SB.
func AppendStatusIs(dst []byte, entries []StatusEntry) ([]byte, error) {
	for _, e := range entries {
		switch e.Command {
		case WILL, WONT, DO, DONT, SB:
		default:
			return dst, fmt.Errorf("negotiate: STATUS entry command %v is not WILL, WONT, DO, DONT or SB", e.Command)
		}
	}
	dst = append(dst, byte(StatusIs))
	for _, e := range entries {
		dst = append(dst, byte(e.Command))
		dst = appendStatusData(dst, byte(e.Option))
		if e.Command == SB {
			for _, b := range e.Params {
				dst = appendStatusData(dst, b)
			}
			dst = append(dst, byte(SE))
		}
	}
	return dst, nil
}

func appendStatusData(dst []byte, b byte) []byte {
	if b == byte(SE) {
		return append(dst, byte(SE), byte(SE))
	}
	return append(dst, b)
}

// ParseStatus decodes a STATUS payload. It returns [StatusSend] and no
// entries for a SEND, and [StatusIs] and the listed entries for an IS; an
// IS with no entries says every option is in its default state.
//
// In an IS, an SB entry runs to the first SE that is not doubled, and
// doubled SE bytes inside it stand for one. The option of a WILL, WONT, DO
// or DONT entry may be written as SE or SE SE. A SEND followed by anything,
// an entry command other than WILL, WONT, DO, DONT or SB, a missing option
// and an SB entry without its final SE are malformed.
//
// The entries do not share memory with p.
func ParseStatus(p []byte) (cmd SubCommand, entries []StatusEntry, err error) {
	if len(p) == 0 {
		return 0, nil, fmt.Errorf("negotiate: empty STATUS payload: %w", ErrMalformed)
	}
	switch SubCommand(p[0]) {
	case StatusSend:
		if len(p) != 1 {
			return 0, nil, fmt.Errorf("negotiate: STATUS SEND followed by %d bytes, want none: %w", len(p)-1, ErrMalformed)
		}
		return StatusSend, nil, nil
	case StatusIs:
	default:
		return 0, nil, fmt.Errorf("negotiate: unknown STATUS sub-command %d: %w", p[0], ErrMalformed)
	}
	i := 1
	for i < len(p) {
		c := Command(p[i])
		i++
		switch c {
		case WILL, WONT, DO, DONT:
			if i == len(p) {
				return 0, nil, fmt.Errorf("negotiate: STATUS IS entry %v without option: %w", c, ErrMalformed)
			}
			opt := p[i]
			i++
			if opt == byte(SE) && i < len(p) && p[i] == byte(SE) {
				i++
			}
			entries = append(entries, StatusEntry{Command: c, Option: Option(opt)})
		case SB:
			var data []byte
			for {
				if i == len(p) {
					return 0, nil, fmt.Errorf("negotiate: STATUS IS SB entry without SE: %w", ErrMalformed)
				}
				b := p[i]
				i++
				if b == byte(SE) {
					if i == len(p) || p[i] != byte(SE) {
						break
					}
					i++
				}
				data = append(data, b)
			}
			if len(data) == 0 {
				return 0, nil, fmt.Errorf("negotiate: STATUS IS SB entry without option: %w", ErrMalformed)
			}
			e := StatusEntry{Command: SB, Option: Option(data[0]), Params: data[1:]}
			entries = append(entries, e)
		default:
			return 0, nil, fmt.Errorf("negotiate: STATUS IS entry starts with %v, want WILL, WONT, DO, DONT or SB: %w", c, ErrMalformed)
		}
	}
	return StatusIs, entries, nil
}
