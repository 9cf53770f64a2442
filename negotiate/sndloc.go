package negotiate

import "fmt"

// AppendSNDLOC appends a SNDLOC payload (RFC 779) to dst: the user's
// location, as text with no sub-command byte. RFC 779 asks for printable
// ASCII; the text is written as given.
func AppendSNDLOC(dst []byte, location string) []byte {
	return append(dst, location...)
}

// ParseSNDLOC decodes a SNDLOC payload into the location text. RFC 779
// asks for printable ASCII; bytes 0x80 and above are let through so that
// a UTF-8 location survives, but a control byte (below 0x20, or 0x7f) is
// malformed, because the location is meant for display (in a list of who
// is logged in) and a control byte there could inject terminal escapes.
func ParseSNDLOC(p []byte) (location string, err error) {
	for i, c := range p {
		if c < 0x20 || c == 0x7f {
			return "", fmt.Errorf("negotiate: SNDLOC location has control byte %#02x at %d: %w", c, i, ErrMalformed)
		}
	}
	return string(p), nil
}
