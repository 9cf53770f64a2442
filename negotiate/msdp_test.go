package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// msdpRoom is the ROOM table of the MSDP specification's example.
var msdpRoom = []MSDPVariable{{Name: "ROOM", Value: MSDPTableValue(
	MSDPVariable{Name: "VNUM", Value: MSDPStringValue("6008")},
	MSDPVariable{Name: "NAME", Value: MSDPStringValue("The forest clearing")},
	MSDPVariable{Name: "AREA", Value: MSDPStringValue("Haon Dor")},
	MSDPVariable{Name: "EXITS", Value: MSDPTableValue(
		MSDPVariable{Name: "n", Value: MSDPStringValue("6011")},
		MSDPVariable{Name: "e", Value: MSDPStringValue("6007")},
	)},
)}}

// msdpRoomPayload is msdpRoom as the specification writes it.
var msdpRoomPayload = codecWire(
	0x01, "ROOM", 0x02, 0x03,
	0x01, "VNUM", 0x02, "6008",
	0x01, "NAME", 0x02, "The forest clearing",
	0x01, "AREA", 0x02, "Haon Dor",
	0x01, "EXITS", 0x02, 0x03,
	0x01, "n", 0x02, "6011",
	0x01, "e", 0x02, "6007",
	0x04,
	0x04)

// msdpNested returns depth arrays nested in each other around "x".
func msdpNested(depth int) MSDPValue {
	v := MSDPStringValue("x")
	for range depth {
		v = MSDPArrayValue(v)
	}
	return v
}

// msdpNestedPayload returns VAR "V" VAL and depth nested arrays around "x".
func msdpNestedPayload(depth int) []byte {
	p := codecWire(0x01, "V", 0x02)
	p = append(p, bytes.Repeat([]byte{0x05, 0x02}, depth)...)
	p = append(p, 'x')
	return append(p, bytes.Repeat([]byte{0x06}, depth)...)
}

func TestMSDPEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		vars []MSDPVariable
		want []byte
	}{
		{
			"LIST COMMANDS",
			[]MSDPVariable{{Name: "LIST", Value: MSDPStringValue("COMMANDS")}},
			codecWire(0xff, 0xfa, 0x45, 0x01, "LIST", 0x02, "COMMANDS", 0xff, 0xf0),
		},
		{
			"array",
			[]MSDPVariable{{Name: "REPORTABLE_VARIABLES", Value: MSDPArrayValue(MSDPStringValue("HEALTH"), MSDPStringValue("MANA"))}},
			codecWire(0xff, 0xfa, 0x45, 0x01, "REPORTABLE_VARIABLES", 0x02, 0x05, 0x02, "HEALTH", 0x02, "MANA", 0x06, 0xff, 0xf0),
		},
		{
			"nested tables",
			msdpRoom,
			codecWire(0xff, 0xfa, 0x45, msdpRoomPayload, 0xff, 0xf0),
		},
		{
			"several variables, empty value, empty array and table",
			[]MSDPVariable{
				{Name: "HEALTH", Value: MSDPStringValue("100")},
				{Name: "AFFECTS", Value: MSDPArrayValue()},
				{Name: "GROUP", Value: MSDPTableValue()},
				{Name: "TARGET", Value: MSDPStringValue("")},
			},
			codecWire(0xff, 0xfa, 0x45, 0x01, "HEALTH", 0x02, "100", 0x01, "AFFECTS", 0x02, 0x05, 0x06,
				0x01, "GROUP", 0x02, 0x03, 0x04, 0x01, "TARGET", 0x02, 0xff, 0xf0),
		},
		{
			"IAC in a value is escaped by the framing",
			[]MSDPVariable{{Name: "X", Value: MSDPStringValue("\xff")}},
			[]byte{0xff, 0xfa, 0x45, 0x01, 'X', 0x02, 0xff, 0xff, 0xff, 0xf0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := AppendMSDP(nil, tt.vars)
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendSubnegotiation(nil, MSDP, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

func TestAppendMSDPErrors(t *testing.T) {
	tests := []struct {
		name string
		vars []MSDPVariable
	}{
		{"no variables", nil},
		{"empty name", []MSDPVariable{{Name: "", Value: MSDPStringValue("x")}}},
		{"control byte in name", []MSDPVariable{{Name: "A\x02B", Value: MSDPStringValue("x")}}},
		{"control byte in value", []MSDPVariable{{Name: "A", Value: MSDPStringValue("x\x06")}}},
		{"control byte deep inside", []MSDPVariable{{Name: "A", Value: MSDPTableValue(
			MSDPVariable{Name: "B", Value: MSDPArrayValue(MSDPStringValue("ok"), MSDPStringValue("\x01"))})}}},
		{"empty name in table", []MSDPVariable{{Name: "A", Value: MSDPTableValue(MSDPVariable{Value: MSDPStringValue("x")})}}},
		{"unknown kind", []MSDPVariable{{Name: "A", Value: MSDPValue{Kind: 3}}}},
		{"too deep", []MSDPVariable{{Name: "A", Value: msdpNested(MSDPMaxDepth + 1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendMSDP([]byte("keep"), tt.vars)
			if err == nil || string(got) != "keep" {
				t.Errorf("got % x, %v; want dst unchanged and an error", got, err)
			}
		})
	}
}

func TestParseMSDP(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want []MSDPVariable
	}{
		{
			"LIST COMMANDS",
			codecWire(0x01, "LIST", 0x02, "COMMANDS"),
			[]MSDPVariable{{Name: "LIST", Value: MSDPStringValue("COMMANDS")}},
		},
		{"nested tables", msdpRoomPayload, msdpRoom},
		{
			"array",
			codecWire(0x01, "REPORTABLE_VARIABLES", 0x02, 0x05, 0x02, "HEALTH", 0x02, "MANA", 0x06),
			[]MSDPVariable{{Name: "REPORTABLE_VARIABLES", Value: MSDPArrayValue(MSDPStringValue("HEALTH"), MSDPStringValue("MANA"))}},
		},
		{
			"several VALs make an array",
			codecWire(0x01, "REPORT", 0x02, "HEALTH", 0x02, "MANA", 0x02, "MOVEMENT"),
			[]MSDPVariable{{Name: "REPORT", Value: MSDPArrayValue(MSDPStringValue("HEALTH"), MSDPStringValue("MANA"), MSDPStringValue("MOVEMENT"))}},
		},
		{
			"several VALs inside a table",
			codecWire(0x01, "T", 0x02, 0x03, 0x01, "A", 0x02, "1", 0x02, 0x05, 0x06, 0x01, "B", 0x02, "2", 0x04),
			[]MSDPVariable{{Name: "T", Value: MSDPTableValue(
				MSDPVariable{Name: "A", Value: MSDPArrayValue(MSDPStringValue("1"), MSDPArrayValue())},
				MSDPVariable{Name: "B", Value: MSDPStringValue("2")},
			)}},
		},
		{
			"VAR without VAL is the empty string",
			codecWire(0x01, "SEND", 0x01, "X", 0x02),
			[]MSDPVariable{{Name: "SEND", Value: MSDPStringValue("")}, {Name: "X", Value: MSDPStringValue("")}},
		},
		{
			"empty array and table",
			codecWire(0x01, "A", 0x02, 0x05, 0x06, 0x01, "T", 0x02, 0x03, 0x04),
			[]MSDPVariable{{Name: "A", Value: MSDPArrayValue()}, {Name: "T", Value: MSDPTableValue()}},
		},
		{
			"array of tables",
			codecWire(0x01, "G", 0x02, 0x05, 0x02, 0x03, 0x01, "N", 0x02, "a", 0x04, 0x02, 0x03, 0x04, 0x06),
			[]MSDPVariable{{Name: "G", Value: MSDPArrayValue(
				MSDPTableValue(MSDPVariable{Name: "N", Value: MSDPStringValue("a")}),
				MSDPTableValue(),
			)}},
		},
		{
			"NUL and 255 inside strings",
			codecWire(0x01, "A\x00", 0x02, "\xff\x00\xff"),
			[]MSDPVariable{{Name: "A\x00", Value: MSDPStringValue("\xff\x00\xff")}},
		},
		{
			"repeated names are kept",
			codecWire(0x01, "A", 0x02, "1", 0x01, "A", 0x02, "2"),
			[]MSDPVariable{{Name: "A", Value: MSDPStringValue("1")}, {Name: "A", Value: MSDPStringValue("2")}},
		},
		{
			"maximum depth",
			msdpNestedPayload(MSDPMaxDepth),
			[]MSDPVariable{{Name: "V", Value: msdpNested(MSDPMaxDepth)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMSDP(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMSDPMalformed(t *testing.T) {
	tooDeepMultiVal := codecWire(0x01, "V", 0x02, msdpNestedPayload(MSDPMaxDepth)[3:], 0x02, "y")
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"starts with VAL", codecWire(0x02, "x")},
		{"text before VAR", codecWire("x", 0x01, "A", 0x02, "1")},
		{"empty name", codecWire(0x01, 0x02, "x")},
		{"empty name in table", codecWire(0x01, "T", 0x02, 0x03, 0x01, 0x02, "x", 0x04)},
		{"TABLE_CLOSE at top level", codecWire(0x01, "A", 0x02, "1", 0x04)},
		{"ARRAY_CLOSE at top level", codecWire(0x01, "A", 0x02, "1", 0x06)},
		{"TABLE_OPEN after a string", codecWire(0x01, "A", 0x02, "1", 0x03, 0x04)},
		{"unclosed table", codecWire(0x01, "T", 0x02, 0x03, 0x01, "A", 0x02, "1")},
		{"unclosed array", codecWire(0x01, "A", 0x02, 0x05, 0x02, "1")},
		{"array element without VAL", codecWire(0x01, "A", 0x02, 0x05, "1", 0x06)},
		{"VAR inside an array", codecWire(0x01, "A", 0x02, 0x05, 0x01, "B", 0x02, "1", 0x06)},
		{"TABLE_CLOSE closing an array", codecWire(0x01, "A", 0x02, 0x05, 0x02, "1", 0x04)},
		{"ARRAY_CLOSE closing a table", codecWire(0x01, "T", 0x02, 0x03, 0x01, "A", 0x02, "1", 0x06)},
		{"too deep", msdpNestedPayload(MSDPMaxDepth + 1)},
		{"hostile depth", bytes.Repeat([]byte{0x01, 'a', 0x02, 0x03}, 100000)},
		{"several VALs too deep to become an array", tooDeepMultiVal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMSDP(tt.p)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseMSDP = %+v, %v; want ErrMalformed", got, err)
			}
		})
	}
}

func TestParseMSDPDoesNotAlias(t *testing.T) {
	p := codecWire(0x01, "A", 0x02, "value")
	vars, err := ParseMSDP(p)
	if err != nil {
		t.Fatal(err)
	}
	copy(p[3:], "XXXXX")
	if vars[0].Value.Text != "value" {
		t.Errorf("value aliases the payload: %q", vars[0].Value.Text)
	}
}

func TestParseMSDPAllocationBounded(t *testing.T) {
	// Many tiny arrays: every MSDPValue must cost input bytes.
	p := codecWire(0x01, "A", 0x02, 0x05)
	p = append(p, bytes.Repeat([]byte{0x02, 0x05, 0x06}, 10000)...)
	p = append(p, 0x06)
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := ParseMSDP(p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 100 {
		t.Errorf("%v allocations for %d bytes", allocs, len(p))
	}
}

func TestMSDPRoundTrip(t *testing.T) {
	cases := [][]MSDPVariable{
		msdpRoom,
		{{Name: "V", Value: msdpNested(MSDPMaxDepth)}},
		{{Name: "A", Value: MSDPArrayValue(MSDPArrayValue(), MSDPTableValue(), MSDPStringValue(""))}},
		{{Name: strings.Repeat("N", 300), Value: MSDPStringValue("\x00\xff\x07")}},
	}
	for _, vars := range cases {
		p, err := AppendMSDP(nil, vars)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseMSDP(p)
		if err != nil || !reflect.DeepEqual(got, vars) {
			t.Errorf("round trip of %+v gave %+v, %v", vars, got, err)
		}
	}
}

func FuzzParseMSDP(f *testing.F) {
	f.Add(codecWire(0x01, "LIST", 0x02, "COMMANDS"))
	f.Add(msdpRoomPayload)
	f.Add(codecWire(0x01, "REPORTABLE_VARIABLES", 0x02, 0x05, 0x02, "HEALTH", 0x02, "MANA", 0x06))
	f.Add(codecWire(0x01, "REPORT", 0x02, "HEALTH", 0x02, "MANA"))
	f.Add(codecWire(0x01, "G", 0x02, 0x05, 0x02, 0x03, 0x01, "N", 0x02, "a", 0x04, 0x02, 0x03, 0x04, 0x06))
	f.Add(msdpNestedPayload(MSDPMaxDepth))
	f.Fuzz(func(t *testing.T, p []byte) {
		vars, err := ParseMSDP(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := AppendMSDP(nil, vars)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", vars, err)
		}
		vars2, err := ParseMSDP(again)
		if err != nil {
			t.Fatalf("re-encoded % x does not parse: %v", again, err)
		}
		if !reflect.DeepEqual(vars, vars2) {
			t.Fatalf("decode-encode-decode changed %+v into %+v", vars, vars2)
		}
	})
}
