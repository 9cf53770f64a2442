package negotiate

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// telnetlib3's server SEND list (reference section 1.3/1.5): eleven named
// VARs, then a bare VAR and a bare USERVAR for "everything else".
const envTelnetlib3Send = "\x01" +
	"\x00USER\x00LOGNAME\x00DISPLAY\x00LANG\x00TERM\x00TERM_PROGRAM" +
	"\x00COLUMNS\x00LINES\x00COLORTERM\x00EDITOR\x00IPADDRESS\x00\x03"

func envNames(names ...string) []EnvVar {
	vars := make([]EnvVar, len(names))
	for i, n := range names {
		vars[i] = EnvVar{Name: n}
	}
	return vars
}

var envTelnetlib3SendVars = append(envNames(
	"USER", "LOGNAME", "DISPLAY", "LANG", "TERM", "TERM_PROGRAM",
	"COLUMNS", "LINES", "COLORTERM", "EDITOR", "IPADDRESS", ""),
	EnvVar{User: true})

func TestEnvironEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		cmd  SubCommand
		vars []EnvVar
		want string // the wire bytes
	}{
		{
			name: "telnetlib3 SEND list", cmd: EnvironSend, vars: envTelnetlib3SendVars,
			want: "\xff\xfa\x27" + envTelnetlib3Send + "\xff\xf0",
		},
		{
			// server-inetutils-telnetd.accept.log: SEND with no list.
			name: "SEND everything", cmd: EnvironSend,
			want: "\xff\xfa\x27\x01\xff\xf0",
		},
		{
			// server-tintin-port.accept.log.
			name: "SEND one", cmd: EnvironSend, vars: envNames("SYSTEMTYPE"),
			want: "\xff\xfa\x27\x01\x00SYSTEMTYPE\xff\xf0",
		},
		{
			// client-kermit.brief.log.
			name: "IS kermit", cmd: EnvironIs,
			vars: []EnvVar{
				{Name: "USER", Value: "root", HasValue: true},
				{Name: "SYSTEMTYPE", Value: "UNIX", HasValue: true},
			},
			want: "\xff\xfa\x27\x00\x00USER\x01root\x00SYSTEMTYPE\x01UNIX\xff\xf0",
		},
		{
			// server-netkit-telnetd.accept.log (answer of the test client).
			name: "IS VAR and USERVAR", cmd: EnvironIs,
			vars: []EnvVar{
				{Name: "USER", Value: "tester", HasValue: true},
				{Name: "LANG", Value: "C.UTF-8", HasValue: true, User: true},
			},
			want: "\xff\xfa\x27\x00\x00USER\x01tester\x03LANG\x01C.UTF-8\xff\xf0",
		},
		{
			// client-inetutils.brief.log: an empty IS.
			name: "IS nothing", cmd: EnvironIs,
			want: "\xff\xfa\x27\x00\xff\xf0",
		},
		{
			name: "INFO undefined and empty", cmd: EnvironInfo,
			vars: []EnvVar{{Name: "DISPLAY"}, {Name: "PRINTER", HasValue: true}},
			want: "\xff\xfa\x27\x02\x00DISPLAY\x00PRINTER\x01\xff\xf0",
		},
		{
			// All four type codes are escaped in names and values (telnetlib3
			// escapes only VAR and USERVAR); IAC is doubled by the framing.
			name: "escaping", cmd: EnvironIs,
			vars: []EnvVar{{Name: "a\x00b\x01c\x02d\x03e", Value: "\x01\xff\x02", HasValue: true, User: true}},
			want: "\xff\xfa\x27\x00\x03a\x02\x00b\x02\x01c\x02\x02d\x02\x03e\x01\x02\x01\xff\xff\x02\x02\xff\xf0",
		},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, NewEnviron, AppendEnviron(nil, tt.cmd, tt.vars))
		if !bytes.Equal(got, []byte(tt.want)) {
			t.Errorf("%s: wire % x, want % x", tt.name, got, tt.want)
		}
	}
}

