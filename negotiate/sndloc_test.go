package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

func TestSNDLOCEncodeGolden(t *testing.T) {
	tests := []struct {
		loc  string
		want []byte
	}{
		{"Building 7, room 12", []byte("\xff\xfa\x17Building 7, room 12\xff\xf0")},
		{"", []byte("\xff\xfa\x17\xff\xf0")},
		{"Z\xc3\xbcrich", []byte("\xff\xfa\x17Z\xc3\xbcrich\xff\xf0")},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, SNDLOC, AppendSNDLOC(nil, tt.loc))
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%q: wire %q, want %q", tt.loc, got, tt.want)
		}
	}
}

func TestParseSNDLOC(t *testing.T) {
	tests := []struct {
		p       string
		wantErr bool
	}{
		{"Building 7, room 12", false},
		{"", false},
		{"~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", false},
		{"Z\xc3\xbcrich", false},
		{"\xff", false}, // not ASCII, but not a control byte either
		{"room\r\n12", true},
		{"\x1b[2Jroom", true},
		{"room\x00", true},
		{"room\x7f", true},
	}
	for _, tt := range tests {
		loc, err := ParseSNDLOC([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%q: err = %v, want ErrMalformed", tt.p, err)
			}
			continue
		}
		if err != nil || loc != tt.p {
			t.Errorf("%q: got (%q, %v)", tt.p, loc, err)
		}
	}
}

func FuzzParseSNDLOC(f *testing.F) {
	for _, s := range []string{"Building 7, room 12", "", "\r\n", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		loc, err := ParseSNDLOC(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if q := AppendSNDLOC(nil, loc); !bytes.Equal(p, q) {
			t.Fatalf("re-encoded % x as % x", p, q)
		}
	})
}
