package negotiate

import (
	"fmt"
	"strings"
)

// Sub-commands of NEW-ENVIRON (RFC 1572) and OLD-ENVIRON (RFC 1408), the
// first byte of their payloads.
const (
	// EnvironIs answers a SEND: the sender's variables follow.
	EnvironIs SubCommand = 0
	// EnvironSend asks for the peer's variables: the names wanted follow,
	// or nothing for "all of them".
	EnvironSend SubCommand = 1
	// EnvironInfo reports variables that changed since the last IS, unasked.
	EnvironInfo SubCommand = 2
)

// Type codes that mark the parts of an environment payload. These are the
// values of RFC 1572 and RFC 1408; BSD-derived OLD-ENVIRON peers swap VAR
// and VALUE (see [OldEnvironCodes]).
const (
	// EnvironVar starts the name of a well-known variable (USER, DISPLAY,
	// ...).
	EnvironVar = 0
	// EnvironValue starts the value of the variable named before it.
	EnvironValue = 1
	// EnvironEsc makes the byte after it part of the name or value, even if
	// it is one of the four type codes.
	EnvironEsc = 2
	// EnvironUserVar starts the name of a user-defined variable.
	EnvironUserVar = 3
)

// An EnvVar is one variable of a NEW-ENVIRON or OLD-ENVIRON payload.
//
// In an IS or INFO, a variable with HasValue false is "VAR name" alone,
// which RFC 1572 defines as "not defined"; HasValue true with an empty
// Value is "VAR name VALUE", defined but empty.
//
// In a SEND, only Name and User normally matter: a Name of "" (a bare VAR
// or USERVAR) asks for every variable of that kind, well-known or
// user-defined. A SEND with no variables at all asks for everything. A
// VALUE in a SEND, which RFC 1572 does not provide for, is decoded into
// Value and HasValue like any other, not rejected.
type EnvVar struct {
	Name     string // as sent, with ESC undone; may contain any byte
	Value    string // meaningful only when HasValue is true
	User     bool   // sent as USERVAR rather than VAR
	HasValue bool   // a VALUE part was present, possibly empty
}

// OldEnvironCodes says which byte values an OLD-ENVIRON peer uses for VAR
// and VALUE. RFC 1408 defines VAR 0 and VALUE 1, but the BSD
// implementation it was meant to document uses VAR 1 and VALUE 0, and so
// do its many descendants (PuTTY/plink among them). RFC 1571 gives
// heuristics to tell the two apart; [ParseOldEnviron] applies them, and
// the caller keeps the answer for the rest of the connection. ESC (2) and
// USERVAR (3) are the same in both.
type OldEnvironCodes byte

const (
	// OldEnvironUnknown means the peer's codes are not known yet: a decoder
	// applies the RFC 1571 heuristics, and an encoder, like a decoder that
	// found no evidence, uses the RFC codes, as RFC 1571 says to assume.
	OldEnvironUnknown OldEnvironCodes = iota
	// OldEnvironRFC is VAR 0, VALUE 1, as RFC 1408 and RFC 1572 define.
	OldEnvironRFC
	// OldEnvironBSD is VAR 1, VALUE 0, as BSD telnet and its descendants
	// send OLD-ENVIRON.
	OldEnvironBSD
)

// String returns "unknown", "RFC" or "BSD".
func (c OldEnvironCodes) String() string {
	switch c {
	case OldEnvironUnknown:
		return "unknown"
	case OldEnvironRFC:
		return "RFC"
	case OldEnvironBSD:
		return "BSD"
	}
	return fmt.Sprintf("OldEnvironCodes(%d)", byte(c))
}

// varValue returns the bytes that mean VAR and VALUE under c.
func (c OldEnvironCodes) varValue() (varCode, valueCode byte) {
	if c == OldEnvironBSD {
		return EnvironValue, EnvironVar
	}
	return EnvironVar, EnvironValue
}