func TestParseEnviron(t *testing.T) {
	tests := []struct {
		name string
		p    string
		cmd  SubCommand
		vars []EnvVar
	}{
		{"telnetlib3 SEND list", envTelnetlib3Send, EnvironSend, envTelnetlib3SendVars},
		{"SEND everything", "\x01", EnvironSend, nil},
		{"SEND one", "\x01\x00SYSTEMTYPE", EnvironSend, envNames("SYSTEMTYPE")},
		{"SEND all USERVARs", "\x01\x03", EnvironSend, []EnvVar{{User: true}}},
		{
			"IS kermit", "\x00\x00USER\x01root\x00SYSTEMTYPE\x01UNIX", EnvironIs,
			[]EnvVar{{Name: "USER", Value: "root", HasValue: true}, {Name: "SYSTEMTYPE", Value: "UNIX", HasValue: true}},
		},
		{
			"IS s3270", "\x00\x00USER\x01UNKNOWN", EnvironIs,
			[]EnvVar{{Name: "USER", Value: "UNKNOWN", HasValue: true}},
		},
		{
			"IS VAR and USERVAR", "\x00\x00USER\x01tester\x03LANG\x01C.UTF-8", EnvironIs,
			[]EnvVar{{Name: "USER", Value: "tester", HasValue: true}, {Name: "LANG", Value: "C.UTF-8", HasValue: true, User: true}},
		},
		{"IS nothing", "\x00", EnvironIs, nil},
		{
			"INFO undefined vs empty", "\x02\x00DISPLAY\x00PRINTER\x01\x03X\x01", EnvironInfo,
			[]EnvVar{{Name: "DISPLAY"}, {Name: "PRINTER", HasValue: true}, {Name: "X", User: true, HasValue: true}},
		},
		{
			"ESC undone", "\x00\x03a\x02\x00b\x02\x01c\x02\x02d\x02\x03e\x01\x02\x01\xff\x02\x02", EnvironIs,
			[]EnvVar{{Name: "a\x00b\x01c\x02d\x03e", Value: "\x01\xff\x02", HasValue: true, User: true}},
		},
		{
			"ESC before a plain byte keeps the byte", "\x00\x00A\x02B\x01\x02x", EnvironIs,
			[]EnvVar{{Name: "AB", Value: "x", HasValue: true}},
		},
		{"byte 255 is data", "\x00\x00\xff\x01\xff\xff", EnvironIs, []EnvVar{{Name: "\xff", Value: "\xff\xff", HasValue: true}}},
		{"empty name", "\x00\x00\x01v", EnvironIs, []EnvVar{{Value: "v", HasValue: true}}},
	}
	for _, tt := range tests {
		cmd, vars, err := ParseEnviron([]byte(tt.p))
		if err != nil || cmd != tt.cmd || !slices.Equal(vars, tt.vars) {
			t.Errorf("%s: got (%d, %+v, %v), want (%d, %+v)", tt.name, cmd, vars, err, tt.cmd, tt.vars)
		}
	}
}

func TestParseEnvironMalformed(t *testing.T) {
	tests := []struct{ name, p string }{
		{"empty", ""},
		{"sub-command 3", "\x03\x00USER"},
		{"sub-command 255", "\xff"},
		{"text before the first VAR", "\x00junk\x00USER\x01root"},
		{"VALUE first (swapped codes)", "\x00\x01USER\x00root"},
		{"ESC first", "\x00\x02\x00USER"},
		{"second VALUE", "\x00\x00USER\x01a\x01b"},
		{"ends in ESC", "\x00\x00USER\x01ro\x02"},
		{"only ESC", "\x00\x02"},
		{"SEND with text", "\x01USER"},
	}
	for _, tt := range tests {
		cmd, vars, err := ParseEnviron([]byte(tt.p))
		if !errors.Is(err, ErrMalformed) || cmd != 0 || vars != nil {
			t.Errorf("%s: got (%d, %+v, %v), want ErrMalformed", tt.name, cmd, vars, err)
		}
	}
}

