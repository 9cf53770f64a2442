// Package compat is a Telnet client with the API of Python's telnetlib,
// for programs ported from it: [Telnet] has the methods of Python 3.12's
// telnetlib.Telnet under Go names (read_until is [Telnet.ReadUntil],
// set_option_negotiation_callback is [Telnet.SetOptionNegotiationCallback],
// get_socket is [Telnet.Conn]), and the package has the module's constants
// under their Python names, the way package syscall keeps the C names.
//
// The semantics are Python's, checked against CPython's own telnetlib by
// the tests: every option is refused unless a callback is set, which then
// does all the negotiation; the data goes through a cooked queue and the
// subnegotiations through their own; the eager and lazy reads differ as
// they do there; NUL and DC1 are dropped from the data; IAC is doubled on
// write; timeouts give back what has arrived, with a nil error from
// [Telnet.ReadUntil] and [Telnet.Expect], as in Python ([Telnet.ReadUntilMatch]
// reports the timeout). End of file is [io.EOF]
// where Python raises EOFError, and a passed socket timeout an error for
// which errors.Is(err, os.ErrDeadlineExceeded) holds, where Python raises
// TimeoutError. Nothing else of the protocol is done: no line-ending
// translation, no option state (see the root package, telnet.Conn, for
// a client that negotiates).
//
// Where this differs from CPython, on purpose:
//
//   - No method is quadratic in the size of the data. CPython appends to
//     immutable bytes objects, so that read_very_eager, read_all,
//     read_until and expect copy everything received before at each read
//     of 50 bytes; and expect searches all of it again after each.
//   - A read of the connection takes all that has arrived (32 KiB or
//     more), not 50 bytes, so ReadSome and ReadEager may return more per
//     call.
//   - Expect searches again after the data has doubled or when nothing
//     more has arrived, not after every read.
//   - A new IAC SB always discards the subnegotiation data not read, as
//     CPython's documentation says; CPython keeps it when both SBs came in
//     the same read.
//   - Timeouts are durations: [NoTimeout] is Python's None. Regular
//     expressions are Go's (package regexp), which match UTF-8 text.
//   - Interact copies bytes as they are, where CPython decodes ASCII.
//   - Calls that need a connection return [ErrNotConnected] where CPython
//     fails on its missing socket.
package compat
