package negotiate

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// A ComPortCommand is the first byte of a COM-PORT-OPTION payload (RFC
// 2217). The client sends the commands 0 through 12; the access server
// answers each with the same command plus [ComPortServerOffset].
type ComPortCommand byte

// The COM-PORT-OPTION commands a client sends.
const (
	// ComPortSignature carries free text identifying the sender, or asks
	// for the receiver's when the text is empty.
	ComPortSignature ComPortCommand = 0
	// ComPortSetBaudRate carries a 4-byte big-endian baud rate; 0 asks for
	// the current one.
	ComPortSetBaudRate ComPortCommand = 1
	// ComPortSetDataSize carries the number of data bits (5 to 8); 0 asks
	// for the current one.
	ComPortSetDataSize ComPortCommand = 2
	// ComPortSetParity carries one of the ComPortParity* values.
	ComPortSetParity ComPortCommand = 3
	// ComPortSetStopSize carries one of the ComPortStopSize* values.
	ComPortSetStopSize ComPortCommand = 4
	// ComPortSetControl carries one of the ComPortControl* values.
	ComPortSetControl ComPortCommand = 5
	// ComPortNotifyLineState carries ComPortLine* bits.
	ComPortNotifyLineState ComPortCommand = 6
	// ComPortNotifyModemState carries ComPortModem* bits.
	ComPortNotifyModemState ComPortCommand = 7
	// ComPortFlowControlSuspend asks the receiver to stop sending; it has
	// no value.
	ComPortFlowControlSuspend ComPortCommand = 8
	// ComPortFlowControlResume lets the receiver send again; it has no
	// value.
	ComPortFlowControlResume ComPortCommand = 9
	// ComPortSetLineStateMask carries the ComPortLine* bits the server
	// should notify.
	ComPortSetLineStateMask ComPortCommand = 10
	// ComPortSetModemStateMask carries the ComPortModem* bits the server
	// should notify.
	ComPortSetModemStateMask ComPortCommand = 11
	// ComPortPurgeData carries one of the ComPortPurge* values.
	ComPortPurgeData ComPortCommand = 12
)

// ComPortServerOffset is added to a command's code in the access server's
// reply to it.
const ComPortServerOffset = 100

// Reply returns the code the access server uses to answer c.
func (c ComPortCommand) Reply() ComPortCommand {
	if c.IsReply() {
		return c
	}
	return c + ComPortServerOffset
}

// Base returns the client command c answers, or c itself when c is a
// client command.
func (c ComPortCommand) Base() ComPortCommand {
	if c.IsReply() {
		return c - ComPortServerOffset
	}
	return c
}

// IsReply reports whether c is an access server code (100 and above).
func (c ComPortCommand) IsReply() bool { return c >= ComPortServerOffset }

// Known reports whether c is one of the 13 commands of RFC 2217 or an
// access server reply to one of them.
func (c ComPortCommand) Known() bool { return c.Base() <= ComPortPurgeData }

var comPortNames = [...]string{
	"SIGNATURE", "SET-BAUDRATE", "SET-DATASIZE", "SET-PARITY", "SET-STOPSIZE",
	"SET-CONTROL", "NOTIFY-LINESTATE", "NOTIFY-MODEMSTATE",
	"FLOWCONTROL-SUSPEND", "FLOWCONTROL-RESUME", "SET-LINESTATE-MASK",
	"SET-MODEMSTATE-MASK", "PURGE-DATA",
}

// String returns the RFC 2217 name of c, such as "SET-BAUDRATE", prefixed
// with "SERVER-" for a reply, or its decimal code when it is unknown.
func (c ComPortCommand) String() string {
	if !c.Known() {
		return strconv.Itoa(int(c))
	}
	if c.IsReply() {
		return "SERVER-" + comPortNames[c.Base()]
	}
	return comPortNames[c]
}

// The values of SET-PARITY.
const (
	ComPortParityRequest byte = 0 // ask for the current parity
	ComPortParityNone    byte = 1
	ComPortParityOdd     byte = 2
	ComPortParityEven    byte = 3
	ComPortParityMark    byte = 4
	ComPortParitySpace   byte = 5
)

