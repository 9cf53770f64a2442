package negotiate

import (
	"fmt"
	"strconv"
	"strings"
)

// An SLCFunction is the first byte of an SLC triplet: the editing or
// signal function whose character the triplet sets (RFC 1184 sections 2.4
// and 2.5). Function 0 is reserved for the requests "send me your default
// table" and "send me your current table".
type SLCFunction byte

// The SLC functions of RFC 1184.
const (
	SLCSynch SLCFunction = 1  // SYNCH, IAC DM with urgent data
	SLCBrk   SLCFunction = 2  // BRK, IAC BRK
	SLCIP    SLCFunction = 3  // IP, interrupt process
	SLCAO    SLCFunction = 4  // AO, abort output
	SLCAYT   SLCFunction = 5  // AYT, are you there
	SLCEOR   SLCFunction = 6  // EOR, end of record
	SLCAbort SLCFunction = 7  // ABORT, abort process
	SLCEOF   SLCFunction = 8  // EOF, end of file
	SLCSusp  SLCFunction = 9  // SUSP, suspend process
	SLCEC    SLCFunction = 10 // EC, erase character
	SLCEL    SLCFunction = 11 // EL, erase line
	SLCEW    SLCFunction = 12 // EW, erase word
	SLCRP    SLCFunction = 13 // RP, reprint line
	SLCLNext SLCFunction = 14 // LNEXT, take the next character literally
	SLCXON   SLCFunction = 15 // XON, resume output
	SLCXOFF  SLCFunction = 16 // XOFF, stop output
	SLCForw1 SLCFunction = 17 // FORW1, send the line now
	SLCForw2 SLCFunction = 18 // FORW2, send the line now
	SLCMCL   SLCFunction = 19 // MCL, cursor one character left
	SLCMCR   SLCFunction = 20 // MCR, cursor one character right
	SLCMCWL  SLCFunction = 21 // MCWL, cursor one word left
	SLCMCWR  SLCFunction = 22 // MCWR, cursor one word right
	SLCMCBOL SLCFunction = 23 // MCBOL, cursor to beginning of line
	SLCMCEOL SLCFunction = 24 // MCEOL, cursor to end of line
	SLCInsrt SLCFunction = 25 // INSRT, insert mode
	SLCOver  SLCFunction = 26 // OVER, overstrike mode
	SLCECR   SLCFunction = 27 // ECR, erase character to the right
	SLCEWR   SLCFunction = 28 // EWR, erase word to the right
	SLCEBOL  SLCFunction = 29 // EBOL, erase to beginning of line
	SLCEEOL  SLCFunction = 30 // EEOL, erase to end of line

	// SLCMaxFunction is the highest function RFC 1184 defines; an
	// [SLCTable] holds SLCSynch through SLCMaxFunction.
	SLCMaxFunction = SLCEEOL
)

var slcFunctionNames = [SLCMaxFunction + 1]string{
	"0", "SYNCH", "BRK", "IP", "AO", "AYT", "EOR", "ABORT", "EOF", "SUSP",
	"EC", "EL", "EW", "RP", "LNEXT", "XON", "XOFF", "FORW1", "FORW2", "MCL",
	"MCR", "MCWL", "MCWR", "MCBOL", "MCEOL", "INSRT", "OVER", "ECR", "EWR",
	"EBOL", "EEOL",
}

// String returns the function's RFC 1184 name without the SLC_ prefix,
// such as "EOF", or its decimal code for 0 and the codes above
// [SLCMaxFunction].
func (f SLCFunction) String() string {
	if f <= SLCMaxFunction {
		return slcFunctionNames[f]
	}
	return strconv.Itoa(int(f))
}

// slcCommands are the Telnet commands the special functions stand for
// (RFC 1184 section 5): a client under TRAPSIG, or editing, sends the
// command for the character.
var slcCommands = map[SLCFunction]Command{
	SLCSynch: DM, SLCBrk: BRK, SLCIP: IP, SLCAO: AO, SLCAYT: AYT, SLCEOR: EOR,
	SLCAbort: ABORT, SLCEOF: EOF, SLCSusp: SUSP, SLCEC: EC, SLCEL: EL,
}

