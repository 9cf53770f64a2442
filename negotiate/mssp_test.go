package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// msspExample is the example of the MSSP specification
// (tintin.mudhalla.net/protocols/mssp).
var msspExample = []MSSPVariable{
	{Name: "NAME", Values: []string{"Mud Name"}},
	{Name: "PLAYERS", Values: []string{"52"}},
	{Name: "UPTIME", Values: []string{"1234567890"}},
}

var msspExamplePayload = codecWire(
	0x01, "NAME", 0x02, "Mud Name",
	0x01, "PLAYERS", 0x02, "52",
	0x01, "UPTIME", 0x02, "1234567890")

func TestMSSPEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		vars []MSSPVariable
		want []byte
	}{
		{"specification example", msspExample, codecWire(0xff, 0xfa, 0x46, msspExamplePayload, 0xff, 0xf0)},
		{
			"several values",
			[]MSSPVariable{{Name: "PORT", Values: []string{"23", "4000", "5000"}}},
			codecWire(0xff, 0xfa, 0x46, 0x01, "PORT", 0x02, "23", 0x02, "4000", 0x02, "5000", 0xff, 0xf0),
		},
		{
			"no value and empty value",
			[]MSSPVariable{{Name: "A"}, {Name: "B", Values: []string{""}}},
			codecWire(0xff, 0xfa, 0x46, 0x01, "A", 0x01, "B", 0x02, 0xff, 0xf0),
		},
		{
			"IAC in a value is escaped by the framing",
			[]MSSPVariable{{Name: "X", Values: []string{"\xff"}}},
			[]byte{0xff, 0xfa, 0x46, 0x01, 'X', 0x02, 0xff, 0xff, 0xff, 0xf0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := AppendMSSP(nil, tt.vars)
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendSubnegotiation(nil, MSSP, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

func TestAppendMSSPErrors(t *testing.T) {
	tests := []struct {
		name string
		vars []MSSPVariable
	}{
		{"no variables", nil},
		{"empty name", []MSSPVariable{{Name: "A", Values: []string{"1"}}, {Name: ""}}},
		{"VAR in name", []MSSPVariable{{Name: "A\x01B"}}},
		{"VAL in name", []MSSPVariable{{Name: "A\x02"}}},
		{"VAR in value", []MSSPVariable{{Name: "A", Values: []string{"ok", "\x01"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendMSSP([]byte("keep"), tt.vars)
			if err == nil || string(got) != "keep" {
				t.Errorf("got % x, %v; want dst unchanged and an error", got, err)
			}
		})
	}
}

func TestParseMSSP(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want []MSSPVariable
	}{
		{"specification example", msspExamplePayload, msspExample},
		{
			"several values",
			codecWire(0x01, "CODEBASE", 0x02, "tbaMUD", 0x02, "CircleMUD"),
			[]MSSPVariable{{Name: "CODEBASE", Values: []string{"tbaMUD", "CircleMUD"}}},
		},
		{
			"no value, empty values",
			codecWire(0x01, "A", 0x01, "B", 0x02, 0x02),
			[]MSSPVariable{{Name: "A"}, {Name: "B", Values: []string{"", ""}}},
		},
		{
			"repeated names are kept apart",
			codecWire(0x01, "PORT", 0x02, "23", 0x01, "PORT", 0x02, "4000"),
			[]MSSPVariable{{Name: "PORT", Values: []string{"23"}}, {Name: "PORT", Values: []string{"4000"}}},
		},
		{
			"NUL, 255 and other control bytes inside text",
			codecWire(0x01, "A\x03", 0x02, "\xff\x00\x06"),
			[]MSSPVariable{{Name: "A\x03", Values: []string{"\xff\x00\x06"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMSSP(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMSSPMalformed(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"starts with VAL", codecWire(0x02, "1")},
		{"text before VAR", codecWire("x", 0x01, "A", 0x02, "1")},
		{"255 before VAR", []byte{0xff, 0x01, 'A'}},
		{"empty name", codecWire(0x01, 0x02, "1")},
		{"empty name later", codecWire(0x01, "A", 0x02, "1", 0x01)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMSSP(tt.p)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseMSSP(% x) = %+v, %v; want ErrMalformed", tt.p, got, err)
			}
		})
	}
}

func TestParseMSSPDoesNotAlias(t *testing.T) {
	p := codecWire(0x01, "A", 0x02, "value")
	vars, err := ParseMSSP(p)
	if err != nil {
		t.Fatal(err)
	}
	copy(p[3:], "XXXXX")
	if vars[0].Values[0] != "value" {
		t.Errorf("value aliases the payload: %q", vars[0].Values[0])
	}
}

func TestMSSPRoundTrip(t *testing.T) {
	cases := [][]MSSPVariable{
		msspExample,
		{{Name: "A"}, {Name: "B", Values: []string{"", "x\xff", "\x00"}}, {Name: "A", Values: []string{"2"}}},
	}
	for _, vars := range cases {
		p, err := AppendMSSP(nil, vars)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseMSSP(p)
		if err != nil || !reflect.DeepEqual(got, vars) {
			t.Errorf("round trip of %+v gave %+v, %v", vars, got, err)
		}
	}
}

func FuzzParseMSSP(f *testing.F) {
	f.Add(msspExamplePayload)
	f.Add(codecWire(0x01, "CODEBASE", 0x02, "tbaMUD", 0x02, "CircleMUD"))
	f.Add(codecWire(0x01, "A", 0x01, "B", 0x02, 0x02))
	f.Fuzz(func(t *testing.T, p []byte) {
		vars, err := ParseMSSP(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := AppendMSSP(nil, vars)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", vars, err)
		}
		if !bytes.Equal(again, p) {
			t.Fatalf("re-encoding % x gave % x", p, again)
		}
		vars2, err := ParseMSSP(again)
		if err != nil || !reflect.DeepEqual(vars, vars2) {
			t.Fatalf("decode-encode-decode changed %+v into %+v (%v)", vars, vars2, err)
		}
	})
}
