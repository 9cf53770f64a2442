// Package charset finds character encodings by name, converts between them
// and UTF-8 as a stream, and helps negotiate them with the Telnet CHARSET
// option (RFC 2066).
//
// Go programs speak UTF-8; a Telnet peer may speak CP437, Big5, Shift_JIS,
// PETSCII or any other 8-bit or multi-byte encoding. The building blocks:
//
//   - [Lookup] resolves a name as people type it ("utf8", "latin1", "cp437",
//     "ibm437", "iso8859-2", "cp-1250", "sjis", "c64", ...) to an
//     [encoding.Encoding] and its canonical name; [Names] lists the
//     canonical names. Every encoding of golang.org/x/text is known, by its
//     IANA and WHATWG names and common aliases, and so are the retro
//     encodings [PETSCII], [ATASCII], [AtariST] and [Big5BBS].
//   - [Decoder] turns bytes read into UTF-8 and [Encoder] turns UTF-8 into
//     bytes to write. Both keep their state between calls, so that a
//     character split across reads or writes is never lost, and both apply
//     an [Errors] policy to what cannot be converted. UTF-8 passes through
//     them at the cost of validation only, and not even that on the write
//     side.
//   - [Offers], [Choose] and [Chooser] carry the CHARSET negotiation of
//     both roles, on top of the wire codec of package negotiate;
//     [LangCharset] reads the encoding of a LANG value such as
//     "en_US.UTF-8", and [ForceBinary] and [Retro] say what an encoding
//     implies for the connection.
package charset