// Command returns the Telnet command the function stands for, such as IP
// for SLCIP, and whether it has one: the editing and flow functions after
// EL (EW, RP, LNEXT, XON, ...) have none.
func (f SLCFunction) Command() (Command, bool) {
	c, ok := slcCommands[f]
	return c, ok
}

// SLCModifiers is the second byte of an SLC triplet: a support level in
// the two low bits, and the flag bits SLCAck, SLCFlushIn and SLCFlushOut.
type SLCModifiers byte

// The levels (values of the SLCLevelBits) and flags of [SLCModifiers].
const (
	// SLCNoSupport: the function is not supported, or is disabled.
	SLCNoSupport SLCModifiers = 0
	// SLCCantChange: the function is supported with this character,
	// which the sender cannot change.
	SLCCantChange SLCModifiers = 1
	// SLCValue: the function is supported with this character, which
	// the sender can change.
	SLCValue SLCModifiers = 2
	// SLCDefault: use the default character for the function; the value
	// byte is meaningless.
	SLCDefault SLCModifiers = 3
	// SLCLevelBits masks the level out of the modifiers.
	SLCLevelBits SLCModifiers = 3

	// SLCFlushOut: output is flushed when the function is sent.
	SLCFlushOut SLCModifiers = 0x20
	// SLCFlushIn: input is flushed when the function is sent.
	SLCFlushIn SLCModifiers = 0x40
	// SLCAck marks a triplet that acknowledges the value it carries.
	SLCAck SLCModifiers = 0x80
)

var slcLevelNames = [4]string{"NOSUPPORT", "CANTCHANGE", "VALUE", "DEFAULT"}

// Level returns the support level alone: SLCNoSupport, SLCCantChange,
// SLCValue or SLCDefault.
func (m SLCModifiers) Level() SLCModifiers { return m & SLCLevelBits }

// String returns the level then the set flags, joined by '|' as in the
// captured traces: "VALUE|ACK|FLUSHIN|FLUSHOUT". Bits that RFC 1184 does
// not define are shown at the end as one hex number.
func (m SLCModifiers) String() string {
	s := slcLevelNames[m.Level()]
	if m&SLCAck != 0 {
		s += "|ACK"
	}
	if m&SLCFlushIn != 0 {
		s += "|FLUSHIN"
	}
	if m&SLCFlushOut != 0 {
		s += "|FLUSHOUT"
	}
	if rest := m &^ (SLCLevelBits | SLCAck | SLCFlushIn | SLCFlushOut); rest != 0 {
		s += fmt.Sprintf("|0x%02x", byte(rest))
	}
	return s
}

// An SLCTriplet is one (function, modifiers, value) entry of a LINEMODE
// SLC payload. Every value is valid, 255 included: on the wire it is
// doubled by [AppendSubnegotiation].
type SLCTriplet struct {
	Func  SLCFunction
	Mod   SLCModifiers
	Value byte
}

// String returns the triplet as traces show it: "IP VALUE|FLUSHIN|FLUSHOUT
// 0x03".
func (t SLCTriplet) String() string {
	return fmt.Sprintf("%s %s 0x%02x", t.Func, t.Mod, t.Value)
}

// parseSLCTriplets decodes the triplets after the SLC sub-command. The
// result is allocated once, at a third of the input's size.
func parseSLCTriplets(p []byte) ([]SLCTriplet, error) {
	if len(p)%3 != 0 {
		return nil, fmt.Errorf("negotiate: LINEMODE SLC has %d bytes of triplets, not a multiple of 3: %w", len(p), ErrMalformed)
	}
	ts := make([]SLCTriplet, len(p)/3)
	for i := range ts {
		ts[i] = SLCTriplet{SLCFunction(p[3*i]), SLCModifiers(p[3*i+1]), p[3*i+2]}
	}
	return ts, nil
}

