package telnet

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"
)

// proxyHeader is the PROXY header of version v that says the client is
// at from.
func proxyHeader(t *testing.T, v byte, from, to string) []byte {
	t.Helper()
	src, dst := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(from)), net.TCPAddrFromAddrPort(netip.MustParseAddrPort(to))
	h := proxyproto.HeaderProxyFromAddrs(v, src, dst)
	b, err := h.Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProxyListener(t *testing.T) {
	for _, tc := range []struct {
		name     string
		trusted  string
		header   []byte
		wantAddr string // "" for the direct peer's
		wantData string
	}{
		{"v1", "127.0.0.0/8", proxyHeader(t, 1, "203.0.113.7:4242", "127.0.0.1:23"), "203.0.113.7:4242", "hello\n"},
		{"v2", "127.0.0.1", proxyHeader(t, 2, "[2001:db8::1]:4242", "[::1]:23"), "[2001:db8::1]:4242", "hello\n"},
		{"trusted without a header", "127.0.0.1", nil, "", "hello\n"},
		// From elsewhere, the header is data, never believed.
		{"untrusted", "10.0.0.0/8", proxyHeader(t, 1, "203.0.113.7:4242", "127.0.0.1:23"), "",
			"PROXY TCP4 203.0.113.7 127.0.0.1 4242 23\nhello\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trusted, err := ParsePrefixes(tc.trusted)
			if err != nil {
				t.Fatal(err)
			}
			inner, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l := NewListener(NewProxyListener(inner, trusted...))
			defer l.Close()
			raw, err := net.Dial("tcp", inner.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Write(append(tc.header, "hello\r\n"...)); err != nil {
				t.Fatal(err)
			}
			nc, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			server := nc.(*Conn)
			client := Client(raw)
			handshakeBoth(t, client, server)
			want := tc.wantAddr
			if want == "" {
				want = raw.LocalAddr().String()
			}
			if got := server.RemoteAddr().String(); got != want {
				t.Errorf("RemoteAddr = %s, want %s", got, want)
			}
			server.SetReadDeadline(time.Now().Add(5 * time.Second))
			got := make([]byte, len(tc.wantData))
			if _, err := io.ReadFull(server, got); err != nil || string(got) != tc.wantData {
				t.Errorf("read %q, %v; want %q", got, err, tc.wantData)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes(" 127.0.0.1, 10.1.2.3/8 ,::1,::ffff:192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	want := "[127.0.0.1/32 10.0.0.0/8 ::1/128 192.0.2.1/32]"
	if fmt.Sprint(got) != want {
		t.Errorf("ParsePrefixes = %v, want %s", got, want)
	}
	for _, bad := range []string{"", "localhost", "10.0.0.0/33", "1.2.3"} {
		if _, err := ParsePrefixes(bad); err == nil {
			t.Errorf("ParsePrefixes(%q) succeeded", bad)
		}
	}
}
