package negotiate

import "fmt"

// The MSSP control bytes (tintin.mudhalla.net/protocols/mssp). They cannot
// appear inside names or values.
const (
	MSSPVar byte = 1 // starts a variable name
	MSSPVal byte = 2 // starts a value
)

// An MSSPVariable is one MSSP variable, such as "PLAYERS", with its values
// in the order they were sent. A variable may have several values (a MUD
// listing its several codebases or ports); numbers are decimal strings.
type MSSPVariable struct {
	Name   string
	Values []string
}

// AppendMSSP appends vars, in order, as MSSP_VAR name followed by
// MSSP_VAL value for each value. Variables are written as given, repeated
// names included.
//
// It returns dst unchanged and an error when vars is empty (an empty MSSP
// payload is malformed), a name is empty, or a name or value contains
// MSSP_VAR or MSSP_VAL. NUL and IAC bytes are written as
// they are: the framing escapes IAC.
func AppendMSSP(dst []byte, vars []MSSPVariable) ([]byte, error) {
	if len(vars) == 0 {
		return dst, fmt.Errorf("negotiate: no MSSP variables")
	}
	for _, v := range vars {
		if v.Name == "" {
			return dst, fmt.Errorf("negotiate: empty MSSP variable name")
		}
		if err := checkMSSPText(v.Name); err != nil {
			return dst, err
		}
		for _, val := range v.Values {
			if err := checkMSSPText(val); err != nil {
				return dst, err
			}
		}
	}
	for _, v := range vars {
		dst = append(dst, MSSPVar)
		dst = append(dst, v.Name...)
		for _, val := range v.Values {
			dst = append(dst, MSSPVal)
			dst = append(dst, val...)
		}
	}
	return dst, nil
}

func checkMSSPText(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] == MSSPVar || s[i] == MSSPVal {
			return fmt.Errorf("negotiate: MSSP text %q contains control byte %d", s, s[i])
		}
	}
	return nil
}

// ParseMSSP decodes an MSSP payload into its variables, in order. Repeated
// MSSP_VAL bytes give a variable several values; a variable with no
// MSSP_VAL has none, and a repeated name gives a second entry rather than
// being merged, so that nothing the server sent is lost. Names and values
// run to the next control byte and may hold any other byte. An empty
// payload, bytes before the first MSSP_VAR and an empty name are
// malformed.
//
// The result does not share memory with p.
func ParseMSSP(p []byte) ([]MSSPVariable, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("negotiate: empty MSSP payload: %w", ErrMalformed)
	}
	if p[0] != MSSPVar {
		return nil, fmt.Errorf("negotiate: MSSP payload starts with byte %d, want MSSP_VAR: %w", p[0], ErrMalformed)
	}
	var vars []MSSPVariable
	i := 0
	for i < len(p) {
		code := p[i]
		i++
		start := i
		for i < len(p) && p[i] != MSSPVar && p[i] != MSSPVal {
			i++
		}
		text := string(p[start:i])
		if code == MSSPVar {
			if text == "" {
				return nil, fmt.Errorf("negotiate: empty MSSP variable name at offset %d: %w", start, ErrMalformed)
			}
			vars = append(vars, MSSPVariable{Name: text})
			continue
		}
		last := &vars[len(vars)-1]
		last.Values = append(last.Values, text)
	}
	return vars, nil
}