// AppendLinemodeSLC appends a LINEMODE SLC payload holding the triplets ts
// to dst. The bytes are written raw; [AppendSubnegotiation] doubles a 255.
func AppendLinemodeSLC(dst []byte, ts ...SLCTriplet) []byte {
	dst = append(dst, LinemodeCmdSLC)
	for _, t := range ts {
		dst = append(dst, byte(t.Func), byte(t.Mod), t.Value)
	}
	return dst
}

// slcEntry is the setting of one function: its modifiers (never with
// SLCAck) and its character.
type slcEntry struct {
	mod SLCModifiers
	val byte
}

func (e slcEntry) level() SLCModifiers { return e.mod.Level() }

// slcNoSupport is the setting of a function that is off. Its value is
// always 0, as BSD-derived clients send it.
var slcNoSupport = slcEntry{}

// An SLCTable holds, for each function SLCSynch through SLCMaxFunction,
// this side's current setting and its default one. The default also says
// what this side can do with the function: with level SLCValue the
// character can be changed to anything the peer asks; SLCCantChange means
// only the default character can be used; SLCDefault means the function is
// supported but has no character of its own, so the peer's is taken;
// SLCNoSupport means the function cannot be used at all.
//
// The zero SLCTable supports nothing. An SLCTable holds no pointers, so
// copying one copies the table.
type SLCTable struct {
	cur, def [SLCMaxFunction + 1]slcEntry
}

// NewSLCTable returns a table whose default and current settings are
// the given triplets; functions not listed are SLCNoSupport, and a later
// triplet for a function replaces an earlier one. The SLCAck bit and
// triplets for function 0 or above [SLCMaxFunction] are ignored.
func NewSLCTable(defaults ...SLCTriplet) *SLCTable {
	t := new(SLCTable)
	for _, d := range defaults {
		if d.Func == 0 || d.Func > SLCMaxFunction {
			continue
		}
		e := slcEntry{d.Mod &^ SLCAck, d.Value}
		if e.level() == SLCNoSupport {
			e = slcNoSupport
		}
		t.def[d.Func] = e
	}
	t.cur = t.def
	return t
}

// bsdSLC is the default table of the BSD telnet and telnetd: the
// characters of the BSD terminal driver, with the levels and flush flags
// the captured inetutils and netkit clients send.
var bsdSLC = [...]SLCTriplet{
	{SLCSynch, SLCDefault, 0},
	{SLCBrk, SLCDefault, 0},
	{SLCIP, SLCValue | SLCFlushIn | SLCFlushOut, 0x03}, // ^C
	{SLCAO, SLCValue, 0x0f},                            // ^O
	{SLCAYT, SLCValue, 0x14},                           // ^T
	{SLCEOR, SLCDefault, 0},
	{SLCAbort, SLCValue | SLCFlushIn | SLCFlushOut, 0x1c}, // ^\
	{SLCEOF, SLCValue, 0x04},                              // ^D
	{SLCSusp, SLCValue | SLCFlushIn, 0x1a},                // ^Z
	{SLCEC, SLCValue, 0x7f},                               // DEL
	{SLCEL, SLCValue, 0x15},                               // ^U
	{SLCEW, SLCValue, 0x17},                               // ^W
	{SLCRP, SLCValue, 0x12},                               // ^R
	{SLCLNext, SLCValue, 0x16},                            // ^V
	{SLCXON, SLCValue, 0x11},                              // ^Q
	{SLCXOFF, SLCValue, 0x13},                             // ^S
}

// DefaultSLC returns the BSD default table: EOF ^D, EC DEL, EL ^U, EW ^W,
// RP ^R, LNEXT ^V, XON ^Q, XOFF ^S, AO ^O and AYT ^T changeable
// (SLCValue); IP ^C and ABORT ^\ flushing input and output, SUSP ^Z
// flushing input; SYNCH, BRK and EOR supported without a character
// (SLCDefault); every other function SLCNoSupport.
func DefaultSLC() *SLCTable {
	return NewSLCTable(bsdSLC[:]...)
}