// ComPortDataSizeRequest is the SET-DATASIZE value that asks for the
// current data size; the others are the number of bits, 5 through 8.
const ComPortDataSizeRequest byte = 0

// The values of SET-STOPSIZE.
const (
	ComPortStopSizeRequest byte = 0 // ask for the current stop size
	ComPortStopSize1       byte = 1 // 1 stop bit
	ComPortStopSize2       byte = 2 // 2 stop bits
	ComPortStopSize15      byte = 3 // 1.5 stop bits
)

// The values of SET-CONTROL. Outbound flow control also sets inbound flow
// control unless an inbound value is sent afterwards.
const (
	ComPortControlFlowRequest        byte = 0  // ask for the outbound flow control
	ComPortControlFlowNone           byte = 1  // no outbound flow control
	ComPortControlFlowXonXoff        byte = 2  // XON/XOFF outbound flow control
	ComPortControlFlowHardware       byte = 3  // RTS/CTS outbound flow control
	ComPortControlBreakRequest       byte = 4  // ask for the BREAK state
	ComPortControlBreakOn            byte = 5  // set BREAK
	ComPortControlBreakOff           byte = 6  // clear BREAK
	ComPortControlDTRRequest         byte = 7  // ask for the DTR state
	ComPortControlDTROn              byte = 8  // set DTR
	ComPortControlDTROff             byte = 9  // clear DTR
	ComPortControlRTSRequest         byte = 10 // ask for the RTS state
	ComPortControlRTSOn              byte = 11 // set RTS
	ComPortControlRTSOff             byte = 12 // clear RTS
	ComPortControlInboundFlowRequest byte = 13 // ask for the inbound flow control
	ComPortControlInboundFlowNone    byte = 14 // no inbound flow control
	ComPortControlInboundXonXoff     byte = 15 // XON/XOFF inbound flow control
	ComPortControlInboundHardware    byte = 16 // RTS/CTS inbound flow control
	ComPortControlFlowDCD            byte = 17 // DCD outbound flow control
	ComPortControlInboundDTR         byte = 18 // DTR inbound flow control
	ComPortControlFlowDSR            byte = 19 // DSR outbound flow control
)

// The bits of NOTIFY-LINESTATE and SET-LINESTATE-MASK, from the UART's line
// status register.
const (
	ComPortLineTimeout              byte = 0x80 // time-out error
	ComPortLineShiftRegisterEmpty   byte = 0x40 // transfer shift register empty
	ComPortLineHoldingRegisterEmpty byte = 0x20 // transfer holding register empty
	ComPortLineBreak                byte = 0x10 // break detected
	ComPortLineFramingError         byte = 0x08
	ComPortLineParityError          byte = 0x04
	ComPortLineOverrunError         byte = 0x02
	ComPortLineDataReady            byte = 0x01
)

// The bits of NOTIFY-MODEMSTATE and SET-MODEMSTATE-MASK, from the UART's
// modem status register.
const (
	ComPortModemCD       byte = 0x80 // receive line signal detect (carrier detect)
	ComPortModemRI       byte = 0x40 // ring indicator
	ComPortModemDSR      byte = 0x20 // data set ready
	ComPortModemCTS      byte = 0x10 // clear to send
	ComPortModemDeltaCD  byte = 0x08 // carrier detect changed
	ComPortModemRIEdge   byte = 0x04 // trailing edge of ring indicator
	ComPortModemDeltaDSR byte = 0x02 // data set ready changed
	ComPortModemDeltaCTS byte = 0x01 // clear to send changed
)

// The values of PURGE-DATA.
const (
	ComPortPurgeReceive  byte = 1 // purge the access server's receive buffer
	ComPortPurgeTransmit byte = 2 // purge the access server's transmit buffer
	ComPortPurgeBoth     byte = 3 // purge both buffers
)

// A ComPortMessage is one COM-PORT-OPTION subnegotiation: a command or
// reply code and its value, whose length depends on the command (see
// [ParseComPort]).
type ComPortMessage struct {
	Command ComPortCommand
	Value   []byte
}

