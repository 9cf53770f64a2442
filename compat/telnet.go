package compat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telnetkit/telnet/negotiate"
)

// Errors returned where Python's telnetlib fails with an AttributeError on
// its missing socket, or where Go adds a check of its own.
var (
	// ErrNotConnected is returned by the calls that need the connection
	// on a Telnet never opened, and after Close by those Python fails in:
	// Write, Interact, Expect, and ReadUntil when the match is not queued.
	ErrNotConnected = errors.New("compat: not connected")
	// ErrConnected is returned by Open on a Telnet that is still connected.
	ErrConnected = errors.New("compat: already connected")
	// ErrInCallback is returned by a read method that would read or parse
	// when it is called from the option negotiation callback, which runs in
	// the middle of parsing.
	ErrInCallback = errors.New("compat: read method called from the option negotiation callback")
)

// NoTimeout, given to [Telnet.ReadUntil] or [Telnet.Expect], waits without
// a time limit, as Python's timeout=None does. Any negative duration does
// the same.
const NoTimeout time.Duration = -1

// readSize is the least room a read of the connection is given; it gets
// all the free space of the cooked queue, which may be more. Python reads
// 50 bytes at a time to keep its per-byte string building from going
// quadratic; the parser here is linear, so it reads all it can.
const readSize = 32 << 10

// pollWait is how long a connection that cannot be polled (a tls.Conn, a
// net.Pipe) is given to deliver data that is "available without blocking".
const pollWait = time.Millisecond

// An OptionCallback handles the Telnet commands received, in place of the
// default refusal: it is called with the connection, the command (DO, DONT,
// WILL, WONT, or any other byte that followed IAC, such as SB, SE, NOP or
// GA) and the option (NOOPT for a command without one). As in Python,
// nothing else is done: the callback writes its own replies to conn, raw,
// and reads the subnegotiation received with [Telnet.ReadSBData] when it
// is called with SE.
//
// It runs inside the read method that parsed the command, so it may call
// [Telnet.Write], [Telnet.ReadSBData], [Telnet.ReadLazy] and
// [Telnet.ReadVeryLazy], but the other read methods return
// [ErrInCallback].
type OptionCallback func(conn net.Conn, cmd, opt byte)

// Telnet is a Telnet client with the methods of Python's telnetlib.Telnet
// and their semantics, over any net.Conn. The zero value is an unconnected
// client, like Python's Telnet(); [Telnet.Open] connects it.
//
// Data received is parsed into a cooked queue of data and a queue of
// subnegotiation data; the read methods differ in how much reading they do
// before they return what the cooked queue holds. Every option the peer
// asks for is refused (DO and DONT are answered WONT, WILL and WONT are
// answered DONT), unless an [OptionCallback] is set, which then answers
// everything itself. NUL and DC1 (0x11) bytes are dropped from the data, as
// Python does. End of file is [io.EOF] where Python raises EOFError.
//
// Telnet sets the read and write deadlines of the connection itself before
// each read and write, from the timeout given to Open and to each call, so
// deadlines set on [Telnet.Conn] are overwritten; to interrupt a blocked
// call, use Close. A Telnet is not safe for concurrent use, except that
// Write may be called while one read method runs, and Close at any time.
type Telnet struct {
	conn    net.Conn
	closed  atomic.Bool // set by Close, possibly from another goroutine
	host    string
	port    int
	timeout time.Duration // socket timeout given to Open; <= 0 for none

	eof     bool
	cooked  queue
	scratch []byte // where a read goes when the cooked queue is nearly full
	sbq     []byte // subnegotiation data, Python's sbdataq
	out     []byte // refusals to send once the read is parsed

	// Parser state, Python's iacseq and sb: iacLen bytes of an IAC
	// sequence seen, whose command is iacCmd when iacLen is 2.
	iacLen     uint8
	iacCmd     byte
	sb         bool
	callback   OptionCallback
	inCallback bool

	debugLevel int
	debugMu    sync.Mutex // Write and a read may print at once in Interact
	debugOut   io.Writer
}

// Dial connects to host on port (TELNET_PORT when port is 0) and returns
// the client, as Python's Telnet(host, port, timeout) does. See
// [Telnet.Open] for the timeout.
func Dial(host string, port int, timeout time.Duration) (*Telnet, error) {
	t := new(Telnet)
	if err := t.Open(host, port, timeout); err != nil {
		return nil, err
	}
	return t, nil
}

// NewTelnet returns a client over an existing connection, a tls.Conn for
// example, with timeout as the socket timeout (see [Telnet.Open]). The
// Telnet owns conn from then on and closes it in Close.
func NewTelnet(conn net.Conn, timeout time.Duration) *Telnet {
	t := new(Telnet)
	host, port := conn.RemoteAddr().String(), 0
	if h, p, err := net.SplitHostPort(host); err == nil {
		host = h
		port, _ = strconv.Atoi(p)
	}
	t.attach(conn, host, port, timeout)
	return t
}

