package telnet

import "github.com/telnetkit/telnet/negotiate"

// WithLineMode keeps a server's clients in the NVT's default line mode:
// the server neither offers nor agrees to ECHO and SGA at its end (it
// answers DO ECHO and DO SGA with WONT), so the client edits each line
// itself, echoes it locally, and sends it whole when Enter is pressed.
// Read then returns lines as the user finished them, with Backspace
// already applied by the client. It has no effect on a client Conn's own
// options beyond refusing those two at its end.
//
// Choose it when the client's own editing is good enough: inetutils and
// BSD telnet, PuTTY and netcat all edit lines in this mode (netcat through
// the terminal's cooked mode), and a password prompt will show what is
// typed, since only the server can hide it by echoing. Choose character
// mode (the default) with a [github.com/telnetkit/telnet/shells.LineReader]
// when the server needs each key as it is pressed: to hide a password, to
// bound a line while it is typed, or to edit with the same rules on every
// client. MUD clients send lines in either mode.
func WithLineMode() Option {
	return func(c *config) {
		c.setPolicy(negotiate.Local, negotiate.Echo, Refuse)
		c.setPolicy(negotiate.Local, negotiate.SGA, Refuse)
	}
}
