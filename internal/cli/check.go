package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/telnetkit/telnet/charset"
)

// CheckPort reports whether port is one to listen on (listen true: a
// number from 0, any free port, to 65535) or to dial (a number from 1 to
// 65535, or a service name such as "telnet").
func CheckPort(port string, listen bool) error {
	if port != "" && strings.Trim(port, "+-0123456789") != "" {
		if listen {
			return fmt.Errorf("bad port %q", port)
		}
		return nil // a service name, which the dial looks up
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 && !listen {
		return fmt.Errorf("bad port %q", port)
	}
	return nil
}

// CheckEncoding checks the --encoding and --encoding-errors options and
// returns the errors policy and whether the connection is to use the
// encoding whether BINARY is agreed or not: forceBinary as given, or
// implied by the encoding, since telnetlib3's programs and the MUD and
// BBS peers send 8-bit text without BINARY.
func CheckEncoding(name, policy string, forceBinary bool) (charset.Errors, bool, error) {
	if !charset.Known(name) {
		return 0, false, fmt.Errorf("--encoding %q: unknown encoding; the known ones: %s",
			name, strings.Join(charset.Names(), ", "))
	}
	errs, err := charset.ParseErrors(policy)
	if err != nil {
		return 0, false, fmt.Errorf("--encoding-errors: %w", err)
	}
	return errs, forceBinary || charset.ForceBinary(name), nil
}
