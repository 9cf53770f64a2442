package negotiate

import "fmt"

// parseIsSend decodes the payload of an option whose messages are IS
// followed by a value, or SEND alone (TTYPE, TSPEED and XDISPLOC, which
// all use IS 0 and SEND 1). It returns the sub-command and, for IS, the
// value, still to be validated by the caller.
func parseIsSend(opt Option, p []byte) (cmd SubCommand, value []byte, err error) {
	if len(p) == 0 {
		return 0, nil, fmt.Errorf("negotiate: %v payload is empty: %w", opt, ErrMalformed)
	}
	switch p[0] {
	case 1: // SEND
		if len(p) != 1 {
			return 0, nil, fmt.Errorf("negotiate: %v SEND has %d trailing bytes: %w", opt, len(p)-1, ErrMalformed)
		}
		return 1, nil, nil
	case 0: // IS
		return 0, p[1:], nil
	}
	return 0, nil, fmt.Errorf("negotiate: %v sub-command %d is neither IS nor SEND: %w", opt, p[0], ErrMalformed)
}

// parseIsSendText is parseIsSend for options whose value is NVT ASCII
// text: a byte outside printable ASCII is malformed, since a control byte
// could inject escapes wherever the value is shown.
func parseIsSendText(opt Option, p []byte) (cmd SubCommand, text string, err error) {
	cmd, v, err := parseIsSend(opt, p)
	if err != nil {
		return 0, "", err
	}
	for i, c := range v {
		if c < 0x20 || c > 0x7e {
			return 0, "", fmt.Errorf("negotiate: %v IS value has byte %#02x at %d: %w", opt, c, i, ErrMalformed)
		}
	}
	return cmd, string(v), nil
}
