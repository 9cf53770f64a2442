package shells_test

import (
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// serveHandler serves h on a loopback port with the given options until
// the test ends, and returns the address.
func serveHandler(t *testing.T, h telnet.Handler, opts ...telnet.Option) string {
	t.Helper()
	return shelltest.Serve(t, &telnet.Daemon{Handler: h, Options: opts, Logger: shelltest.Logger(t)})
}

// waitUntil polls ok until it holds.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > shelltest.Timeout {
			t.Fatalf("never: %s", what)
		}
	}
}