// AppendEnviron appends a NEW-ENVIRON payload (RFC 1572) to dst: the
// sub-command cmd (EnvironIs, EnvironSend or EnvironInfo), then for each
// variable VAR or USERVAR, its name, and if HasValue, VALUE and its value.
// Every VAR, VALUE, ESC or USERVAR byte inside a name or value is preceded
// by ESC, as RFC 1572 requires of all four. The encoder writes exactly what
// vars hold whatever cmd is: for a SEND, pass variables without values.
func AppendEnviron(dst []byte, cmd SubCommand, vars []EnvVar) []byte {
	return appendEnviron(dst, cmd, vars, EnvironVar, EnvironValue)
}

// AppendOldEnviron appends an OLD-ENVIRON payload (RFC 1408) to dst, like
// [AppendEnviron] but with the VAR and VALUE bytes of codes; pass the codes
// [ParseOldEnviron] found the peer to use, so that it understands the
// answer. OldEnvironUnknown writes the RFC codes.
func AppendOldEnviron(dst []byte, cmd SubCommand, vars []EnvVar, codes OldEnvironCodes) []byte {
	varCode, valueCode := codes.varValue()
	return appendEnviron(dst, cmd, vars, varCode, valueCode)
}

func appendEnviron(dst []byte, cmd SubCommand, vars []EnvVar, varCode, valueCode byte) []byte {
	dst = append(dst, byte(cmd))
	for _, v := range vars {
		if v.User {
			dst = append(dst, EnvironUserVar)
		} else {
			dst = append(dst, varCode)
		}
		dst = appendEnvironText(dst, v.Name)
		if v.HasValue {
			dst = append(dst, valueCode)
			dst = appendEnvironText(dst, v.Value)
		}
	}
	return dst
}

// appendEnvironText appends s with ESC before each of the four type codes.
// Escaping all four (not just VAR and USERVAR, as telnetlib3 does) keeps a
// VALUE or ESC byte inside a name from being read as a separator.
func appendEnvironText(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] <= EnvironUserVar {
			dst = append(dst, EnvironEsc)
		}
		dst = append(dst, s[i])
	}
	return dst
}

// ParseEnviron decodes a NEW-ENVIRON payload (RFC 1572). It returns the
// sub-command (EnvironIs, EnvironSend or EnvironInfo) and the variables in
// the order sent, with ESC undone and VAR kept apart from USERVAR; vars is
// nil when there are none. Re-encoding them with [AppendEnviron] gives a
// payload that decodes to the same variables.
//
// Malformed, reported as an error wrapping [ErrMalformed] with no
// variables: an empty payload, an unknown sub-command, any byte before the
// first VAR or USERVAR (it can belong to no variable, and a VALUE there is
// the sign of a peer with swapped codes, whose variables would come out
// wrong), a second VALUE for one variable, and an ESC as the last byte.
// An ESC before a byte that is not a type code is tolerated: the byte is
// kept. The result takes memory proportional to len(p).
func ParseEnviron(p []byte) (cmd SubCommand, vars []EnvVar, err error) {
	cmd, toks, text, err := scanEnviron("NEW-ENVIRON", p)
	if err != nil {
		return 0, nil, err
	}
	vars, err = buildEnviron("NEW-ENVIRON", toks, text, EnvironVar, EnvironValue)
	if err != nil {
		return 0, nil, err
	}
	return cmd, vars, nil
}

