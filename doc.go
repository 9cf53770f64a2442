// Package telnet is a Telnet server and client library: a Telnet
// connection is a [net.Conn].
//
// [Listen] and [NewListener] return a [net.Listener] whose connections
// negotiate Telnet options in the server role; [Dial] and [DialContext]
// return a [*Conn] in the client role; [Server] and [Client] wrap any
// net.Conn, a *tls.Conn included, the way crypto/tls does. Read returns
// only application data, Write escapes what must be escaped, and what was
// negotiated (terminal type, window size, environment, ...) can be read
// from the Conn at any time. Read and Write may be called from several
// goroutines at once (see [Conn]).
//
// # Where a byte goes
//
// A byte read from the wire goes first to the protocol engine
// ([github.com/telnetkit/telnet/negotiate]), which takes out the IAC
// sequences: it answers negotiations by the options' policies (queueing
// the replies for the write side), decodes subnegotiations into what the
// Conn reports (window size, terminal type, ...), and passes the rest on
// as data. Line folding then turns every end of line (CR LF, CR NUL, a
// bare CR) into "\n", unless [WithRawLineEndings]. With [WithEncoding],
// decoding then turns the peer's encoding into UTF-8, once BINARY is
// agreed in that direction or [WithForceBinary] says so. What is left is
// what Read returns. A Write goes the other way: UTF-8 encoded into the
// peer's encoding, "\n" sent as CR LF (and a lone CR as CR NUL outside
// BINARY), IAC doubled, and on the wire after any negotiation replies
// that were waiting, never interleaved with another Write. Under MCCP
// ([WithCompression]) what the peer compresses is decompressed before the
// engine sees it, and what we send is compressed last, each Write flushed.
//
// # Servers
//
// A [Daemon] serves each connection with a [Handler], the net/http way:
// it runs the handshake, calls the handler with the negotiated Conn, and
// offers [Daemon.Shutdown], an idle timeout and a connection limit.
// Package [github.com/telnetkit/telnet/shells] has ready handlers (the
// debug shell, the robot check, the busy shell, a program in a
// pseudo-terminal) and [github.com/telnetkit/telnet/shells.LineReader],
// the line editor for a server in character mode, the default, where the
// server echoes; [WithLineMode] leaves echo and editing to the client
// instead, with LINEMODE (RFC 1184) for the clients that do it: see
// [Conn.Linemode] and [Conn.SLC].
//
// # MUDs
//
// A MUD server offers what its clients use with [WithCompression] (MCCP)
// and WithLocalOption for GMCP, MSDP, MSSP and EOR; it sends with
// [Conn.SendGMCP], [Conn.SendMSDP], [Conn.SendMSSP] and marks prompts with
// [Conn.SendPrompt]. What the client sends in subnegotiations the Conn
// does not handle itself arrives as a [ChangeSubnegotiation], decoded by
// [Change.GMCP], [Change.MSDP] and [Change.MSSP]. A Go MUD client does
// the same the other way round.
//
// # TLS
//
// TELNETS, Telnet over TLS from the first byte (port 992), is crypto/tls
// under a Conn: [ListenTLS] and [DialTLS], [Daemon.ListenAndServeTLS]
// and [Daemon.ServeTLS] as net/http has them, and [NewAutoTLSListener]
// for TLS and plain Telnet on one port, told apart by the first byte.
// A handler learns whether its session is private from
// [Conn.TLSConnectionState]. MCCP never runs over TLS, where its
// compression would let the ciphertext's lengths tell the plaintext.
//
// Options are set with the With... functions. Package
// [github.com/telnetkit/telnet/compat] has Python telnetlib's API for
// scripts that wait for a prompt and answer.
package telnet
