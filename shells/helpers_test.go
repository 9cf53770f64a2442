package shells_test

import (
	"testing"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// serveHandler serves h on a loopback port with the given options until
// the test ends, and returns the address.
func serveHandler(t *testing.T, h telnet.Handler, opts ...telnet.Option) string {
	t.Helper()
	return shelltest.Serve(t, &telnet.Daemon{Handler: h, Options: opts, Logger: shelltest.Logger(t)})
}
