package negotiate

import (
	"bytes"
	"errors"
	"testing"
)

func TestNAWSEncodeGolden(t *testing.T) {
	tests := []struct {
		cols, rows int
		want       []byte
	}{
		{80, 24, []byte("\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0")}, // most captured clients
		{80, 25, []byte("\xff\xfa\x1f\x00\x50\x00\x19\xff\xf0")}, // telnetlib3 client
		{0, 0, []byte("\xff\xfa\x1f\x00\x00\x00\x00\xff\xf0")},
		{255, 24, []byte("\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0")}, // 255 doubled on the wire
		{80, 255, []byte("\xff\xfa\x1f\x00\x50\x00\xff\xff\xff\xf0")},
		{256, 511, []byte("\xff\xfa\x1f\x01\x00\x01\xff\xff\xff\xf0")},
		{65535, 65535, []byte("\xff\xfa\x1f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xf0")},
		{-5, 70000, []byte("\xff\xfa\x1f\x00\x00\xff\xff\xff\xff\xff\xf0")}, // clamped
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, NAWS, AppendNAWS(nil, tt.cols, tt.rows))
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%dx%d: wire % x, want % x", tt.cols, tt.rows, got, tt.want)
		}
	}
}

func TestParseNAWS(t *testing.T) {
	tests := []struct {
		p          string
		cols, rows int
		wantErr    bool
	}{
		{"\x00\x50\x00\x18", 80, 24, false},
		{"\x00\x4f\x00\x14", 79, 20, false}, // client-tf5.brief.log
		{"\x00\x50\x00\x2b", 80, 43, false}, // client-s3270.brief.log
		{"\x00\x00\x00\x00", 0, 0, false},
		{"\x00\xff\x00\x18", 255, 24, false},
		{"\xff\xff\xff\xff", 65535, 65535, false},
		{"\x12\x34\x56\x78", 0x1234, 0x5678, false},
		{"", 0, 0, true},
		{"\x00\x50\x00", 0, 0, true},
		{"\x00\x50\x00\x18\x00", 0, 0, true},
		{"\x00\xff\xff\x00\x18", 0, 0, true}, // IAC IAC not undone
	}
	for _, tt := range tests {
		cols, rows, err := ParseNAWS([]byte(tt.p))
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("% x: err = %v, want ErrMalformed", tt.p, err)
			}
			continue
		}
		if err != nil || cols != tt.cols || rows != tt.rows {
			t.Errorf("% x: got (%d, %d, %v), want (%d, %d)", tt.p, cols, rows, err, tt.cols, tt.rows)
		}
	}
}

func TestNAWSRoundTrip(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {0, 0}, {255, 255}, {1, 65535}, {65535, 1}, {132, 43}} {
		cols, rows, err := ParseNAWS(AppendNAWS(nil, sz[0], sz[1]))
		if err != nil || cols != sz[0] || rows != sz[1] {
			t.Errorf("%v: got (%d, %d, %v)", sz, cols, rows, err)
		}
	}
}

func FuzzParseNAWS(f *testing.F) {
	for _, s := range []string{"\x00\x50\x00\x18", "\x00\xff\x00\x18", "\xff\xff\xff\xff", "", "\x00\x50\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		cols, rows, err := ParseNAWS(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if cols < 0 || cols > 65535 || rows < 0 || rows > 65535 {
			t.Fatalf("out of range: %d, %d", cols, rows)
		}
		if q := AppendNAWS(nil, cols, rows); !bytes.Equal(p, q) {
			t.Fatalf("re-encoded % x as % x", p, q)
		}
	})
}
