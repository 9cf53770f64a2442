package negotiate

import "strconv"

// A Command is the byte that follows IAC.
type Command byte

// The Telnet commands (RFC 854, RFC 885 for EOR, RFC 1184 for EOF, SUSP
// and ABORT).
const (
	EOF   Command = 236 // end of file
	SUSP  Command = 237 // suspend process
	ABORT Command = 238 // abort process
	EOR   Command = 239 // end of record
	SE    Command = 240 // end of subnegotiation
	NOP   Command = 241 // no operation
	DM    Command = 242 // data mark
	BRK   Command = 243 // break
	IP    Command = 244 // interrupt process
	AO    Command = 245 // abort output
	AYT   Command = 246 // are you there
	EC    Command = 247 // erase character
	EL    Command = 248 // erase line
	GA    Command = 249 // go ahead
	SB    Command = 250 // begin subnegotiation
	WILL  Command = 251
	WONT  Command = 252
	DO    Command = 253
	DONT  Command = 254
	IAC   Command = 255 // interpret as command
)

var commandNames = [...]string{
	"EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DM", "BRK", "IP", "AO",
	"AYT", "EC", "EL", "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
}

// String returns the command's name, such as "AYT", or its decimal code for
// a byte that is not a Telnet command.
func (c Command) String() string {
	if c >= EOF {
		return commandNames[c-EOF]
	}
	return strconv.Itoa(int(c))
}

// Known reports whether c is a Telnet command (236 through 255).
func (c Command) Known() bool { return c >= EOF }