func TestEnvironRoundTrip(t *testing.T) {
	tests := []struct {
		cmd  SubCommand
		vars []EnvVar
	}{
		{EnvironSend, envTelnetlib3SendVars},
		{EnvironSend, nil},
		{EnvironIs, []EnvVar{{Name: "USER", Value: "root", HasValue: true}, {Name: "X", User: true}}},
		{EnvironInfo, []EnvVar{{Name: "\x00\x01\x02\x03\xff", Value: "\x03\x02\x01\x00", HasValue: true}}},
		{EnvironIs, []EnvVar{{Name: "", HasValue: true}, {Name: "", User: true}}},
	}
	for _, tt := range tests {
		cmd, vars, err := ParseEnviron(AppendEnviron(nil, tt.cmd, tt.vars))
		if err != nil || cmd != tt.cmd || !slices.Equal(vars, tt.vars) {
			t.Errorf("NEW %d %+v: got (%d, %+v, %v)", tt.cmd, tt.vars, cmd, vars, err)
		}
		for _, codes := range []OldEnvironCodes{OldEnvironRFC, OldEnvironBSD} {
			cmd, vars, used, err := ParseOldEnviron(AppendOldEnviron(nil, tt.cmd, tt.vars, codes), codes)
			if err != nil || cmd != tt.cmd || used != codes || !slices.Equal(vars, tt.vars) {
				t.Errorf("OLD %v %d %+v: got (%d, %+v, %v, %v)", codes, tt.cmd, tt.vars, cmd, vars, used, err)
			}
		}
	}
}

func TestOldEnvironEncodeGolden(t *testing.T) {
	userRoot := []EnvVar{{Name: "USER", Value: "root", HasValue: true}}
	tests := []struct {
		name  string
		cmd   SubCommand
		vars  []EnvVar
		codes OldEnvironCodes
		want  string
	}{
		// client-plink.extra.log: IAC SB OLD-ENVIRON IS VALUE(1) "USER" VAR(0) "root" IAC SE.
		{"plink IS, BSD codes", EnvironIs, userRoot, OldEnvironBSD, "\xff\xfa\x24\x00\x01USER\x00root\xff\xf0"},
		{"IS, RFC codes", EnvironIs, userRoot, OldEnvironRFC, "\xff\xfa\x24\x00\x00USER\x01root\xff\xf0"},
		{"IS, unknown codes are RFC", EnvironIs, userRoot, OldEnvironUnknown, "\xff\xfa\x24\x00\x00USER\x01root\xff\xf0"},
		{"SEND, BSD codes", EnvironSend, envNames("USER", ""), OldEnvironBSD, "\xff\xfa\x24\x01\x01USER\x01\xff\xf0"},
		{
			"escaping, BSD codes", EnvironIs,
			[]EnvVar{{Name: "\x00\x01", Value: "\x02\x03", HasValue: true, User: true}}, OldEnvironBSD,
			"\xff\xfa\x24\x00\x03\x02\x00\x02\x01\x00\x02\x02\x02\x03\xff\xf0",
		},
	}
	for _, tt := range tests {
		got := AppendSubnegotiation(nil, OldEnviron, AppendOldEnviron(nil, tt.cmd, tt.vars, tt.codes))
		if !bytes.Equal(got, []byte(tt.want)) {
			t.Errorf("%s: wire % x, want % x", tt.name, got, tt.want)
		}
	}
}