// ComPortBaudMessage returns a SET-BAUDRATE message, or its reply when c is
// a reply code, for the given baud rate.
func ComPortBaudMessage(c ComPortCommand, baud uint32) ComPortMessage {
	return ComPortMessage{Command: c, Value: binary.BigEndian.AppendUint32(nil, baud)}
}

// ComPortByteMessage returns a message of command c with the one-byte
// value v.
func ComPortByteMessage(c ComPortCommand, v byte) ComPortMessage {
	return ComPortMessage{Command: c, Value: []byte{v}}
}

// ComPortSignatureMessage returns a SIGNATURE message (c is
// [ComPortSignature] or its reply) carrying text; an empty text asks the
// peer for its signature.
func ComPortSignatureMessage(c ComPortCommand, text string) ComPortMessage {
	m := ComPortMessage{Command: c}
	if text != "" {
		m.Value = []byte(text)
	}
	return m
}

// Baud returns the baud rate of a SET-BAUDRATE message or reply, or 0 when
// m is not one or its value is not 4 bytes. A client's 0 asks for the
// current rate.
func (m ComPortMessage) Baud() uint32 {
	if m.Command.Base() != ComPortSetBaudRate || len(m.Value) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(m.Value)
}

// Byte returns the one-byte value of m, or 0 when m's value is not one
// byte long.
func (m ComPortMessage) Byte() byte {
	if len(m.Value) != 1 {
		return 0
	}
	return m.Value[0]
}

// Signature returns the text of a SIGNATURE message or reply, or "" when m
// is not one.
func (m ComPortMessage) Signature() string {
	if m.Command.Base() != ComPortSignature {
		return ""
	}
	return string(m.Value)
}

// comPortValueLen returns the length of c's value, -1 for any length.
func comPortValueLen(c ComPortCommand) int {
	switch c.Base() {
	case ComPortSignature:
		return -1
	case ComPortSetBaudRate:
		return 4
	case ComPortFlowControlSuspend, ComPortFlowControlResume:
		return 0
	}
	return 1
}

// AppendComPort appends m's command and value. It returns dst unchanged and
// an error when the command is unknown or the value has the wrong length
// for it: any length for SIGNATURE, 4 bytes for SET-BAUDRATE, none for
// FLOWCONTROL-SUSPEND and -RESUME, 1 byte for the others.
func AppendComPort(dst []byte, m ComPortMessage) ([]byte, error) {
	if !m.Command.Known() {
		return dst, fmt.Errorf("negotiate: unknown COM-PORT command %d", m.Command)
	}
	if n := comPortValueLen(m.Command); n >= 0 && len(m.Value) != n {
		return dst, fmt.Errorf("negotiate: COM-PORT %v value is %d bytes, want %d", m.Command, len(m.Value), n)
	}
	dst = append(dst, byte(m.Command))
	return append(dst, m.Value...), nil
}

// ParseComPort decodes a COM-PORT-OPTION payload, checking the length of
// the value as [AppendComPort] does.
//
// A SET-BAUDRATE followed by 8 bytes whose last 4 are NUL is accepted as
// the first 4: pySerial notes that sredird sends its baud rate reply that
// way, and the extra bytes carry nothing.
//
// The result does not share memory with p.
func ParseComPort(p []byte) (ComPortMessage, error) {
	if len(p) == 0 {
		return ComPortMessage{}, fmt.Errorf("negotiate: empty COM-PORT payload: %w", ErrMalformed)
	}
	c := ComPortCommand(p[0])
	if !c.Known() {
		return ComPortMessage{}, fmt.Errorf("negotiate: unknown COM-PORT command %d: %w", p[0], ErrMalformed)
	}
	v := p[1:]
	if c.Base() == ComPortSetBaudRate && len(v) == 8 && binary.BigEndian.Uint32(v[4:]) == 0 {
		v = v[:4]
	}
	if n := comPortValueLen(c); n >= 0 && len(v) != n {
		return ComPortMessage{}, fmt.Errorf("negotiate: COM-PORT %v value is %d bytes, want %d: %w", c, len(v), n, ErrMalformed)
	}
	m := ComPortMessage{Command: c}
	if len(v) > 0 {
		m.Value = append([]byte(nil), v...)
	}
	return m, nil
}
