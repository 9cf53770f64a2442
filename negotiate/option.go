package negotiate

import (
	"strconv"
	"strings"
)

// An Option is a Telnet option code, the byte after WILL, WONT, DO, DONT
// and SB.
type Option byte

// The options of the Telnet RFCs and of the MUD community, by code.
const (
	Binary            Option = 0   // RFC 856, transmit binary
	Echo              Option = 1   // RFC 857
	Reconnection      Option = 2   // NIC 15391 (RCP)
	SGA               Option = 3   // RFC 858, suppress go ahead
	NAMS              Option = 4   // NIC 15393, approximate message size
	Status            Option = 5   // RFC 859
	TimingMark        Option = 6   // RFC 860
	RCTE              Option = 7   // RFC 726, remote controlled transmission and echo
	NAOL              Option = 8   // NIC 20196, output line width
	NAOP              Option = 9   // NIC 20197, output page size
	NAOCRD            Option = 10  // RFC 652
	NAOHTS            Option = 11  // RFC 653
	NAOHTD            Option = 12  // RFC 654
	NAOFFD            Option = 13  // RFC 655
	NAOVTS            Option = 14  // RFC 656
	NAOVTD            Option = 15  // RFC 657
	NAOLFD            Option = 16  // RFC 658
	XASCII            Option = 17  // RFC 698, extended ASCII
	Logout            Option = 18  // RFC 727
	ByteMacro         Option = 19  // RFC 735
	DET               Option = 20  // RFC 1043, data entry terminal
	SUPDUP            Option = 21  // RFC 736
	SUPDUPOutput      Option = 22  // RFC 749
	SNDLOC            Option = 23  // RFC 779, send location
	TTYPE             Option = 24  // RFC 1091, terminal type
	EndOfRecord       Option = 25  // RFC 885
	TUID              Option = 26  // RFC 927
	OUTMRK            Option = 27  // RFC 933, output marking
	TTYLOC            Option = 28  // RFC 946
	Regime3270        Option = 29  // RFC 1041
	X3PAD             Option = 30  // RFC 1053
	NAWS              Option = 31  // RFC 1073, negotiate about window size
	TSPEED            Option = 32  // RFC 1079, terminal speed
	LFLOW             Option = 33  // RFC 1372, remote flow control
	Linemode          Option = 34  // RFC 1184
	XDISPLOC          Option = 35  // RFC 1096, X display location
	OldEnviron        Option = 36  // RFC 1408
	Authentication    Option = 37  // RFC 2941
	Encrypt           Option = 38  // RFC 2946
	NewEnviron        Option = 39  // RFC 1572
	TN3270E           Option = 40  // RFC 2355
	XAUTH             Option = 41  // no RFC
	Charset           Option = 42  // RFC 2066
	RSP               Option = 43  // remote serial port, no RFC
	ComPort           Option = 44  // RFC 2217
	SuppressLocalEcho Option = 45  // no RFC
	StartTLS          Option = 46  // draft-altman-telnet-starttls
	Kermit            Option = 47  // RFC 2840
	SendURL           Option = 48  // no RFC
	ForwardX          Option = 49  // no RFC
	MSDP              Option = 69  // MUD Server Data Protocol
	MSSP              Option = 70  // MUD Server Status Protocol
	MCCP1             Option = 85  // MUD Client Compression Protocol v1
	MCCP2             Option = 86  // MUD Client Compression Protocol v2
	MCCP3             Option = 87  // MUD Client Compression Protocol v3
	MSP               Option = 90  // MUD Sound Protocol
	MXP               Option = 91  // MUD eXtension Protocol
	ZMP               Option = 93  // Zenith MUD Protocol
	Aardwolf          Option = 102 // Aardwolf channel protocol
	PragmaLogon       Option = 138
	SSPILogon         Option = 139
	PragmaHeartbeat   Option = 140
	ATCP              Option = 200 // Achaea Telnet Client Protocol
	GMCP              Option = 201 // Generic MUD Communication Protocol
	EXOPL             Option = 255 // RFC 861, extended options list
)

type optionInfo struct {
	name string
	rfc  int
}

