// Package telnet is a Telnet server and client library: a Telnet
// connection is a [net.Conn].
//
// [Listen] and [NewListener] return a [net.Listener] whose connections
// negotiate Telnet options in the server role; [Dial] and [DialContext]
// return a [*Conn] in the client role; [Server] and [Client] wrap any
// net.Conn, a *tls.Conn included, the way crypto/tls does. Read returns
// only application data, Write escapes what must be escaped, and what was
// negotiated (terminal type, window size, environment, ...) can be read
// from the Conn at any time.
//
// Options are set with the With... functions. The protocol engine, with
// the option codes and the codecs of every subnegotiation, is package
// [github.com/telnetkit/telnet/negotiate].
package telnet