// ParseOldEnviron decodes an OLD-ENVIRON payload (RFC 1408) like
// [ParseEnviron], with VAR and VALUE read by codes. With
// OldEnvironUnknown it first works out the peer's codes from this payload
// by the heuristics of RFC 1571, in its order:
//
//   - a SEND is BSD if it holds a code 1 before any code 0 (a SEND should
//     name variables, never give values) and RFC if it holds a code 0 first;
//   - an IS or INFO is RFC if its first code is 0 and BSD if it is 1;
//   - else, RFC if two code 0 are adjacent or a code 1 is empty (two
//     names in a row, or an empty value, are legal; two values in a row,
//     or an empty name, are not), BSD if two code 1 are adjacent or a
//     code 0 is empty;
//   - else, RFC if USERVARs + code 0 = code 1, BSD if USERVARs + code 1 =
//     code 0 (every name has its value);
//   - else, RFC if a code 0 names a variable of RFC 1408 (USER, JOB, ACCT,
//     PRINTER, SYSTEMTYPE, DISPLAY), BSD if a code 1 does.
//
// It returns the codes it used: the codes passed if they were known, the
// codes found, or OldEnvironUnknown if nothing decided (the payload was
// then read with the RFC codes, as RFC 1571 says to assume). RFC 1571 says
// the answer holds "from that point on": the caller should keep a known
// result and pass it for every later payload of the connection, and to
// [AppendOldEnviron] when answering. With an error, used is the codes the
// payload was read with, or the codes passed if it failed before that.
func ParseOldEnviron(p []byte, codes OldEnvironCodes) (cmd SubCommand, vars []EnvVar, used OldEnvironCodes, err error) {
	cmd, toks, text, err := scanEnviron("OLD-ENVIRON", p)
	if err != nil {
		return 0, nil, codes, err
	}
	used = codes
	if used != OldEnvironRFC && used != OldEnvironBSD {
		used = guessOldEnviron(cmd, toks, text)
	}
	varCode, valueCode := used.varValue()
	vars, err = buildEnviron("OLD-ENVIRON", toks, text, varCode, valueCode)
	if err != nil {
		return 0, nil, used, err
	}
	return cmd, vars, used, nil
}

// envTok is one part of an environment payload: a type code and the text
// after it, up to the next unescaped type code.
type envTok struct {
	code   int // VAR, VALUE or USERVAR byte, or noCode
	lo, hi int // the text, ESC undone, in the scanned text
}

// noCode marks the text before the first type code.
const noCode = -1

// isEnvironCode reports whether c separates the parts of an environment
// payload. The set is the same under both OLD-ENVIRON codes.
func isEnvironCode(c byte) bool {
	return c == EnvironVar || c == EnvironValue || c == EnvironUserVar
}

// scanEnviron checks the sub-command of p and splits the rest into parts.
// The texts of all parts, ESC undone, are laid end to end in text, so the
// names and values built from them share one allocation of at most len(p)
// bytes, and toks has at most one entry per input byte.
func scanEnviron(opt string, p []byte) (cmd SubCommand, toks []envTok, text string, err error) {
	if len(p) == 0 {
		return 0, nil, "", fmt.Errorf("negotiate: %s payload is empty: %w", opt, ErrMalformed)
	}
	cmd, p = SubCommand(p[0]), p[1:]
	if cmd != EnvironIs && cmd != EnvironSend && cmd != EnvironInfo {
		return 0, nil, "", fmt.Errorf("negotiate: %s sub-command %d is not IS, SEND or INFO: %w", opt, cmd, ErrMalformed)
	}
	n := 0
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == EnvironEsc:
			if i == len(p)-1 {
				return 0, nil, "", fmt.Errorf("negotiate: %s payload ends in ESC: %w", opt, ErrMalformed)
			}
			i++
		case isEnvironCode(p[i]):
			n++
		}
	}
	if len(p) > 0 && !isEnvironCode(p[0]) {
		n++ // text before the first code
	}
	if n == 0 {
		return cmd, nil, "", nil
	}
	toks = make([]envTok, 0, n)
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isEnvironCode(c) {
			if len(toks) > 0 {
				toks[len(toks)-1].hi = b.Len()
			}
			toks = append(toks, envTok{code: int(c), lo: b.Len()})
			continue
		}
		if len(toks) == 0 {
			toks = append(toks, envTok{code: noCode})
		}
		if c == EnvironEsc {
			i++
			c = p[i]
		}
		b.WriteByte(c)
	}
	toks[len(toks)-1].hi = b.Len()
	return cmd, toks, b.String(), nil
}

