package shells_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// lineServer serves a handler that reads lines of at most max bytes and
// answers each with "<line>", and dials it with clientOpts.
func lineServer(t *testing.T, max int, clientOpts ...telnet.Option) *shelltest.Client {
	t.Helper()
	h := telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		lr := shells.NewLineReader(c, max)
		if _, err := io.WriteString(c, "> "); err != nil {
			return err
		}
		for {
			line, err := lr.ReadLine()
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(c, "<%s>\r\n> ", line); err != nil {
				return err
			}
		}
	})
	c := shelltest.Dial(t, serveHandler(t, h), clientOpts...)
	c.Expect(t, "> ")
	return c
}

// TestLineReader checks, on the wire, what the client sees as it types:
// the echo, the erasures by display width, CR LF after Enter, and the
// line the handler gets.
func TestLineReader(t *testing.T) {
	c := lineServer(t, 8)
	for _, tc := range []struct {
		name, typed, echo, line string
	}{
		{"plain", "abc\r\n", "abc\r\n", "abc"},
		{"CR", "a\r", "a\r\n", "a"},
		{"LF", "\nb\n", "b\r\n", "b"}, // the LF of the CR above is skipped
		{"CR NUL", "c\r\x00", "c\r\n", "c"},
		{"backspace", "abx\x7fc\r\n", "abx\b \bc\r\n", "abc"},
		{"BS", "abx\bc\r\n", "abx\b \bc\r\n", "abc"},
		{"backspace at start", "\x7f\x7fa\r\n", "a\r\n", "a"},
		{"wide", "a中\x7fb\r\n", "a中\b \b\b \bb\r\n", "ab"},
		{"combining mark", "e\u0301\x7fx\r\n", "e\u0301\b \bx\r\n", "x"},
		{"kill", "a中b\x15c\r\n", "a中b" + strings.Repeat("\b \b", 4) + "c\r\n", "c"},
		{"word", "ab cd  \x17x\r\n", "ab cd  " + strings.Repeat("\b \b", 4) + "x\r\n", "ab x"},
		{"escape sequences", "a\x1b[Db\x1bOAc\x1b]0;t\x07\r\n", "abc\r\n", "abc"},
		{"controls", "a\x01\tb\r\n", "ab\r\n", "ab"},
		// Bytes that are not UTF-8 (Latin-1 from a client without an
		// encoding) are characters of their own, erased one at a time.
		{"not UTF-8", "\xe9a\xe9\x7fb\r\n", "\xe9a\xe9\b \bb\r\n", "\xe9ab"},
		{"cut UTF-8", "a\xe4\xb8\r\n", "a\xe4\xb8\r\n", "a\xe4\xb8"},
		// The bound: 8 bytes, whole characters; the first key past it
		// rings the bell, the others are dropped in silence.
		{"bound", "123456789xyz\r\n", "12345678\a\r\n", "12345678"},
		{"bound wide", "123456中xy\r\n", "123456\axy\r\n", "123456xy"},
		{"flood", strings.Repeat("z", 100_000) + "\r\n", "zzzzzzzz\a\r\n", "zzzzzzzz"},
		{"bound then erase", "12345678xx\x7fyz\r\n", "12345678\a\b \by\a\r\n", "1234567y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Send(t, tc.typed)
			c.Expect(t, tc.echo+"<"+tc.line+">\r\n> ")
		})
	}
}

// TestLineReaderNoEcho checks that a client which echoes itself (it
// refuses the server's ECHO) gets no echo, and the line still arrives
// edited.
func TestLineReaderNoEcho(t *testing.T) {
	c := lineServer(t, 0, telnet.WithRemoteOption(negotiate.Echo, telnet.Refuse))
	c.Send(t, "ax\x7fb\r\n")
	c.Expect(t, "<ab>\r\n> ")
	c.Send(t, strings.Repeat("y", 100_000)+"\r\n")
	c.Expect(t, "<"+strings.Repeat("y", shells.DefaultMaxLine)+">\r\n> ")
}
