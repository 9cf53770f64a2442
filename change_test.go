package telnet

import (
	"testing"

	"github.com/telnetkit/telnet/negotiate"
)

func TestChangeString(t *testing.T) {
	for _, tc := range []struct {
		c    Change
		want string
	}{
		{Change{Kind: ChangeOption, Option: negotiate.Echo, Side: negotiate.Local, Enabled: true}, "local ECHO enabled"},
		{Change{Kind: ChangeOption, Option: negotiate.NAWS, Side: negotiate.Remote}, "remote NAWS disabled"},
		{Change{Kind: ChangeCommand, Command: negotiate.IP}, "command IP"},
		{Change{Kind: ChangeWindowSize}, "window size"},
		{Change{Kind: ChangeTerminalType}, "terminal type"},
		{Change{Kind: ChangeEnv}, "environment"},
		{Change{Kind: ChangeTerminalSpeed}, "terminal speed"},
		{Change{Kind: ChangeXDisplay}, "X display"},
		{Change{Kind: ChangeCharset}, "charset"},
		{Change{}, "ChangeKind(0)"},
		{Change{Kind: 200}, "ChangeKind(200)"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.c, got, tc.want)
		}
	}
}