func TestParseOldEnviron(t *testing.T) {
	tests := []struct {
		name  string
		p     string
		codes OldEnvironCodes // passed in
		used  OldEnvironCodes // returned
		cmd   SubCommand
		vars  []EnvVar
	}{
		{
			// client-plink.extra.log, the BSD layout.
			"plink IS", "\x00\x01USER\x00root", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "USER", Value: "root", HasValue: true}},
		},
		{
			"IS starts with VAR", "\x00\x00USER\x01root", OldEnvironUnknown, OldEnvironRFC, EnvironIs,
			[]EnvVar{{Name: "USER", Value: "root", HasValue: true}},
		},
		{"SEND nothing", "\x01", OldEnvironUnknown, OldEnvironUnknown, EnvironSend, nil},
		{"SEND bare USERVAR", "\x01\x03", OldEnvironUnknown, OldEnvironUnknown, EnvironSend, []EnvVar{{User: true}}},
		{"SEND with VALUE is BSD", "\x01\x03X\x01USER", OldEnvironUnknown, OldEnvironBSD, EnvironSend, []EnvVar{{Name: "X", User: true}, {Name: "USER"}}},
		{"SEND with VAR is RFC", "\x01\x00USER", OldEnvironUnknown, OldEnvironRFC, EnvironSend, envNames("USER")},
		{
			"two VARs in a row", "\x00\x03a\x00b\x00c", OldEnvironUnknown, OldEnvironRFC, EnvironIs,
			[]EnvVar{{Name: "a", User: true}, {Name: "b"}, {Name: "c"}},
		},
		{
			"two VALUEs in a row", "\x00\x03a\x01b\x01c", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a", User: true}, {Name: "b"}, {Name: "c"}},
		},
		{
			"empty VALUE", "\x00\x03a\x01", OldEnvironUnknown, OldEnvironRFC, EnvironIs,
			[]EnvVar{{Name: "a", User: true, HasValue: true}},
		},
		{
			"empty VAR", "\x00\x03a\x00", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a", User: true, HasValue: true}},
		},
		{
			"USERVARs + VARs = VALUEs", "\x00\x03a\x01x\x03b\x01y", OldEnvironUnknown, OldEnvironRFC, EnvironIs,
			[]EnvVar{{Name: "a", Value: "x", User: true, HasValue: true}, {Name: "b", Value: "y", User: true, HasValue: true}},
		},
		{
			"USERVARs + VALUEs = VARs", "\x00\x03a\x00x\x03b\x00y", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a", Value: "x", User: true, HasValue: true}, {Name: "b", Value: "y", User: true, HasValue: true}},
		},
		{
			"well-known VAR", "\x00\x03a\x00USER\x01x\x03b", OldEnvironUnknown, OldEnvironRFC, EnvironIs,
			[]EnvVar{{Name: "a", User: true}, {Name: "USER", Value: "x", HasValue: true}, {Name: "b", User: true}},
		},
		{
			"well-known VALUE", "\x00\x03a\x01DISPLAY\x00x\x03b", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a", User: true}, {Name: "DISPLAY", Value: "x", HasValue: true}, {Name: "b", User: true}},
		},
		{
			"no evidence", "\x00\x03a\x00foo\x01bar\x03b", OldEnvironUnknown, OldEnvironUnknown, EnvironIs,
			[]EnvVar{{Name: "a", User: true}, {Name: "foo", Value: "bar", HasValue: true}, {Name: "b", User: true}},
		},
		{"IS nothing", "\x00", OldEnvironUnknown, OldEnvironUnknown, EnvironIs, nil},
		{
			// The "no evidence" payload read with codes the caller had
			// settled on.
			"known codes are kept", "\x00\x03a\x00foo\x01bar\x03b", OldEnvironBSD, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a", Value: "foo", User: true, HasValue: true}, {Name: "bar"}, {Name: "b", User: true}},
		},
		{
			"escaped codes are no evidence", "\x00\x03a\x02\x01\x02\x01\x00x", OldEnvironUnknown, OldEnvironBSD, EnvironIs,
			[]EnvVar{{Name: "a\x01\x01", Value: "x", User: true, HasValue: true}},
		},
	}
	for _, tt := range tests {
		cmd, vars, used, err := ParseOldEnviron([]byte(tt.p), tt.codes)
		if err != nil || cmd != tt.cmd || used != tt.used || !slices.Equal(vars, tt.vars) {
			t.Errorf("%s: got (%d, %+v, %v, %v), want (%d, %+v, %v)", tt.name, cmd, vars, used, err, tt.cmd, tt.vars, tt.used)
		}
	}
	// The plink payload read with the RFC codes, as a caller that had
	// settled on them would: the VALUE comes first.
	if _, _, used, err := ParseOldEnviron([]byte("\x00\x01USER\x00root"), OldEnvironRFC); !errors.Is(err, ErrMalformed) || used != OldEnvironRFC {
		t.Errorf("plink with RFC codes: err = %v, used = %v", err, used)
	}
	for _, p := range []string{"", "\x03", "\x00junk", "\x00\x00a\x02"} {
		if _, _, _, err := ParseOldEnviron([]byte(p), OldEnvironUnknown); !errors.Is(err, ErrMalformed) {
			t.Errorf("% x: err = %v, want ErrMalformed", p, err)
		}
	}
}

