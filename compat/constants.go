package compat

import "github.com/telnetkit/telnet/negotiate"

// TELNET_PORT is the port Open connects to when it is given port 0.
const TELNET_PORT = 23

// The Telnet commands, the byte after IAC, under the names of Python's
// telnetlib. They are bytes, so that an option negotiation callback can
// write a reply as []byte{IAC, WONT, opt}; [negotiate.Command] gives their
// names.
const (
	IAC  = byte(negotiate.IAC)  // interpret as command
	DONT = byte(negotiate.DONT) // you are not to use option
	DO   = byte(negotiate.DO)   // please, you use option
	WONT = byte(negotiate.WONT) // I won't use option
	WILL = byte(negotiate.WILL) // I will use option
	SE   = byte(negotiate.SE)   // subnegotiation end
	NOP  = byte(negotiate.NOP)  // no operation
	DM   = byte(negotiate.DM)   // data mark
	BRK  = byte(negotiate.BRK)  // break
	IP   = byte(negotiate.IP)   // interrupt process
	AO   = byte(negotiate.AO)   // abort output
	AYT  = byte(negotiate.AYT)  // are you there
	EC   = byte(negotiate.EC)   // erase character
	EL   = byte(negotiate.EL)   // erase line
	GA   = byte(negotiate.GA)   // go ahead
	SB   = byte(negotiate.SB)   // subnegotiation begin
)

// The Telnet option codes under the names of Python's telnetlib, which come
// from arpa/telnet.h and the IANA registry; [negotiate.Option] gives their
// conventional names and RFCs. NOOPT is the option passed to the option
// negotiation callback for a command that has none.
const (
	BINARY              = byte(negotiate.Binary)            // 8-bit data path
	ECHO                = byte(negotiate.Echo)              // echo
	RCP                 = byte(negotiate.Reconnection)      // prepare to reconnect
	SGA                 = byte(negotiate.SGA)               // suppress go ahead
	NAMS                = byte(negotiate.NAMS)              // approximate message size
	STATUS              = byte(negotiate.Status)            // give status
	TM                  = byte(negotiate.TimingMark)        // timing mark
	RCTE                = byte(negotiate.RCTE)              // remote controlled transmission and echo
	NAOL                = byte(negotiate.NAOL)              // negotiate about output line width
	NAOP                = byte(negotiate.NAOP)              // negotiate about output page size
	NAOCRD              = byte(negotiate.NAOCRD)            // negotiate about CR disposition
	NAOHTS              = byte(negotiate.NAOHTS)            // negotiate about horizontal tabstops
	NAOHTD              = byte(negotiate.NAOHTD)            // negotiate about horizontal tab disposition
	NAOFFD              = byte(negotiate.NAOFFD)            // negotiate about formfeed disposition
	NAOVTS              = byte(negotiate.NAOVTS)            // negotiate about vertical tab stops
	NAOVTD              = byte(negotiate.NAOVTD)            // negotiate about vertical tab disposition
	NAOLFD              = byte(negotiate.NAOLFD)            // negotiate about output LF disposition
	XASCII              = byte(negotiate.XASCII)            // extended ascii character set
	LOGOUT              = byte(negotiate.Logout)            // force logout
	BM                  = byte(negotiate.ByteMacro)         // byte macro
	DET                 = byte(negotiate.DET)               // data entry terminal
	SUPDUP              = byte(negotiate.SUPDUP)            // supdup protocol
	SUPDUPOUTPUT        = byte(negotiate.SUPDUPOutput)      // supdup output
	SNDLOC              = byte(negotiate.SNDLOC)            // send location
	TTYPE               = byte(negotiate.TTYPE)             // terminal type
	EOR                 = byte(negotiate.EndOfRecord)       // end or record
	TUID                = byte(negotiate.TUID)              // TACACS user identification
	OUTMRK              = byte(negotiate.OUTMRK)            // output marking
	TTYLOC              = byte(negotiate.TTYLOC)            // terminal location number
	VT3270REGIME        = byte(negotiate.Regime3270)        // 3270 regime
	X3PAD               = byte(negotiate.X3PAD)             // X.3 PAD
	NAWS                = byte(negotiate.NAWS)              // window size
	TSPEED              = byte(negotiate.TSPEED)            // terminal speed
	LFLOW               = byte(negotiate.LFLOW)             // remote flow control
	LINEMODE            = byte(negotiate.Linemode)          // Linemode option
	XDISPLOC            = byte(negotiate.XDISPLOC)          // X Display Location
	OLD_ENVIRON         = byte(negotiate.OldEnviron)        // Old - Environment variables
	AUTHENTICATION      = byte(negotiate.Authentication)    // Authenticate
	ENCRYPT             = byte(negotiate.Encrypt)           // Encryption option
	NEW_ENVIRON         = byte(negotiate.NewEnviron)        // New - Environment variables
	TN3270E             = byte(negotiate.TN3270E)           // TN3270E
	XAUTH               = byte(negotiate.XAUTH)             // XAUTH
	CHARSET             = byte(negotiate.Charset)           // CHARSET
	RSP                 = byte(negotiate.RSP)               // Telnet Remote Serial Port
	COM_PORT_OPTION     = byte(negotiate.ComPort)           // Com Port Control Option
	SUPPRESS_LOCAL_ECHO = byte(negotiate.SuppressLocalEcho) // Telnet Suppress Local Echo
	TLS                 = byte(negotiate.StartTLS)          // Telnet Start TLS
	KERMIT              = byte(negotiate.Kermit)            // KERMIT
	SEND_URL            = byte(negotiate.SendURL)           // SEND-URL
	FORWARD_X           = byte(negotiate.ForwardX)          // FORWARD_X
	PRAGMA_LOGON        = byte(negotiate.PragmaLogon)       // TELOPT PRAGMA LOGON
	SSPI_LOGON          = byte(negotiate.SSPILogon)         // TELOPT SSPI LOGON
	PRAGMA_HEARTBEAT    = byte(negotiate.PragmaHeartbeat)   // TELOPT PRAGMA HEARTBEAT
	EXOPL               = byte(negotiate.EXOPL)             // Extended-Options-List
	NOOPT               = byte(0)                           // no option
)