// Open connects to host on port, TELNET_PORT when port is 0. A positive
// timeout bounds the connection attempt and then, as the timeout of
// Python's socket does, every blocking read and write that has no timeout
// of its own: ReadAll, ReadSome, Expect with [NoTimeout], Write and the
// replies to the peer. Zero or a negative timeout means none. Open returns
// [ErrConnected] on a Telnet that is connected; it may be called again
// after Close.
func (t *Telnet) Open(host string, port int, timeout time.Duration) error {
	if t.conn != nil && !t.closed.Load() {
		return ErrConnected
	}
	if port == 0 {
		port = TELNET_PORT
	}
	d := net.Dialer{Timeout: max(timeout, 0)}
	conn, err := d.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("compat: open: %w", err)
	}
	t.attach(conn, host, port, timeout)
	return nil
}

// attach makes conn the connection, with the parser reset as Python's
// close leaves it. The queues are kept, as Python keeps them across close
// and open.
func (t *Telnet) attach(conn net.Conn, host string, port int, timeout time.Duration) {
	t.conn, t.host, t.port, t.timeout = conn, host, port, timeout
	t.closed.Store(false)
	t.eof = false
	t.iacLen, t.sb = 0, false
	t.out = t.out[:0]
}

// Close closes the connection. What is left in the queues can still be
// read; then the read methods report end of file, except Expect and
// ReadUntil, which return [ErrNotConnected] as Python fails then. Close may
// be called from another goroutine to end a blocked read, which then
// returns as at end of file. Closing twice, or a Telnet never opened, does
// nothing.
func (t *Telnet) Close() error {
	if t.closed.Swap(true) || t.conn == nil {
		return nil
	}
	if err := t.conn.Close(); err != nil {
		return fmt.Errorf("compat: close: %w", err)
	}
	return nil
}

// Conn returns the connection, or nil when the Telnet is not connected,
// as Python's get_socket does. Writing to it bypasses the doubling of IAC;
// reading from it takes bytes from under the parser.
func (t *Telnet) Conn() net.Conn {
	if t.closed.Load() {
		return nil
	}
	return t.conn
}

// SetDebugLevel sets the debug level: above zero, every read and write of
// the connection and every command received is printed to the debug
// output, as Python's set_debuglevel does.
func (t *Telnet) SetDebugLevel(level int) { t.debugLevel = level }

// SetDebugOutput sets where debug messages go; nil, the default, means
// os.Stdout, where Python prints them. Nothing is printed at debug level 0.
func (t *Telnet) SetDebugOutput(w io.Writer) { t.debugOut = w }

// Msg prints a debug message when the debug level is above zero, prefixed
// with Telnet(host,port) as Python's msg does. With no args, format is
// printed as is.
func (t *Telnet) Msg(format string, args ...any) {
	if t.debugLevel <= 0 {
		return
	}
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	w := t.debugOut
	if w == nil {
		w = os.Stdout
	}
	t.debugMu.Lock()
	defer t.debugMu.Unlock()
	fmt.Fprintf(w, "Telnet(%s,%d): %s\n", t.host, t.port, format)
}

// SetOptionNegotiationCallback sets the callback that handles every
// command received from then on, or restores the default refusals when cb
// is nil.
func (t *Telnet) SetOptionNegotiationCallback(cb OptionCallback) { t.callback = cb }

// Write writes p to the connection with every IAC byte doubled, so that
// the peer reads it as data, and returns len(p) once all of it is written.
// Nothing else is translated: "\n" is sent as is. The socket timeout given
// to Open bounds it.
func (t *Telnet) Write(p []byte) (int, error) {
	if t.conn == nil || t.closed.Load() {
		return 0, ErrNotConnected
	}
	buf := p
	if bytes.IndexByte(p, IAC) >= 0 {
		buf = negotiate.AppendEscaped(make([]byte, 0, len(p)+8), p)
	}
	if t.debugLevel > 0 {
		t.Msg("send %q", buf)
	}
	if err := t.writeRaw(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// writeRaw writes buf as it is, within the socket timeout.
func (t *Telnet) writeRaw(buf []byte) error {
	t.armWrite()
	if _, err := t.conn.Write(buf); err != nil {
		return fmt.Errorf("compat: write: %w", err)
	}
	return nil
}

// armWrite sets the write deadline from the socket timeout, before a
// write of ours or of the callback.
func (t *Telnet) armWrite() {
	var d time.Time
	if t.timeout > 0 {
		d = time.Now().Add(t.timeout)
	}
	t.conn.SetWriteDeadline(d)
}

// readBuf returns where the next read goes: the free space of the cooked
// queue, where the data is then parsed and kept without a copy; or, when
// the queue is nearly full, a scratch buffer, so that a read that brings
// only the end of file does not double the queue.
func (t *Telnet) readBuf() []byte {
	if free := t.cooked.Free(); len(free) >= readSize {
		return free
	}
	if t.scratch == nil {
		t.scratch = make([]byte, readSize)
	}
	return t.scratch
}

// socketDeadline is the read deadline of a read bounded by the socket
// timeout only.
func (t *Telnet) socketDeadline() time.Time {
	if t.timeout > 0 {
		return time.Now().Add(t.timeout)
	}
	return time.Time{}
}

// connected reports whether the Telnet was opened and not closed since.
func (t *Telnet) connected() bool { return t.conn != nil && !t.closed.Load() }

// atEOF reports Python's self.eof: end of file was read, or Close was
// called.
func (t *Telnet) atEOF() bool { return t.eof || t.closed.Load() }