// optionTable is read-only: the name and defining RFC of every known option.
var optionTable = [256]optionInfo{
	Binary:            {"BINARY", 856},
	Echo:              {"ECHO", 857},
	Reconnection:      {"RCP", 0},
	SGA:               {"SGA", 858},
	NAMS:              {"NAMS", 0},
	Status:            {"STATUS", 859},
	TimingMark:        {"TIMING-MARK", 860},
	RCTE:              {"RCTE", 726},
	NAOL:              {"NAOL", 0},
	NAOP:              {"NAOP", 0},
	NAOCRD:            {"NAOCRD", 652},
	NAOHTS:            {"NAOHTS", 653},
	NAOHTD:            {"NAOHTD", 654},
	NAOFFD:            {"NAOFFD", 655},
	NAOVTS:            {"NAOVTS", 656},
	NAOVTD:            {"NAOVTD", 657},
	NAOLFD:            {"NAOLFD", 658},
	XASCII:            {"XASCII", 698},
	Logout:            {"LOGOUT", 727},
	ByteMacro:         {"BM", 735},
	DET:               {"DET", 1043},
	SUPDUP:            {"SUPDUP", 736},
	SUPDUPOutput:      {"SUPDUP-OUTPUT", 749},
	SNDLOC:            {"SNDLOC", 779},
	TTYPE:             {"TTYPE", 1091},
	EndOfRecord:       {"EOR", 885},
	TUID:              {"TUID", 927},
	OUTMRK:            {"OUTMRK", 933},
	TTYLOC:            {"TTYLOC", 946},
	Regime3270:        {"3270-REGIME", 1041},
	X3PAD:             {"X.3-PAD", 1053},
	NAWS:              {"NAWS", 1073},
	TSPEED:            {"TSPEED", 1079},
	LFLOW:             {"LFLOW", 1372},
	Linemode:          {"LINEMODE", 1184},
	XDISPLOC:          {"XDISPLOC", 1096},
	OldEnviron:        {"OLD-ENVIRON", 1408},
	Authentication:    {"AUTHENTICATION", 2941},
	Encrypt:           {"ENCRYPT", 2946},
	NewEnviron:        {"NEW-ENVIRON", 1572},
	TN3270E:           {"TN3270E", 2355},
	XAUTH:             {"XAUTH", 0},
	Charset:           {"CHARSET", 2066},
	RSP:               {"RSP", 0},
	ComPort:           {"COM-PORT", 2217},
	SuppressLocalEcho: {"SLE", 0},
	StartTLS:          {"START-TLS", 0},
	Kermit:            {"KERMIT", 2840},
	SendURL:           {"SEND-URL", 0},
	ForwardX:          {"FORWARD-X", 0},
	MSDP:              {"MSDP", 0},
	MSSP:              {"MSSP", 0},
	MCCP1:             {"MCCP1", 0},
	MCCP2:             {"MCCP2", 0},
	MCCP3:             {"MCCP3", 0},
	MSP:               {"MSP", 0},
	MXP:               {"MXP", 0},
	ZMP:               {"ZMP", 0},
	Aardwolf:          {"AARDWOLF", 0},
	PragmaLogon:       {"PRAGMA-LOGON", 0},
	SSPILogon:         {"SSPI-LOGON", 0},
	PragmaHeartbeat:   {"PRAGMA-HEARTBEAT", 0},
	ATCP:              {"ATCP", 0},
	GMCP:              {"GMCP", 0},
	EXOPL:             {"EXOPL", 861},
}

// String returns the option's conventional name, such as "NAWS" or
// "NEW-ENVIRON", or its decimal code for an option without a name.
func (o Option) String() string {
	if n := optionTable[o].name; n != "" {
		return n
	}
	return strconv.Itoa(int(o))
}

// Known reports whether the option has a name in the option table.
func (o Option) Known() bool { return optionTable[o].name != "" }

// RFC returns the number of the RFC that defines the option, or 0 when no
// RFC does (the MUD options, and a few that were only ever drafts).
func (o Option) RFC() int { return optionTable[o].rfc }

// ParseOption returns the option with the given name. Case is ignored and
// '_' matches '-', so "new_environ" is [NewEnviron]; "TM" is accepted for
// [TimingMark], and a decimal code such as "31" for any option.
func ParseOption(name string) (Option, bool) {
	n := strings.ToUpper(strings.ReplaceAll(name, "_", "-"))
	if n == "TM" {
		return TimingMark, true
	}
	for code := range optionTable {
		if optionTable[code].name == n && n != "" {
			return Option(code), true
		}
	}
	if v, err := strconv.ParseUint(name, 10, 8); err == nil {
		return Option(v), true
	}
	return 0, false
}
