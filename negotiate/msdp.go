package negotiate

import "fmt"

// The MSDP control bytes (tintin.mudhalla.net/protocols/msdp). They cannot
// appear inside names or string values.
const (
	MSDPVar        byte = 1 // starts a variable name
	MSDPVal        byte = 2 // starts a value
	MSDPTableOpen  byte = 3 // starts a table value
	MSDPTableClose byte = 4 // ends a table value
	MSDPArrayOpen  byte = 5 // starts an array value
	MSDPArrayClose byte = 6 // ends an array value
)

// MSDPMaxDepth is how deeply tables and arrays may nest in a message
// [ParseMSDP] accepts and [AppendMSDP] writes. It bounds the recursion a
// hostile peer can cause; real messages nest two or three levels.
const MSDPMaxDepth = 64

// An MSDPKind says which field of an [MSDPValue] holds its value.
type MSDPKind uint8

// The kinds of MSDP values.
const (
	MSDPString MSDPKind = iota // Text
	MSDPTable                  // Table
	MSDPArray                  // Array
)

// An MSDPValue is an MSDP value: a string, a table of named values, or an
// array of values, which may nest.
type MSDPValue struct {
	Kind MSDPKind
	// Text is the value of an MSDPString: any bytes but the six MSDP
	// control bytes. MSDP has no numbers; "52" is a string.
	Text string
	// Table holds an MSDPTable's entries, in the order they were sent.
	// Names may repeat.
	Table []MSDPVariable
	// Array holds an MSDPArray's elements.
	Array []MSDPValue
}

// An MSDPVariable is a named MSDP value: a top-level variable or a table entry.
type MSDPVariable struct {
	Name  string
	Value MSDPValue
}

// MSDPStringValue returns a string value.
func MSDPStringValue(s string) MSDPValue { return MSDPValue{Kind: MSDPString, Text: s} }

// MSDPTableValue returns a table value with the given entries.
func MSDPTableValue(entries ...MSDPVariable) MSDPValue {
	return MSDPValue{Kind: MSDPTable, Table: entries}
}

// MSDPArrayValue returns an array value with the given elements.
func MSDPArrayValue(elems ...MSDPValue) MSDPValue {
	return MSDPValue{Kind: MSDPArray, Array: elems}
}

// AppendMSDP appends vars, in order, as VAR name VAL value. A table is
// written TABLE_OPEN (VAR name VAL value)... TABLE_CLOSE and an array
// ARRAY_OPEN (VAL value)... ARRAY_CLOSE, nested as deep as the values are.
//
// It returns dst unchanged and an error when vars is empty (an empty MSDP
// payload is malformed), a name is empty, a name or string contains an
// MSDP control byte (1 through 6), a kind is unknown, or values nest deeper
// than [MSDPMaxDepth]. NUL and IAC bytes are written as they are: the spec
// forbids them, but the framing escapes IAC and neither is ambiguous.
func AppendMSDP(dst []byte, vars []MSDPVariable) ([]byte, error) {
	if len(vars) == 0 {
		return dst, fmt.Errorf("negotiate: no MSDP variables")
	}
	out, err := appendMSDPVars(dst, vars, 0)
	if err != nil {
		return dst, err
	}
	return out, nil
}

func appendMSDPVars(dst []byte, vars []MSDPVariable, depth int) ([]byte, error) {
	for _, v := range vars {
		if v.Name == "" {
			return dst, fmt.Errorf("negotiate: empty MSDP variable name")
		}
		if err := checkMSDPText(v.Name); err != nil {
			return dst, err
		}
		dst = append(dst, MSDPVar)
		dst = append(dst, v.Name...)
		dst = append(dst, MSDPVal)
		var err error
		if dst, err = appendMSDPValue(dst, v.Value, depth); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func appendMSDPValue(dst []byte, v MSDPValue, depth int) ([]byte, error) {
	switch v.Kind {
	case MSDPString:
		if err := checkMSDPText(v.Text); err != nil {
			return dst, err
		}
		return append(dst, v.Text...), nil
	case MSDPTable, MSDPArray:
	default:
		return dst, fmt.Errorf("negotiate: unknown MSDP value kind %d", v.Kind)
	}
	if depth >= MSDPMaxDepth {
		return dst, fmt.Errorf("negotiate: MSDP values nest deeper than %d", MSDPMaxDepth)
	}
	var err error
	if v.Kind == MSDPTable {
		dst = append(dst, MSDPTableOpen)
		if dst, err = appendMSDPVars(dst, v.Table, depth+1); err != nil {
			return dst, err
		}
		return append(dst, MSDPTableClose), nil
	}
	dst = append(dst, MSDPArrayOpen)
	for _, e := range v.Array {
		dst = append(dst, MSDPVal)
		if dst, err = appendMSDPValue(dst, e, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, MSDPArrayClose), nil
}

func checkMSDPText(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] >= MSDPVar && s[i] <= MSDPArrayClose {
			return fmt.Errorf("negotiate: MSDP text %q contains control byte %d", s, s[i])
		}
	}
	return nil
}

// ParseMSDP decodes an MSDP payload into its top-level variables, in
// order.
//
// A VAR followed by several VALs has an array value, as the MSDP
// specification says (clients send REPORT that way); a VAR with no VAL at
// all has the empty string. Names may not be empty. Strings run to the next
// control byte and may hold any other byte, NUL and 255 included. An empty
// payload, text before the first VAR, a TABLE_CLOSE or ARRAY_CLOSE without
// its opener, an unclosed table or array, an array element not introduced
// by VAL, and nesting deeper than [MSDPMaxDepth] are malformed.
//
// Memory use is proportional to len(p), and the result does not share
// memory with p.
func ParseMSDP(p []byte) ([]MSDPVariable, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("negotiate: empty MSDP payload: %w", ErrMalformed)
	}
	d := msdpDecoder{p: p}
	vars, _, err := d.vars(0, false)
	if err != nil {
		return nil, err
	}
	return vars, nil
}

