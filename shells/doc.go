// Package shells holds ready-made handlers for a [telnet.Daemon]: the
// handlers of telnetlib3's server, ported.
//
//   - [Debug] is the tel:sh> shell, which shows and toggles what the
//     connection negotiated.
//   - [RobotCheck] lets through clients whose terminal renders a wide
//     character two columns wide, and sends the others to [Robot].
//   - [Busy] answers the connections beyond the Daemon's MaxConns.
//   - [Pty] runs a program in a pseudo-terminal for each connection.
//
// Each reads lines whatever the Conn's line endings: CR, LF, CR LF and
// CR NUL all end a line, so a Conn made with [telnet.WithRawLineEndings]
// (which Pty wants) serves them as well as one that folds line endings.
// Each returns when its context is cancelled, as the Daemon asks of
// handlers.
package shells