// Get returns the current setting of the function f: SLCNoSupport and 0
// for a function the table does not hold.
func (t *SLCTable) Get(f SLCFunction) SLCTriplet {
	if f == 0 || f > SLCMaxFunction {
		return SLCTriplet{Func: f}
	}
	return SLCTriplet{f, t.cur[f].mod, t.cur[f].val}
}

// Default returns the default setting of the function f, as [SLCTable.Get]
// returns the current one.
func (t *SLCTable) Default(f SLCFunction) SLCTriplet {
	if f == 0 || f > SLCMaxFunction {
		return SLCTriplet{Func: f}
	}
	return SLCTriplet{f, t.def[f].mod, t.def[f].val}
}

// Set records a local change of the function f, such as a new erase
// character typed into stty, and returns the triplet that tells the peer;
// ok is false, and nothing changes, for function 0 or one above
// [SLCMaxFunction]. The SLCAck bit of mod is dropped.
func (t *SLCTable) Set(f SLCFunction, mod SLCModifiers, value byte) (tr SLCTriplet, ok bool) {
	if f == 0 || f > SLCMaxFunction {
		return SLCTriplet{}, false
	}
	e := slcEntry{mod &^ SLCAck, value}
	if e.level() == SLCNoSupport {
		e = slcNoSupport
	}
	t.cur[f] = e
	return SLCTriplet{f, e.mod, e.val}, true
}

// Reset sets every function back to its default.
func (t *SLCTable) Reset() { t.cur = t.def }

// Triplets returns the current setting of every function that is supported
// by default or now, in function order: what this side sends to tell the
// peer its table, as a client does after WILL LINEMODE and either side
// does when asked with function 0.
func (t *SLCTable) Triplets() []SLCTriplet {
	return t.appendTriplets(nil)
}

func (t *SLCTable) appendTriplets(dst []SLCTriplet) []SLCTriplet {
	for f := SLCSynch; f <= SLCMaxFunction; f++ {
		if t.def[f].level() != SLCNoSupport || t.cur[f].level() != SLCNoSupport {
			dst = append(dst, SLCTriplet{f, t.cur[f].mod, t.cur[f].val})
		}
	}
	return dst
}

// Arbitrate processes the triplets of an SLC message from the peer, in
// order, updates the table, and returns the triplets to send back in one
// SLC message, or none. At most one reply comes from each triplet, plus
// at most one copy of the table for all the function-0 requests together,
// so the reply is never more than len(received)+30 triplets.
//
// The rules are those of RFC 1184 section 2.4 (SLC) and section 5.5
// (Setting of Local Characters, with the state diagram of section 5.9), as
// the BSD telnet and telnetd written alongside the RFC apply them:
//
//   - A triplet with SLCAck set acknowledges a setting the peer now uses.
//     It is never answered. It is taken as the current setting when this
//     side can use it (see [SLCTable]), else ignored.
//   - Function 0 with level SLCDefault asks for the default table: every
//     function is reset to its default and the table is sent. Function 0
//     with level SLCValue asks for the current table, which is sent. The
//     table goes after the other replies and shows the final settings.
//   - A triplet whose level and value equal the current setting (the level
//     alone for SLCNoSupport and SLCDefault, whose value means nothing) is
//     not answered: both sides already agree.
//   - SLCNoSupport is always accepted: the function is turned off and the
//     triplet is sent back with SLCAck.
//   - SLCDefault asks this side to use its default: the function is reset
//     and its default is sent back, without SLCAck, for the peer to take.
//   - SLCValue or SLCCantChange with another character is accepted, and
//     sent back with SLCAck, when this side's default level is SLCValue or
//     SLCDefault, or when both sides are SLCCantChange with the same
//     character. Otherwise this side answers with what it can do, without
//     SLCAck: its own character at level SLCCantChange (even when the
//     peer's SLCValue names that character, so the peer learns it is
//     fixed), or SLCNoSupport when it does not support the function or
//     when both sides are SLCCantChange with different characters.
//   - A function above SLCMaxFunction is unknown, so taken as
//     SLCNoSupport: anything but SLCNoSupport or an acknowledgement is
//     answered with SLCNoSupport.
//
// No ping-pong: an answer with SLCAck is never answered, and an answer
// without it is always this side's default or SLCNoSupport (only the
// function-0 requests, which are never sent as answers, make a table send
// its current settings). The peer takes that or already agrees, or answers
// with its own default or SLCNoSupport, which this side then takes and
// acknowledges. So a triplet causes a bounded number of exchanges, and two
// tables sending each other anything always fall silent.
func (t *SLCTable) Arbitrate(received []SLCTriplet) []SLCTriplet {
	var out []SLCTriplet
	sendTable := false
	for _, r := range received {
		if r.Func == 0 {
			if r.Mod&SLCAck != 0 {
				continue
			}
			switch r.Mod.Level() {
			case SLCDefault:
				t.Reset()
				sendTable = true
			case SLCValue:
				sendTable = true
			}
			continue
		}
		if reply, ok := t.receive(r); ok {
			out = append(out, reply)
		}
	}
	if sendTable {
		out = t.appendTriplets(out)
	}
	return out
}