// buildEnviron turns the parts of a payload into variables, reading the
// bytes varCode and valueCode as VAR and VALUE.
func buildEnviron(opt string, toks []envTok, text string, varCode, valueCode byte) ([]EnvVar, error) {
	if len(toks) == 0 {
		return nil, nil
	}
	n := 0
	for _, t := range toks {
		if t.code == int(varCode) || t.code == EnvironUserVar {
			n++
		}
	}
	vars := make([]EnvVar, 0, n)
	for _, t := range toks {
		s := text[t.lo:t.hi]
		switch t.code {
		case int(varCode), EnvironUserVar:
			vars = append(vars, EnvVar{Name: s, User: t.code == EnvironUserVar})
		case int(valueCode):
			if len(vars) == 0 {
				return nil, fmt.Errorf("negotiate: %s has a VALUE before the first VAR or USERVAR: %w", opt, ErrMalformed)
			}
			v := &vars[len(vars)-1]
			if v.HasValue {
				return nil, fmt.Errorf("negotiate: %s variable %q has a second VALUE: %w", opt, v.Name, ErrMalformed)
			}
			v.Value, v.HasValue = s, true
		default:
			return nil, fmt.Errorf("negotiate: %s has %d bytes before the first VAR or USERVAR: %w", opt, t.hi-t.lo, ErrMalformed)
		}
	}
	if len(vars) == 0 {
		return nil, nil
	}
	return vars, nil
}

// isOldEnvironWellKnown reports whether name is one of the variables RFC
// 1408 defines, which RFC 1571 uses as the last clue to a peer's codes.
func isOldEnvironWellKnown(name string) bool {
	switch name {
	case "USER", "JOB", "ACCT", "PRINTER", "SYSTEMTYPE", "DISPLAY":
		return true
	}
	return false
}

// guessOldEnviron applies the heuristics of RFC 1571 (sections 2 and 3) to
// the parts of an OLD-ENVIRON payload; see [ParseOldEnviron].
func guessOldEnviron(cmd SubCommand, toks []envTok, text string) OldEnvironCodes {
	// Code 0 is VAR under the RFC and VALUE under BSD; code 1 the reverse.
	const zero, one = EnvironVar, EnvironValue
	if cmd == EnvironSend {
		for _, t := range toks {
			switch t.code {
			case zero:
				return OldEnvironRFC
			case one:
				return OldEnvironBSD
			}
		}
		return OldEnvironUnknown
	}
	if len(toks) == 0 {
		return OldEnvironUnknown
	}
	switch toks[0].code {
	case zero:
		return OldEnvironRFC
	case one:
		return OldEnvironBSD
	}
	var zeroPair, onePair, zeroEmpty, oneEmpty bool
	var zeros, ones, users int
	for i, t := range toks {
		adjacent := i > 0 && toks[i-1].code == t.code
		switch t.code {
		case zero:
			zeros++
			zeroPair = zeroPair || adjacent
			zeroEmpty = zeroEmpty || t.lo == t.hi
		case one:
			ones++
			onePair = onePair || adjacent
			oneEmpty = oneEmpty || t.lo == t.hi
		case EnvironUserVar:
			users++
		}
	}
	switch {
	case zeroPair || oneEmpty:
		return OldEnvironRFC
	case onePair || zeroEmpty:
		return OldEnvironBSD
	case users+zeros == ones:
		return OldEnvironRFC
	case users+ones == zeros:
		return OldEnvironBSD
	}
	for _, code := range [...]int{zero, one} {
		for _, t := range toks {
			if t.code != code || !isOldEnvironWellKnown(text[t.lo:t.hi]) {
				continue
			}
			if code == zero {
				return OldEnvironRFC
			}
			return OldEnvironBSD
		}
	}
	return OldEnvironUnknown
}
