package negotiate

import (
	"bytes"
	"fmt"
	"strconv"
)

// Sub-commands of the TSPEED option (RFC 1079).
const (
	// TSPEEDIs starts a TSPEED IS payload: "<transmit>,<receive>" in
	// ASCII decimal bits per second follows.
	TSPEEDIs SubCommand = 0
	// TSPEEDSend is the whole of a TSPEED SEND payload: a request for the
	// peer's terminal speeds.
	TSPEEDSend SubCommand = 1
)

// tspeedMax bounds each speed: the largest signed 32-bit number, far above
// any line speed, so the decoded value fits an int on every platform.
const tspeedMax = 1<<31 - 1

// AppendTSPEEDSend appends a TSPEED SEND payload to dst.
func AppendTSPEEDSend(dst []byte) []byte {
	return append(dst, byte(TSPEEDSend))
}

// AppendTSPEEDIs appends a TSPEED IS payload to dst: the transmit speed and
// the receive speed of the sender's terminal, in bits per second, as
// "tx,rx". Speeds are clamped to 0..2147483647, so the payload always
// decodes with [ParseTSPEED].
func AppendTSPEEDIs(dst []byte, tx, rx int) []byte {
	dst = append(dst, byte(TSPEEDIs))
	dst = strconv.AppendUint(dst, clampTSPEED(tx), 10)
	dst = append(dst, ',')
	return strconv.AppendUint(dst, clampTSPEED(rx), 10)
}

func clampTSPEED(v int) uint64 {
	if v < 0 {
		return 0
	}
	return min(uint64(v), tspeedMax)
}

// ParseTSPEED decodes a TSPEED payload. It returns the sub-command,
// [TSPEEDIs] or [TSPEEDSend], and for IS the transmit and receive speeds.
// Each speed must be one or more ASCII digits (no sign, no space) and at
// most 2147483647; anything else, a SEND with trailing bytes, or an
// unknown sub-command is malformed.
func ParseTSPEED(p []byte) (cmd SubCommand, tx, rx int, err error) {
	cmd, s, err := parseIsSend(TSPEED, p)
	if err != nil || cmd == TSPEEDSend {
		return cmd, 0, 0, err
	}
	comma := bytes.IndexByte(s, ',')
	if comma < 0 {
		return 0, 0, 0, fmt.Errorf("negotiate: TSPEED IS %q has no comma: %w", s, ErrMalformed)
	}
	if tx, err = parseSpeed(s[:comma]); err != nil {
		return 0, 0, 0, fmt.Errorf("negotiate: TSPEED IS transmit speed %w", err)
	}
	if rx, err = parseSpeed(s[comma+1:]); err != nil {
		return 0, 0, 0, fmt.Errorf("negotiate: TSPEED IS receive speed %w", err)
	}
	return TSPEEDIs, tx, rx, nil
}

// parseSpeed decodes one speed of a TSPEED IS. Its error completes a
// sentence that starts with the speed's name.
func parseSpeed(s []byte) (int, error) {
	if len(s) == 0 {
		return 0, fmt.Errorf("is empty: %w", ErrMalformed)
	}
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a decimal number: %w", s, ErrMalformed)
		}
		n = n*10 + uint64(c-'0')
		if n > tspeedMax {
			return 0, fmt.Errorf("%q is too large: %w", s, ErrMalformed)
		}
	}
	return int(n), nil
}
