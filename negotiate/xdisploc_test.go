package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

func TestXDISPLOCEncodeGolden(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    []byte
	}{
		// server-inetutils-telnetd.accept.log: SEND, then IS "localhost:0.0".
		{"send", AppendXDISPLOCSend(nil), []byte("\xff\xfa\x23\x01\xff\xf0")},
		{"is", AppendXDISPLOCIs(nil, "localhost:0.0"), []byte("\xff\xfa\x23\x00localhost:0.0\xff\xf0")},
		{"is ipv6", AppendXDISPLOCIs(nil, "[::1]:10"), []byte("\xff\xfa\x23\x00[::1]:10\xff\xf0")},
		{"is empty", AppendXDISPLOCIs(nil, ""), []byte("\xff\xfa\x23\x00\xff\xf0")},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, XDISPLOC, tt.payload)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: wire %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseXDISPLOC(t *testing.T) {
	tests := []struct {
		p       string
		cmd     SubCommand
		loc     string
		wantErr bool
	}{
		{"\x01", XDISPLOCSend, "", false},
		{"\x00localhost:0.0", XDISPLOCIs, "localhost:0.0", false},
		{"\x00:0", XDISPLOCIs, ":0", false},
		{"\x00unix:0.1", XDISPLOCIs, "unix:0.1", false},
		{"\x00", XDISPLOCIs, "", false},
		{"", 0, "", true},
		{"\x01localhost:0", 0, "", true},
		{"\x02localhost:0", 0, "", true},
		{"\xff", 0, "", true},
		{"\x00local\xffhost:0", 0, "", true},
		{"\x00localhost:0\r\n", 0, "", true},
		{"\x00h\xc3\xb4te:0", 0, "", true},
	}
	for _, tt := range tests {
		cmd, loc, err := ParseXDISPLOC([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%q: err = %v, want ErrMalformed", tt.p, err)
			}
			continue
		}
		if err != nil || cmd != tt.cmd || loc != tt.loc {
			t.Errorf("%q: got (%d, %q, %v), want (%d, %q)", tt.p, cmd, loc, err, tt.cmd, tt.loc)
		}
	}
}

func TestXDISPLOCRoundTrip(t *testing.T) {
	for _, loc := range []string{"localhost:0.0", ":0", "", "host.example.com:12.3"} {
		cmd, got, err := ParseXDISPLOC(AppendXDISPLOCIs(nil, loc))
		if err != nil || cmd != XDISPLOCIs || got != loc {
			t.Errorf("%q: got (%d, %q, %v)", loc, cmd, got, err)
		}
	}
	if cmd, _, err := ParseXDISPLOC(AppendXDISPLOCSend(nil)); err != nil || cmd != XDISPLOCSend {
		t.Errorf("SEND: got (%d, %v)", cmd, err)
	}
}

func FuzzParseXDISPLOC(f *testing.F) {
	for _, s := range []string{"\x01", "\x00localhost:0.0", "\x00", "", "\x01x", "\x00\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		cmd, loc, err := ParseXDISPLOC(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		var q []byte
		if cmd == XDISPLOCSend {
			q = AppendXDISPLOCSend(nil)
		} else {
			q = AppendXDISPLOCIs(nil, loc)
		}
		if !bytes.Equal(p, q) {
			t.Fatalf("re-encoded % x as % x", p, q)
		}
	})
}
