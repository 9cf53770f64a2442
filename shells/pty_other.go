//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package shells

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/telnetkit/telnet"
)

// ServeTelnet fails: pseudo-terminals are only supported on Linux, macOS and the BSDs.
func (p *PtyShell) ServeTelnet(ctx context.Context, c *telnet.Conn) error {
	return fmt.Errorf("shells: pseudo-terminals on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
