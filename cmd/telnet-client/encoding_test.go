package main

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/telnetkit/telnet/charset"
)

// acceptRaw returns the connection rawServer accepted.
func acceptRaw(t *testing.T, accepted <-chan net.Conn) net.Conn {
	t.Helper()
	select {
	case c := <-accepted:
		return c
	case <-time.After(waitTime):
		t.Fatal("no connection")
	}
	return nil
}

// A server that sends CP437 and negotiates nothing, a BBS: the screen
// shows its box drawing and blocks in UTF-8, with the escape sequences
// untouched, and what is typed reaches it in CP437, a character split
// across two reads of the keyboard included.
func TestSessionCP437(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		keys []string // typed one after the other
		wire string   // what the server must then receive
	}{
		{"line mode", []string{"--encoding", "cp437"}, []string{"╚═╝\r"}, "\xc8\xcd\xbc\r\n"},
		{"raw mode", []string{"--encoding=ibm437", "--raw-mode"}, []string{"a\xe2\x95", "\x9a\r"}, "a\xc8\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr, accepted := rawServer(t)
			c := startClient(t, addr, &fakeTerminal{cols: 80, rows: 24}, tt.args...)
			srv := acceptRaw(t, accepted)
			if _, err := io.WriteString(srv, "\x1b[1;34m\xc9\xcd\xbb\xb0\xb1\xb2\xdb\x1b[0m\r\n"); err != nil {
				t.Fatal(err)
			}
			c.screen.waitFor(t, "\x1b[1;34m╔═╗░▒▓█\x1b[0m\r\n", 0)
			for _, k := range tt.keys {
				c.typeKeys(k)
				time.Sleep(10 * time.Millisecond) // most often, a read each
			}
			readUntil(t, srv, tt.wire)
		})
	}
}

// --encoding-errors applies both ways: ignore drops what the server sends
// that is not in the encoding; strict ends the session on a key that the
// server's encoding lacks, sending none of it.
func TestSessionEncodingErrors(t *testing.T) {
	addr, accepted := rawServer(t)
	c := startClient(t, addr, &fakeTerminal{cols: 80, rows: 24}, "--encoding", "ascii", "--encoding-errors", "ignore")
	srv := acceptRaw(t, accepted)
	if _, err := io.WriteString(srv, "a\xe9b\r\n"); err != nil {
		t.Fatal(err)
	}
	c.screen.waitFor(t, "ab\r\n", 0)
	c.typeKeys("x\xc3\xa9y\r")
	readUntil(t, srv, "xy\r\n")

	addr, accepted = rawServer(t)
	c = startClient(t, addr, &fakeTerminal{cols: 80, rows: 24}, "--encoding", "latin1", "--encoding-errors", "strict")
	srv = acceptRaw(t, accepted)
	c.typeKeys("a€b\r")
	if r := c.end(); r.end != endError || !errors.Is(r.err, charset.ErrUnencodable) {
		t.Errorf("ended with %+v, want an encoding error", r)
	}
	c.checkRestored()
	srv.SetReadDeadline(time.Now().Add(waitTime))
	if rest, _ := io.ReadAll(srv); len(withoutCommands(rest)) != 0 {
		t.Errorf("the server got %q", rest)
	}
}

// The encodings of 8-bit home computers drive the terminal a key at a
// time, unless --line-mode says otherwise.
func TestRetroEncodingRawMode(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want forceMode
	}{
		{[]string{"--encoding", "petscii"}, forceRaw},
		{[]string{"--encoding", "atascii"}, forceRaw},
		{[]string{"--encoding", "atarist"}, forceRaw},
		{[]string{"--encoding", "petscii", "--line-mode"}, forceLine},
		{[]string{"--encoding", "cp437"}, followServer},
		{nil, followServer},
	} {
		o, err := parseArgs(append(tt.args, "h"), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if got := newSession(o, nil, &fakeTerminal{}, nil).force; got != tt.want {
			t.Errorf("%q: force %v, want %v", tt.args, got, tt.want)
		}
	}
}
