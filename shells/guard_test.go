package shells_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// logTo returns a logger that writes to tr.
func logTo(tr *shelltest.Transcript) *slog.Logger { return slog.New(slog.NewTextHandler(tr, nil)) }

// holdHandler greets and keeps the connection until the client leaves or
// the server shuts down.
func holdHandler(ctx context.Context, c *telnet.Conn) error {
	io.WriteString(c, "welcome\r\n")
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	_, err := io.Copy(io.Discard, c)
	return err
}

func TestBusy(t *testing.T) {
	var logs shelltest.Transcript
	addr := shelltest.Serve(t, &telnet.Daemon{
		Handler:     telnet.HandlerFunc(holdHandler),
		MaxConns:    1,
		BusyHandler: shells.Busy(),
		Logger:      logTo(&logs),
	})
	shelltest.Dial(t, addr).Expect(t, "welcome\r\n")
	c := shelltest.Dial(t, addr)
	c.Expect(t, "Machine is busy, do not touch! ")
	c.Send(t, "hello\r\n") // not echoed
	c.Expect(t, "\r\nYou hear a distant explosion... ")
	c.Send(t, strings.Repeat("x", 3000)+"\r\n")
	c.Expect(t, "\r\n")
	if rest := c.Rest(t); rest != "" {
		t.Errorf("the busy shell went on: %q", rest)
	}
	for _, want := range [][]string{
		{`msg="shells: busy shell: connection limit reached"`},
		{`msg="shells: busy shell: input"`, " n=1 line=hello\n"},
		{`msg="shells: busy shell: input"`, " n=2 line=" + strings.Repeat("x", 2048) + "\n"},
	} {
		if _, ok := logs.Line(want...); !ok {
			t.Errorf("no line with %.100q in the log", want)
		}
	}
}

// terminal answers the robot check as a terminal would: it reports the
// cursor at column 1, then at 1+width after the wide character.
func answerRobotCheck(t *testing.T, c *shelltest.Client, width int) {
	t.Helper()
	c.Expect(t, "\x1b[6n")
	c.Send(t, "typed ahead\x1b[12;1R") // what a person types meanwhile is dropped
	c.Expect(t, "\u231a\x1b[6n")
	c.Send(t, "\x1b[12;"+string(rune('1'+width))+"R")
}

func TestRobotCheckPasses(t *testing.T) {
	addr := serveHandler(t, shells.RobotCheck(telnet.HandlerFunc(holdHandler), nil))
	c := shelltest.Dial(t, addr)
	answerRobotCheck(t, c, 2)
	c.Expect(t, "\x1b[1G  \x1b[1G"+"welcome\r\n")
}

func TestRobotCheckFails(t *testing.T) {
	var logs shelltest.Transcript
	addr := shelltest.Serve(t, &telnet.Daemon{
		Handler: shells.RobotCheck(telnet.HandlerFunc(holdHandler), nil),
		Logger:  logTo(&logs),
	})
	c := shelltest.Dial(t, addr)
	answerRobotCheck(t, c, 1) // the character took one column
	c.Expect(t, "\x1b[1G \x1b[1G"+"Do robots dream of electric sheep? [yn] ")
	c.Send(t, "  \r\n") // a blank answer asks again
	c.Expect(t, "  \r\nDo robots dream of electric sheep? [yn] ")
	c.Send(t, "y\r\n")
	c.Expect(t, "y\r\nHave you ever wondered, who are the windowmakers? ")
	c.Send(t, "the robots\r\n")
	c.Expect(t, "the robots\r\n")
	if rest := c.Rest(t); rest != "" {
		t.Errorf("the robot shell went on: %q", rest)
	}
	peer := "peer=" + c.LocalAddr().String()
	for _, want := range [][]string{
		{`msg="shells: robot check failed"`, peer, " width=1 "},
		{`msg="shells: robot denied"`, peer, ` answers="[y the robots]"`},
	} {
		if _, ok := logs.Line(want...); !ok {
			t.Errorf("no line with %q in the log:\n%s", want, logs.String())
		}
	}
}

// TestRobotCheckSilentOrGarbage checks the clients that never report a
// cursor position: they go to the Fail handler once the check times out
// or they sent too much.
func TestRobotCheckSilentOrGarbage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sends string
	}{
		{"silent", ""},
		{"garbage", strings.Repeat("R", 300)},
		{"bad report", "\x1b[1;xR\x1b[;R"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fail := telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
				_, err := io.WriteString(c, "robot\r\n")
				return err
			})
			check := shells.RobotCheck(telnet.HandlerFunc(holdHandler), fail)
			check.Timeout = 200 * time.Millisecond
			addr := serveHandler(t, check)
			c := shelltest.Dial(t, addr)
			start := time.Now()
			c.Expect(t, "\x1b[6n")
			c.Send(t, tc.sends)
			c.Expect(t, "robot\r\n")
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("the check took %v", took)
			}
		})
	}
}
