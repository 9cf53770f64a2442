package negotiate

// Sub-commands of the XDISPLOC option (RFC 1096).
const (
	// XDISPLOCIs starts an XDISPLOC IS payload: the X display location
	// follows.
	XDISPLOCIs SubCommand = 0
	// XDISPLOCSend is the whole of an XDISPLOC SEND payload: a request for
	// the peer's X display location.
	XDISPLOCSend SubCommand = 1
)

// AppendXDISPLOCSend appends an XDISPLOC SEND payload to dst.
func AppendXDISPLOCSend(dst []byte) []byte {
	return append(dst, byte(XDISPLOCSend))
}

// AppendXDISPLOCIs appends an XDISPLOC IS payload carrying the X display
// location loc, in the "host:display[.screen]" form of the DISPLAY
// environment variable, to dst. The location is written as given.
func AppendXDISPLOCIs(dst []byte, loc string) []byte {
	dst = append(dst, byte(XDISPLOCIs))
	return append(dst, loc...)
}

// ParseXDISPLOC decodes an XDISPLOC payload. It returns the sub-command,
// [XDISPLOCIs] or [XDISPLOCSend], and for IS the display location as sent.
// The location is not split into host and display: the X11 display syntax
// has variants (IPv6 hosts, "unix:0", screen numbers) best left to X
// libraries. A SEND with trailing bytes, an unknown sub-command, or a
// location with a byte outside printable ASCII (RFC 1096 says NVT ASCII)
// is malformed.
func ParseXDISPLOC(p []byte) (cmd SubCommand, loc string, err error) {
	return parseIsSendText(XDISPLOC, p)
}
