package negotiate

import "bytes"

const iac = byte(IAC)

// AppendEscaped appends p to dst with every IAC byte doubled, as data and
// subnegotiation payloads must be on the wire, and returns the extended
// buffer.
func AppendEscaped(dst, p []byte) []byte {
	for {
		i := bytes.IndexByte(p, iac)
		if i < 0 {
			return append(dst, p...)
		}
		dst = append(dst, p[:i+1]...)
		dst = append(dst, iac)
		p = p[i+1:]
	}
}

// AppendSubnegotiation appends IAC SB opt payload IAC SE to dst, with the
// IAC bytes of the option and the payload escaped, and returns the extended
// buffer.
func AppendSubnegotiation(dst []byte, opt Option, payload []byte) []byte {
	dst = append(dst, iac, byte(SB), byte(opt))
	if opt == EXOPL {
		dst = append(dst, iac)
	}
	dst = AppendEscaped(dst, payload)
	return append(dst, iac, byte(SE))
}

// AppendCommand appends the two-byte command IAC cmd to dst.
func AppendCommand(dst []byte, cmd Command) []byte {
	return append(dst, iac, byte(cmd))
}

// AppendNegotiation appends IAC cmd opt to dst, where cmd is WILL, WONT, DO
// or DONT.
func AppendNegotiation(dst []byte, cmd Command, opt Option) []byte {
	return append(dst, iac, byte(cmd), byte(opt))
}