// receive applies one triplet for a function other than 0, and returns
// the reply to send, if any.
func (t *SLCTable) receive(r SLCTriplet) (SLCTriplet, bool) {
	f, lvl, ack := r.Func, r.Mod.Level(), r.Mod&SLCAck != 0
	if f > SLCMaxFunction {
		if ack || lvl == SLCNoSupport {
			return SLCTriplet{}, false
		}
		return SLCTriplet{Func: f, Mod: SLCNoSupport}, true
	}
	cur, def := &t.cur[f], t.def[f]
	got := slcEntry{r.Mod &^ SLCAck, r.Value}
	if ack {
		if e, ok := t.take(f, got); ok {
			*cur = e
		}
		return SLCTriplet{}, false
	}
	if cur.level() == lvl && (lvl == SLCNoSupport || lvl == SLCDefault || cur.val == r.Value) {
		return SLCTriplet{}, false
	}
	if lvl == SLCDefault {
		*cur = def
		return SLCTriplet{f, def.mod, def.val}, true
	}
	if e, ok := t.take(f, got); ok {
		*cur = e
		return SLCTriplet{f, r.Mod | SLCAck, r.Value}, true
	}
	if def.level() == SLCCantChange && lvl == SLCValue {
		*cur = def
		return SLCTriplet{f, def.mod, def.val}, true
	}
	// This side has no use for the function, or both sides are stuck
	// with different characters: the function degenerates to NOSUPPORT.
	*cur = slcNoSupport
	return SLCTriplet{Func: f, Mod: SLCNoSupport}, true
}

// take reports whether this side can use the peer's setting e for the
// function f, given what its default says it can do, and returns the
// setting to store. A function that cannot change takes only the peer's
// CANTCHANGE of its own character: a VALUE of that character would leave
// the peer believing the character can change.
func (t *SLCTable) take(f SLCFunction, e slcEntry) (slcEntry, bool) {
	switch e.level() {
	case SLCNoSupport:
		return slcNoSupport, true
	case SLCDefault:
		return slcEntry{}, false
	}
	switch d := t.def[f]; d.level() {
	case SLCValue, SLCDefault:
		return e, true
	case SLCCantChange:
		return e, e.level() == SLCCantChange && e.val == d.val
	}
	return slcEntry{}, false
}

// String returns the settings [SLCTable.Triplets] returns, as an SLC
// message shows them.
func (t *SLCTable) String() string {
	ts := t.Triplets()
	parts := make([]string, len(ts))
	for i, tr := range ts {
		parts[i] = tr.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
