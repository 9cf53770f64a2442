package shells

import (
	"context"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// TestGuardTimeouts checks that the guard shells give up on a silent
// client after their read timeouts, here shortened.
func TestGuardTimeouts(t *testing.T) {
	const timeout = 100 * time.Millisecond
	for _, tc := range []struct {
		name  string
		shell func(ctx context.Context, c *telnet.Conn, timeout time.Duration) error
		reads int // the reads that time out
		want  string
	}{
		{"busy", busy, 2, busyGreeting + busyFollowUp + "\r\n"},
		{"robot", robot, 1, robotQuestion1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := shelltest.Serve(t, &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
				return tc.shell(ctx, c, timeout)
			})})
			c := shelltest.Dial(t, addr)
			start := time.Now()
			if rest := c.Rest(t); rest != tc.want {
				t.Errorf("the client read %q, want %q", rest, tc.want)
			}
			if took, least := time.Since(start), time.Duration(tc.reads)*timeout; took < least || took > least+2*time.Second {
				t.Errorf("the shell ended after %v, want %v", took, least)
			}
		})
	}
}