type msdpDecoder struct {
	p []byte
	i int
}

func (d *msdpDecoder) peek() (byte, bool) {
	if d.i == len(d.p) {
		return 0, false
	}
	return d.p[d.i], true
}

// text consumes the bytes up to the next control byte or the end.
func (d *msdpDecoder) text() string {
	start := d.i
	for d.i < len(d.p) && (d.p[d.i] < MSDPVar || d.p[d.i] > MSDPArrayClose) {
		d.i++
	}
	return string(d.p[start:d.i])
}

// vars decodes VAR name VAL value... up to the end of the payload, or up to
// and including TABLE_CLOSE when inTable. It also returns how many levels
// of tables and arrays the values nest.
func (d *msdpDecoder) vars(depth int, inTable bool) ([]MSDPVariable, int, error) {
	var vars []MSDPVariable
	height := 0
	for {
		b, ok := d.peek()
		if !ok {
			if inTable {
				return nil, 0, fmt.Errorf("negotiate: MSDP table not closed: %w", ErrMalformed)
			}
			return vars, height, nil
		}
		if b == MSDPTableClose && inTable {
			d.i++
			return vars, height, nil
		}
		if b != MSDPVar {
			return nil, 0, fmt.Errorf("negotiate: MSDP byte %d at offset %d, want VAR: %w", b, d.i, ErrMalformed)
		}
		d.i++
		name := d.text()
		if name == "" {
			return nil, 0, fmt.Errorf("negotiate: empty MSDP variable name at offset %d: %w", d.i, ErrMalformed)
		}
		var values []MSDPValue
		h := 0
		for {
			if b, ok := d.peek(); !ok || b != MSDPVal {
				break
			}
			d.i++
			v, vh, err := d.value(depth)
			if err != nil {
				return nil, 0, err
			}
			values = append(values, v)
			h = max(h, vh)
		}
		var v MSDPValue
		switch len(values) {
		case 0:
		case 1:
			v = values[0]
		default:
			// The values become the elements of an array, one level
			// deeper than they were read: the limit must still hold, or
			// AppendMSDP could not write them back.
			if depth+h >= MSDPMaxDepth {
				return nil, 0, fmt.Errorf("negotiate: MSDP values nest deeper than %d: %w", MSDPMaxDepth, ErrMalformed)
			}
			h++
			v = MSDPValue{Kind: MSDPArray, Array: values}
		}
		height = max(height, h)
		vars = append(vars, MSDPVariable{Name: name, Value: v})
	}
}

// value decodes the value after a VAL, and returns how many levels of
// tables and arrays it nests.
func (d *msdpDecoder) value(depth int) (MSDPValue, int, error) {
	b, _ := d.peek()
	if b != MSDPTableOpen && b != MSDPArrayOpen {
		return MSDPValue{Kind: MSDPString, Text: d.text()}, 0, nil
	}
	if depth >= MSDPMaxDepth {
		return MSDPValue{}, 0, fmt.Errorf("negotiate: MSDP values nest deeper than %d: %w", MSDPMaxDepth, ErrMalformed)
	}
	d.i++
	if b == MSDPTableOpen {
		table, h, err := d.vars(depth+1, true)
		if err != nil {
			return MSDPValue{}, 0, err
		}
		return MSDPValue{Kind: MSDPTable, Table: table}, h + 1, nil
	}
	var elems []MSDPValue
	height := 0
	for {
		b, ok := d.peek()
		switch {
		case !ok:
			return MSDPValue{}, 0, fmt.Errorf("negotiate: MSDP array not closed: %w", ErrMalformed)
		case b == MSDPArrayClose:
			d.i++
			return MSDPValue{Kind: MSDPArray, Array: elems}, height + 1, nil
		case b != MSDPVal:
			return MSDPValue{}, 0, fmt.Errorf("negotiate: MSDP byte %d at offset %d in array, want VAL: %w", b, d.i, ErrMalformed)
		}
		d.i++
		e, h, err := d.value(depth + 1)
		if err != nil {
			return MSDPValue{}, 0, err
		}
		elems = append(elems, e)
		height = max(height, h)
	}
}
