package negotiate

import "fmt"

// nawsMax is the largest width or height NAWS can carry: each is an
// unsigned 16-bit number.
const nawsMax = 1<<16 - 1

// AppendNAWS appends a NAWS payload (RFC 1073) to dst: the width in columns
// then the height in rows, each 16-bit big-endian. Values are clamped to
// 0..65535 so that any int gives a valid payload; 0 means "unknown" to the
// receiver. A byte 255 in the result is escaped by [AppendSubnegotiation],
// never here.
func AppendNAWS(dst []byte, cols, rows int) []byte {
	c, r := clampNAWS(cols), clampNAWS(rows)
	return append(dst, byte(c>>8), byte(c), byte(r>>8), byte(r))
}

func clampNAWS(v int) int {
	return min(max(v, 0), nawsMax)
}

// ParseNAWS decodes a NAWS payload into the width in columns and the height
// in rows, each 0 through 65535. A payload that is not exactly 4 bytes is
// malformed.
func ParseNAWS(p []byte) (cols, rows int, err error) {
	if len(p) != 4 {
		return 0, 0, fmt.Errorf("negotiate: NAWS payload is %d bytes, want 4: %w", len(p), ErrMalformed)
	}
	return int(p[0])<<8 | int(p[1]), int(p[2])<<8 | int(p[3]), nil
}