func TestOldEnvironCodesString(t *testing.T) {
	for c, want := range map[OldEnvironCodes]string{
		OldEnvironUnknown: "unknown", OldEnvironRFC: "RFC", OldEnvironBSD: "BSD", 7: "OldEnvironCodes(7)",
	} {
		if got := c.String(); got != want {
			t.Errorf("%d: %q, want %q", byte(c), got, want)
		}
	}
}

// TestParseEnvironAllocations checks the bound on memory: a fixed number
// of allocations whatever the input, and none of them larger than a small
// multiple of it.
func TestParseEnvironAllocations(t *testing.T) {
	p := []byte{byte(EnvironIs)}
	for range 1000 {
		p = append(p, EnvironVar, 'N', EnvironEsc, EnvironValue, EnvironValue, 'v')
	}
	allocs := testing.AllocsPerRun(10, func() {
		if _, _, err := ParseEnviron(p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 3 {
		t.Errorf("ParseEnviron made %v allocations, want at most 3", allocs)
	}
	_, vars, _ := ParseEnviron(p)
	if len(vars) != 1000 || vars[999] != (EnvVar{Name: "N\x01", Value: "v", HasValue: true}) {
		t.Errorf("got %d vars, last %+v", len(vars), vars[len(vars)-1])
	}
	// A payload of bare VARs: one variable per byte, no text.
	bare := append([]byte{byte(EnvironSend)}, strings.Repeat("\x00", 5000)...)
	if _, vars, err := ParseEnviron(bare); err != nil || len(vars) != 5000 || cap(vars) != 5000 {
		t.Errorf("bare VARs: %d vars (cap %d), %v", len(vars), cap(vars), err)
	}
}

func FuzzParseEnviron(f *testing.F) {
	for _, s := range []string{
		envTelnetlib3Send,
		"\x01", "\x00", "\x01\x00SYSTEMTYPE",
		"\x00\x00USER\x01root\x00SYSTEMTYPE\x01UNIX",
		"\x00\x00USER\x01tester\x03LANG\x01C.UTF-8",
		"\x00\x01USER\x00root", // plink, OLD-ENVIRON
		"\x02\x00DISPLAY\x00PRINTER\x01\x03X\x01",
		"\x00\x03a\x02\x00b\x02\x01c\x02\x02d\x02\x03e\x01\x02\x01\xff\x02\x02",
		"\x00\x03a\x01b\x01c", "\x00\x03a\x00", "\x00junk", "\x00\x00a\x02", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		checkBound := func(vars []EnvVar) {
			if len(vars) > len(p) {
				t.Fatalf("%d vars from %d bytes", len(vars), len(p))
			}
			n := 0
			for _, v := range vars {
				n += len(v.Name) + len(v.Value)
			}
			if n > len(p) {
				t.Fatalf("%d bytes of text from %d bytes", n, len(p))
			}
		}

		cmd, vars, err := ParseEnviron(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("NEW: error %v does not wrap ErrMalformed", err)
			}
		} else {
			checkBound(vars)
			q := AppendEnviron(nil, cmd, vars)
			cmd2, vars2, err := ParseEnviron(q)
			if err != nil || cmd2 != cmd || !slices.Equal(vars, vars2) {
				t.Fatalf("NEW: % x re-encoded as % x decodes to (%d, %+v, %v), want (%d, %+v)", p, q, cmd2, vars2, err, cmd, vars)
			}
		}

		cmd, vars, used, err := ParseOldEnviron(p, OldEnvironUnknown)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("OLD: error %v does not wrap ErrMalformed", err)
			}
			return
		}
		checkBound(vars)
		q := AppendOldEnviron(nil, cmd, vars, used)
		cmd2, vars2, used2, err := ParseOldEnviron(q, used)
		if err != nil || cmd2 != cmd || used2 != used || !slices.Equal(vars, vars2) {
			t.Fatalf("OLD: % x re-encoded (%v) as % x decodes to (%d, %+v, %v, %v), want (%d, %+v)", p, used, q, cmd2, vars2, used2, err, cmd, vars)
		}
	})
}
