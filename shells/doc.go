// Package shells holds ready-made handlers for a [telnet.Daemon]: the
// handlers of telnetlib3's server, ported. Each is a constructor that
// returns a [telnet.Handler], configured by its arguments or fields.
//
//   - [Debug] is the tel:sh> shell, which shows and toggles what the
//     connection negotiated.
//   - [RobotCheck] lets through clients whose terminal renders a wide
//     character two columns wide, and sends the others to [Robot].
//   - [Busy] answers the connections beyond the Daemon's MaxConns.
//   - [Pty] runs a program in a pseudo-terminal for each connection.
//
// The shells that read lines (Debug, Robot, Busy) read them with a
// [LineReader], the line editor any handler in character mode can use: it
// echoes, erases by display width, and takes CR, LF, CR LF and CR NUL each
// as the end of one line, so a Conn made with [telnet.WithRawLineEndings],
// which Pty wants, serves them as well as one that folds line endings. Every shell returns when its context is
// cancelled, as the Daemon asks of handlers.
//
// Package [github.com/telnetkit/telnet/shells/shelltest] helps test
// handlers like these.
package shells
