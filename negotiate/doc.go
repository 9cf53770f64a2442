// Package negotiate is a Telnet protocol engine with no I/O of its own.
//
// An [Engine] is fed the bytes received from a peer. It strips the protocol
// out of them in place, leaving only application data, and reports what it
// found as [Event] values: commands such as IAC AYT, options that were
// enabled or disabled, subnegotiations, and protocol errors. Replies the
// protocol requires (DO for an accepted WILL, DONT for a refused one, ...)
// are queued as bytes to send, which the caller collects with
// [Engine.AppendOutput] and writes to the peer.
//
// Option state is kept for both sides of every option by the "Q method" of
// RFC 1143, so that no sequence of messages from the peer can make the
// engine loop or answer twice. Which options may be enabled is decided by
// the [Config] policy; everything else is refused.
//
// The parser keeps its state across calls: a sequence split at any byte
// boundary gives the same data, events and replies as the same bytes fed at
// once. Every buffer is bounded: a subnegotiation longer than
// [Config.MaxSubnegotiation] is discarded and reported.
//
// The rest of the package is the codecs of the option subnegotiations
// (TTYPE, NAWS, NEW-ENVIRON, CHARSET, LINEMODE, STATUS, COM-PORT, GMCP, MSDP,
// MSSP, ...). Decoders take a payload as the engine reports it (the bytes
// after the option code, IAC IAC already undone); encoders append a payload
// that [AppendSubnegotiation] or [Engine.SendSubnegotiation] frames and
// escapes for the wire.
package negotiate
