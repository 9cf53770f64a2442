package shelltest_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

func TestServeAndDial(t *testing.T) {
	addr := shelltest.Serve(t, &telnet.Daemon{Handler: shells.Debug()})
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("Serve listens on %s, want a loopback address", addr)
	}
	c := shelltest.Dial(t, addr)
	c.Expect(t, "Ready.\r\ntel:sh> ")
	c.Send(t, "help\r\n")
	c.Expect(t, "help\r\n"+shells.DebugHelp+"\r\ntel:sh> ")
	var w io.Writer = c // a Client is a writer to the server
	if _, err := fmt.Fprintf(w, "%s\r\n", "quit"); err != nil {
		t.Fatal(err)
	}
	c.Expect(t, "quit\r\nGoodbye.\r\n")
	if rest := c.Rest(t); rest != "" {
		t.Errorf("after Goodbye: %q", rest)
	}
}

// TestServeWaitsForHandlers checks that the test's cleanup shuts the
// daemon down, with its handlers done.
func TestServeWaitsForHandlers(t *testing.T) {
	returned := make(chan struct{})
	t.Run("serve", func(t *testing.T) {
		addr := shelltest.Serve(t, &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			defer close(returned)
			io.WriteString(c, "hi\n")
			<-ctx.Done()
			return nil
		})})
		shelltest.Dial(t, addr).Expect(t, "hi\r\n")
	})
	select {
	case <-returned:
	default:
		t.Error("the handler still runs after the test")
	}
}

func TestTranscript(t *testing.T) {
	var tr shelltest.Transcript
	go func() {
		for _, s := range []string{"one ", "two", " three", " four"} {
			time.Sleep(time.Millisecond)
			tr.Write([]byte(s))
		}
		tr.Close()
	}()
	if got := tr.WaitFor(t, "two", time.Second); got != "one two" {
		t.Errorf("WaitFor returned %q", got)
	}
	tr.Expect(t, " three")
	if rest := tr.Rest(t); rest != " four" {
		t.Errorf("Rest returned %q", rest)
	}
	if s := tr.String(); s != "one two three four" {
		t.Errorf("String returned %q", s)
	}
}

func TestTranscriptLine(t *testing.T) {
	var tr shelltest.Transcript
	tr.Write([]byte("level=INFO msg=a n=1\nlevel=WARN msg=b n=2\nlevel=INFO msg=c"))
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"msg=b"}, "level=WARN msg=b n=2\n"},
		{[]string{"level=INFO", "n=1"}, "level=INFO msg=a n=1\n"},
		{[]string{"msg=a", "n=2"}, ""},
		{[]string{"msg=c"}, ""}, // not a complete line yet
	} {
		line, ok := tr.Line(tc.parts...)
		if line != tc.want || ok != (tc.want != "") {
			t.Errorf("Line(%q) = %q, %v; want %q", tc.parts, line, ok, tc.want)
		}
	}
}

// fakeTB records the failures of a test that runs in its own goroutine.
type fakeTB struct {
	testing.TB
	failure string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) { f.failure = fmt.Sprintf(format, args...) }

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failure = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run runs test with a fakeTB, and returns its failure.
func run(t *testing.T, test func(tb testing.TB)) string {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		test(f)
	}()
	<-done
	return f.failure
}

func TestTranscriptFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		test func(tb testing.TB)
		want string
	}{
		{"ended", func(tb testing.TB) {
			var tr shelltest.Transcript
			tr.Write([]byte("abc"))
			tr.Close()
			tr.WaitFor(tb, "x", time.Second)
		}, `shelltest: the transcript ended without "x"; got "abc"`},
		{"timeout", func(tb testing.TB) {
			var tr shelltest.Transcript
			tr.Write([]byte("abc"))
			tr.WaitFor(tb, "x", 10*time.Millisecond)
		}, `shelltest: no "x" after 10ms; got "abc"`},
		{"more before", func(tb testing.TB) {
			var tr shelltest.Transcript
			tr.Write([]byte("abc"))
			tr.Expect(tb, "c")
		}, `shelltest: got "abc", want "c"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.test); got != tc.want {
				t.Errorf("failure %q, want %q", got, tc.want)
			}
		})
	}
}
