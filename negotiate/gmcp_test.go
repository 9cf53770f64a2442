package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

// The GMCP messages telnetlib3's CLI client sends after DO GMCP: Core.Hello
// as observed, Core.Supports.Set with its module list shortened.
const (
	telnetlib3CoreHello    = `Core.Hello {"client":"telnetlib3","version":"4.0.5"}`
	telnetlib3CoreSupports = `Core.Supports.Set ["Char 1","Room 1","Group 1"]`
)

func TestGMCPEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		pkg  string
		json string
		want []byte
	}{
		{
			"telnetlib3 Core.Hello",
			"Core.Hello", `{"client":"telnetlib3","version":"4.0.5"}`,
			codecWire(0xff, 0xfa, 0xc9, `Core.Hello {"client":"telnetlib3","version":"4.0.5"}`, 0xff, 0xf0),
		},
		{
			"no JSON, no space",
			"Core.Ping", "",
			codecWire(0xff, 0xfa, 0xc9, "Core.Ping", 0xff, 0xf0),
		},
		{
			"IAC in the JSON is escaped by the framing",
			"Comm.Channel.Text", "\"\xff\"",
			codecWire(0xff, 0xfa, 0xc9, "Comm.Channel.Text \"", 0xff, 0xff, "\"", 0xff, 0xf0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := AppendGMCP(nil, tt.pkg, []byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendSubnegotiation(nil, GMCP, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

func TestAppendGMCPErrors(t *testing.T) {
	for _, pkg := range []string{"", "Core Hello", " Core", "Core\tHello", "Core\n", "Core\x00", "Core\x7f"} {
		got, err := AppendGMCP([]byte("keep"), pkg, []byte("{}"))
		if err == nil || string(got) != "keep" {
			t.Errorf("AppendGMCP(%q) = %q, %v; want dst unchanged and an error", pkg, got, err)
		}
	}
}

func TestParseGMCP(t *testing.T) {
	tests := []struct {
		name string
		p    string
		pkg  string
		json string
	}{
		{"telnetlib3 Core.Hello", telnetlib3CoreHello, "Core.Hello", `{"client":"telnetlib3","version":"4.0.5"}`},
		{"telnetlib3 Core.Supports.Set", telnetlib3CoreSupports, "Core.Supports.Set", telnetlib3CoreSupports[len("Core.Supports.Set "):]},
		{"no JSON", "Core.Ping", "Core.Ping", ""},
		{"trailing space, empty JSON", "Core.Ping ", "Core.Ping", ""},
		{"number", "Char.Vitals.hp 42", "Char.Vitals.hp", "42"},
		{"more spaces belong to the JSON", "Room.Info   {}", "Room.Info", "  {}"},
		{"255 byte in the JSON", "Comm.Channel.Text \"\xff\"", "Comm.Channel.Text", "\"\xff\""},
		{"non-ASCII package", "Café.Menu []", "Café.Menu", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg, json, err := ParseGMCP([]byte(tt.p))
			if err != nil {
				t.Fatal(err)
			}
			if pkg != tt.pkg || string(json) != tt.json {
				t.Errorf("got %q %q, want %q %q", pkg, json, tt.pkg, tt.json)
			}
			if tt.json == "" && json != nil {
				t.Errorf("empty JSON is %#v, want nil", json)
			}
		})
	}
}

func TestParseGMCPMalformed(t *testing.T) {
	for _, p := range []string{"", " ", " {}", "Core\x00Hello {}", "Core\tHello", "Core\r\n", "\xff\x01 {}"} {
		pkg, json, err := ParseGMCP([]byte(p))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseGMCP(%q) = %q, %q, %v; want ErrMalformed", p, pkg, json, err)
		}
	}
}

func TestParseGMCPDoesNotAlias(t *testing.T) {
	p := []byte(`Core.Hello {"a":1}`)
	_, json, err := ParseGMCP(p)
	if err != nil {
		t.Fatal(err)
	}
	p[len(p)-2] = '2'
	if string(json) != `{"a":1}` {
		t.Errorf("JSON aliases the payload: %s", json)
	}
}

func TestGMCPRoundTrip(t *testing.T) {
	tests := []struct{ pkg, json string }{
		{"Core.Hello", `{"client":"telnetlib3","version":"4.0.5"}`},
		{"Core.Ping", ""},
		{"Char.Items.List", ` {"location":"inv"}`},
		{"X", "\xff\x00 "},
	}
	for _, tt := range tests {
		p, err := AppendGMCP(nil, tt.pkg, []byte(tt.json))
		if err != nil {
			t.Fatal(err)
		}
		pkg, json, err := ParseGMCP(p)
		if err != nil || pkg != tt.pkg || string(json) != tt.json {
			t.Errorf("round trip of %q %q gave %q %q %v", tt.pkg, tt.json, pkg, json, err)
		}
	}
}

func FuzzParseGMCP(f *testing.F) {
	f.Add([]byte(telnetlib3CoreHello))
	f.Add([]byte(telnetlib3CoreSupports))
	f.Add([]byte("Core.Ping"))
	f.Add([]byte("Core.Ping "))
	f.Add([]byte(`Char.Vitals {"hp":"100","maxhp":"120"}`))
	f.Fuzz(func(t *testing.T, p []byte) {
		pkg, json, err := ParseGMCP(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := AppendGMCP(nil, pkg, json)
		if err != nil {
			t.Fatalf("re-encoding %q %q: %v", pkg, json, err)
		}
		pkg2, json2, err := ParseGMCP(again)
		if err != nil {
			t.Fatalf("re-encoded %q does not parse: %v", again, err)
		}
		if pkg2 != pkg || !bytes.Equal(json2, json) {
			t.Fatalf("decode-encode-decode changed %q %q into %q %q", pkg, json, pkg2, json2)
		}
	})
}
