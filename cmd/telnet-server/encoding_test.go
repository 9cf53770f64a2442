//go:build linux

package main

import (
	"io"
	"testing"

	"github.com/telnetkit/telnet/shells/shelltest"
)

// reportProgram is a --pty-exec program that writes box drawing in UTF-8,
// reads a line and writes its bytes in hexadecimal: what the program
// got, whatever the client sent.
var reportProgram = []string{"--pty-exec", "/bin/sh", "--", "-c",
	`printf '%s\n' '╔═╗'; read l; printf '%s' "$l" | od -An -tx1`}

// TestEncodingNetcat runs the server with an --encoding for netcat, which
// negotiates nothing: every encoding but US-ASCII is used from the first
// byte, both ways, and the program speaks UTF-8 whatever the client's
// encoding. The first command line is the documentation's.
func TestEncodingNetcat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		box   string // ╔═╗ as the client gets it
		typed string // a line the client sends
		got   string // its bytes as the program gets them
	}{
		{"utf8", []string{"--encoding=utf8", "--force-binary"}, "╔═╗", "日本語", " e6 97 a5 e6 9c ac e8 aa 9e"},
		{"cp437", []string{"--encoding=cp437"}, "\xc9\xcd\xbb", "\xc8\xcd\xbc", " e2 95 9a e2 95 90 e2 95 9d"}, // ╚═╝
		// US-ASCII without BINARY: what is not ASCII is replaced.
		{"us-ascii", []string{"--encoding=us-ascii"}, "???", "é!", " ef bf bd ef bf bd 21"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"--connect-maxwait", "0.2"}, tc.args...), reportProgram...)
			addr, _ := startServer(t, args...)
			nc, stdin := netcat(t, addr)
			nc.out.WaitFor(t, tc.box+"\r\n", shelltest.Timeout)
			if _, err := io.WriteString(stdin, tc.typed+"\n"); err != nil {
				t.Fatal(err)
			}
			nc.out.WaitFor(t, tc.got+"\r\n", shelltest.Timeout)
			stdin.Close()
			nc.wait(t)
		})
	}
}
