package telnet

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

func TestCharsetBetweenClientAndServer(t *testing.T) {
	// No LANG from the client: it would decide the encoding (see
	// TestLangOverridesCharset).
	client, server := pair(t, []Option{WithEncoding("cp437"), WithEnv(nil)}, []Option{WithEncoding("cp437")})
	if got := server.Charset(); got != "IBM437" {
		t.Errorf("server charset %q", got)
	}
	if got := client.Charset(); got != "IBM437" {
		t.Errorf("client charset %q", got)
	}
	if r, w := server.Encoding(); r != "IBM437" || w != "IBM437" {
		t.Errorf("server encodings %q %q", r, w)
	}
	msg := "héllo ░▒▓ ÿ\n" // ÿ is 0x98 in CP437, and ▓ is 0xb2
	go server.Write([]byte(msg))
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(client, got); err != nil || string(got) != msg {
		t.Errorf("client read %q, %v", got, err)
	}
}

// TestEncodingOnTheWire checks the bytes a peer without CHARSET sees, in
// every combination of BINARY and force-binary, both ways.
func TestEncodingOnTheWire(t *testing.T) {
	for _, tc := range []struct {
		name        string
		opts        []Option
		clientBytes string // what the client answers to the offers
		readWire    string // the peer sends
		read        string // the program reads
		write       string // the program writes
		writeWire   string // the peer receives
	}{
		{
			name:     "ASCII until BINARY",
			opts:     []Option{WithEncoding("utf-8")},
			readWire: "caf\xc3\xa9\n", read: "caf\ufffd\ufffd\n",
			write: "café\n", writeWire: "caf?\r\n",
		},
		{
			name:     "force binary",
			opts:     []Option{WithEncoding("utf-8"), WithForceBinary()},
			readWire: "caf\xc3\xa9\n", read: "café\n",
			write: "café\n", writeWire: "caf\xc3\xa9\r\n",
		},
		{
			name:        "BINARY both ways",
			opts:        []Option{WithEncoding("latin1")},
			clientBytes: "\xff\xfd\x00\xff\xfb\x00",
			readWire:    "caf\xe9\n", read: "café\n",
			write: "café\n", writeWire: "caf\xe9\r\n",
		},
		{
			name:        "BINARY one way",
			opts:        []Option{WithEncoding("latin1")},
			clientBytes: "\xff\xfd\x00\xff\xfc\x00", // takes binary, sends NVT
			readWire:    "caf\xe9\n", read: "caf\ufffd\n",
			write: "café\n", writeWire: "caf\xe9\r\n",
		},
		{
			name:     "no encoding passes bytes",
			readWire: "caf\xe9\n", read: "caf\xe9\n",
			write: "caf\xc3\xa9\n", writeWire: "caf\xc3\xa9\r\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append(tc.opts, WithNegotiationTimeout(200*time.Millisecond),
				WithRemoteOption(negotiate.TTYPE, Refuse), WithRemoteOption(negotiate.NAWS, Refuse),
				WithRemoteOption(negotiate.NewEnviron, Refuse), WithLocalOption(negotiate.SGA, Refuse),
				WithRemoteOption(negotiate.Charset, Refuse), WithLocalOption(negotiate.Echo, Refuse))
			raw, server := rawServer(t, opts...)
			done := make(chan error, 1)
			go func() { done <- server.Handshake(context.Background()) }()
			expectBytes(t, raw, "\xff\xfb\x00")
			raw.Write([]byte(tc.clientBytes))
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(tc.clientBytes, "\xff\xfd\x00") {
				expectBytes(t, raw, "\xff\xfd\x00") // the server asks for binary back
			}
			raw.Write([]byte(tc.readWire))
			got := make([]byte, len(tc.read))
			server.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(server, got); err != nil || string(got) != tc.read {
				t.Errorf("read %q, %v; want %q", got, err, tc.read)
			}
			if n, err := server.Write([]byte(tc.write)); n != len(tc.write) || err != nil {
				t.Errorf("Write = %d, %v", n, err)
			}
			expectBytes(t, raw, tc.writeWire)
		})
	}
}

func TestDecodeSplitCharacter(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0), WithEncoding("utf-8"), WithForceBinary())
	server.Handshake(context.Background())
	go func() {
		for _, b := range []string{"\xe2", "\x96", "\x91!"} { // ░ a byte at a time
			raw.Write([]byte(b))
			time.Sleep(10 * time.Millisecond)
		}
	}()
	got := make([]byte, 4)
	if _, err := io.ReadFull(server, got); err != nil || string(got) != "░!" {
		t.Errorf("read %q, %v", got, err)
	}
}

func TestDecodeStrict(t *testing.T) {
	raw, server := rawServer(t, WithNegotiationTimeout(0), WithEncoding("utf-8"), WithForceBinary(),
		WithEncodingErrors(charset.Strict))
	server.Handshake(context.Background())
	raw.Write([]byte("ok\xfebad")) // 0xfe is never UTF-8
	buf := make([]byte, 16)
	n, err := server.Read(buf)
	if !errors.Is(err, charset.ErrInvalid) {
		t.Errorf("Read = %q, %v; want an invalid-input error", buf[:n], err)
	}
	// The reader goes on after the error.
	var all strings.Builder
	all.Write(buf[:n])
	for all.Len() < len("okbad") {
		n, err = server.Read(buf)
		if err != nil && !errors.Is(err, charset.ErrInvalid) {
			t.Fatal(err)
		}
		all.Write(buf[:n])
	}
	if all.String() != "okbad" {
		t.Errorf("read %q", all.String())
	}
}

// TestLangOverridesCharset plays a client that agrees to CHARSET UTF-8
// but whose LANG says KOI8-R: LANG wins, as in telnetlib3.
func TestLangOverridesCharset(t *testing.T) {
	raw, server := rawServer(t, WithEncoding("utf-8"), WithRemoteOption(negotiate.NAWS, Refuse),
		WithLocalOption(negotiate.SGA, Refuse), WithLocalOption(negotiate.Echo, Refuse))
	done := make(chan error, 1)
	go func() { done <- server.Handshake(context.Background()) }()
	expectBytes(t, raw, "\xff\xfd\x18\xff\xfd\x27\xff\xfd\x2a\xff\xfb\x00")
	raw.Write([]byte("\xff\xfc\x18\xff\xfb\x27\xff\xfb\x2a\xff\xfd\x00\xff\xfb\x00"))
	// Binary back; TTYPE refused, so the environment at once; CHARSET.
	expectBytes(t, raw, "\xff\xfd\x00\xff\xfa\x27\x01\x00USER\x00LOGNAME\x00DISPLAY\x00LANG\x00TERM"+
		"\x00TERM_PROGRAM\x00COLUMNS\x00LINES\x00COLORTERM\x00EDITOR\x00IPADDRESS\x00\x03\xff\xf0"+
		"\xff\xfb\x2a\xff\xfa\x2a\x01 UTF-8 UTF-16 LATIN1 CP1252 ISO-8859-15 CP437 SHIFT_JIS CP932 "+
		"BIG5 CP950 GBK GB2312 CP936 EUC-KR CP949 US-ASCII\xff\xf0")
	raw.Write([]byte("\xff\xfd\x2a\xff\xfa\x2a\x02UTF-8\xff\xf0"))
	raw.Write([]byte("\xff\xfa\x27\x00\x00LANG\x01ru_RU.KOI8-R\xff\xf0"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := server.Charset(); got != "UTF-8" {
		t.Errorf("charset %q", got)
	}
	if r, w := server.Encoding(); r != "KOI8-R" || w != "KOI8-R" {
		t.Errorf("encodings %q %q, want KOI8-R", r, w)
	}
}

// TestClientAnswersCharset plays a server that requests a charset.
func TestClientAnswersCharset(t *testing.T) {
	for _, tc := range []struct {
		enc, request, answer string
	}{
		{"utf-8", "\x01;ISO-8859-1;UTF-8", "\x02UTF-8"},
		{"utf-8", "\x01 KOI8-R", "\x03"}, // declined: REJECTED, never an empty ACCEPTED
		{"cp437", "\x01 UTF-8 CP437", "\x02CP437"},
	} {
		cc, sc := loopback(t)
		client := Client(cc, WithEncoding(tc.enc))
		go io.Copy(io.Discard, client)
		sc.Write([]byte("\xff\xfb\x2a\xff\xfa\x2a" + tc.request + "\xff\xf0"))
		expectBytes(t, sc, "\xff\xfd\x2a\xff\xfa\x2a"+tc.answer+"\xff\xf0")
	}
}

func TestUnknownEncoding(t *testing.T) {
	if _, err := Listen("tcp", "127.0.0.1:0", WithEncoding("klingon")); !errors.Is(err, charset.ErrUnknownEncoding) {
		t.Errorf("Listen = %v", err)
	}
	if _, err := Dial("tcp", "127.0.0.1:1", WithEncoding("klingon")); !errors.Is(err, charset.ErrUnknownEncoding) {
		t.Errorf("Dial = %v", err)
	}
	_, server := rawServer(t, WithEncoding("klingon"))
	if err := server.Handshake(context.Background()); !errors.Is(err, charset.ErrUnknownEncoding) {
		t.Errorf("Handshake = %v", err)
	}
}
