package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

// A terminal is the user's terminal, which the session puts in raw mode
// and gives back as it found it.
type terminal interface {
	makeRaw() error
	// restore gives the terminal back as makeRaw found it. It may be
	// called more than once.
	restore() error
	size() (cols, rows int, err error)
	// specialChars returns the terminal's editing and signal characters
	// as LINEMODE's special characters, or nil when it cannot tell.
	specialChars() *negotiate.SLCTable
	// setFlowControl turns the terminal's own XON/XOFF flow control on
	// or off, as the server asks with LFLOW: the terminal driver then
	// stops and restarts the output when ^S and ^Q are typed, or any key
	// with restartAny.
	setFlowControl(on, restartAny bool) error
}

// An ending is how a session ended.
type ending uint8

const (
	endUser    ending = iota // ^] was typed
	endForeign               // the server closed the connection
	endSignal                // a signal asked the client to stop
	endError                 // the connection, the keyboard or the screen failed
)

// A result is how one side of the session ended.
type result struct {
	end ending
	sig os.Signal // for endSignal
	err error     // for endError; for endForeign, a failure other than EOF
}

// quietTime is how long the server's ECHO, SGA and BINARY must stay as
// they are before a terminal session reads the keyboard, so that the
// first key typed is treated in the mode the server wants.
const quietTime = 50 * time.Millisecond

// A session connects a terminal, or a pipe, to a Telnet connection.
type session struct {
	conn *telnet.Conn
	in   io.Reader
	// interruptInput makes a Read of in that is blocked return. When it
	// fails, the session does not wait for its reader.
	interruptInput func() error
	screen         *screen
	term           terminal // nil for a pipe
	force          forceMode
	// The keyboard is read once minWait has passed and, on a terminal,
	// the mode has not changed for quiet; or once maxWait has passed.
	minWait, maxWait, quiet time.Duration
	modeChanged             chan struct{} // a wake-up at each change of mode
	log                     *slog.Logger
	stop                    <-chan os.Signal // signals that end the session
	resize                  <-chan os.Signal // the terminal's size changed

	// state is the mode and, in bit 8, whether we send in BINARY mode;
	// keys is what the keys mean. Both change from the goroutine that
	// reads the connection.
	state atomic.Uint32
	keys  atomic.Pointer[keySet]
}

// newSession returns a session of conn for the options, on the terminal
// tty or, when tty is nil, on a pipe. The caller sets the input, the
// screen and the signal channels.
func newSession(o *options, conn *telnet.Conn, tty terminal, log *slog.Logger) *session {
	return &session{conn: conn, term: tty, force: o.force, log: log,
		minWait: o.connectMinWait, maxWait: o.connectMaxWait, quiet: quietTime, modeChanged: make(chan struct{}, 1)}
}

// run runs the session until one side ends it, and returns how. The
// terminal is raw from the start and restored before run returns, on
// every path.
func (s *session) run(ctx context.Context) result {
	if s.term != nil {
		if err := s.term.makeRaw(); err != nil {
			return result{end: endError, err: fmt.Errorf("telnet-client: raw mode: %w", err)}
		}
		defer s.term.restore()
	}
	stopChanges := s.conn.OnChange(s.changed)
	defer stopChanges()
	s.updateState()

	results := make(chan result, 2)
	done := make(chan struct{})
	serverDone := make(chan struct{})
	inputDone := make(chan struct{})
	go func() {
		defer close(serverDone)
		results <- s.readServer()
	}()
	go func() {
		defer close(inputDone)
		if r, ok := s.readInput(done); ok {
			results <- r
		}
	}()

	var r result
wait:
	for {
		select {
		case r = <-results:
			break wait
		case sig := <-s.stop:
			r = result{end: endSignal, sig: sig}
			break wait
		case <-s.resize:
			s.sendWindowSize()
		case <-ctx.Done():
			r = result{end: endError, err: ctx.Err()}
			break wait
		}
	}
	close(done)
	s.conn.Close()
	<-serverDone
	if err := s.interruptInput(); err != nil {
		s.log.Debug("telnet-client: the keyboard reader cannot be interrupted", "err", err)
	} else {
		<-inputDone
	}
	if s.term != nil {
		s.term.restore()
		switch r.end {
		case endUser:
			s.screen.write([]byte("\x1b[m"))
			s.screen.message("Connection closed.")
		case endForeign:
			s.screen.message("Connection closed by foreign host.")
		}
	}
	return r
}

// changed follows the server's changes of ECHO, SGA, BINARY, LINEMODE
// and LFLOW.
func (s *session) changed(ch telnet.Change) {
	switch ch.Kind {
	case telnet.ChangeOption:
		switch ch.Option {
		case negotiate.Echo, negotiate.SGA, negotiate.Binary, negotiate.Linemode, negotiate.LFLOW:
			s.updateState()
		}
	case telnet.ChangeLinemode, telnet.ChangeFlowControl:
		s.updateState()
	}
}

// updateState sets the mode, the keys and the terminal's flow control
// from what is negotiated now. Under LINEMODE the server's MODE says
// whether lines are edited here (EDIT) or keys sent as typed.
func (s *session) updateState() {
	eachKey := s.conn.OptionEnabled(negotiate.Remote, negotiate.SGA)
	keys := defaultKeys
	if lmode, ok := s.conn.Linemode(); ok {
		eachKey = lmode&negotiate.LinemodeEdit == 0
		slc, _ := s.conn.SLC()
		keys = linemodeKeys(&slc, lmode&negotiate.LinemodeTrapSig != 0, s.conn.ForwardMask())
	}
	s.keys.Store(keys)
	if s.term != nil {
		on, restartAny, _ := s.conn.FlowControl()
		if err := s.term.setFlowControl(on, restartAny); err != nil {
			s.log.Debug("telnet-client: flow control not set", "err", err)
		}
	}
	m := chooseMode(s.conn.OptionEnabled(negotiate.Remote, negotiate.Echo), eachKey, s.force)
	st := uint32(m)
	if s.conn.OptionEnabled(negotiate.Local, negotiate.Binary) {
		st |= 1 << 8
	}
	if old := s.state.Swap(st); old != st && s.term != nil {
		s.log.Debug("telnet-client: terminal mode", "mode", m.String(), "binary", st>>8 == 1)
		select {
		case s.modeChanged <- struct{}{}:
		default:
		}
	}
}

// mode returns the mode, and whether we send in BINARY mode. A pipe is
// always raw: bytes go as they come.
func (s *session) mode() (mode, bool) {
	st := s.state.Load()
	if s.term == nil {
		return modeRaw, st>>8 == 1
	}
	return mode(st & 0xff), st>>8 == 1
}

// sendWindowSize reports the terminal's size to the server.
func (s *session) sendWindowSize() {
	if s.term == nil {
		return
	}
	cols, rows, err := s.term.size()
	s.log.Debug("telnet-client: window size", "cols", cols, "rows", rows, "err", err)
	if err != nil || cols <= 0 || rows <= 0 {
		return
	}
	if err := s.conn.SetWindowSize(cols, rows); err != nil {
		s.log.Debug("telnet-client: sending the window size", "err", err)
	}
}

// readServer copies what the server sends, which the Conn has decoded to
// UTF-8, to the screen until the connection ends.
func (s *session) readServer() result {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.conn.Read(buf)
		if n > 0 {
			m, _ := s.mode()
			if werr := s.screen.output(buf[:n], m); werr != nil {
				return result{end: endError, err: fmt.Errorf("telnet-client: writing the output: %w", werr)}
			}
		}
		if isEncodingError(err) { // --encoding-errors strict
			return result{end: endError, err: err}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return result{end: endForeign, err: err}
		}
	}
}

// settle waits until the keyboard may be read, and reports false if the
// session ended first.
func (s *session) settle(done <-chan struct{}) bool {
	maxWait := time.NewTimer(s.maxWait)
	defer maxWait.Stop()
	minWait := time.NewTimer(s.minWait)
	defer minWait.Stop()
	quiet := time.NewTimer(s.quiet)
	defer quiet.Stop()
	minDone, quietDone := false, s.term == nil
	for !minDone || !quietDone {
		select {
		case <-minWait.C:
			minDone = true
		case <-quiet.C:
			quietDone = true
		case <-s.modeChanged:
			if s.term != nil { // a pipe goes as it comes, whatever the mode
				quiet.Reset(s.quiet)
				quietDone = false
			}
		case <-maxWait.C:
			return true
		case <-done:
			return false
		}
	}
	return true
}

// readInput sends what is typed, or what comes down the pipe, to the
// server. It reports false when it ends without ending the session: the
// session ended first, or a pipe reached its end and the session waits
// for the server to close.
func (s *session) readInput(done <-chan struct{}) (result, bool) {
	if !s.settle(done) {
		return result{}, false
	}
	var (
		kb      keyboard
		buf     = make([]byte, 32<<10)
		actions []keyAction
		echo    []byte
	)
	for {
		n, err := s.in.Read(buf)
		if n > 0 {
			m, binary := s.mode()
			quit := false
			if s.term == nil {
				actions = append(actions[:0], keyAction{data: kb.pipe(buf[:n], binary)})
			} else {
				actions, echo, quit = kb.feed(buf[:n], m, binary, s.keys.Load(), actions[:0], echo[:0])
				if werr := s.screen.write(echo); werr != nil {
					return result{end: endError, err: fmt.Errorf("telnet-client: writing the echo: %w", werr)}, true
				}
			}
			for _, a := range actions {
				var werr error
				if a.data == nil {
					werr = s.conn.SendCommand(a.cmd)
				} else {
					_, werr = s.conn.Write(a.data) // the Conn encodes it
				}
				if isEncodingError(werr) { // --encoding-errors strict
					return result{end: endError, err: werr}, true
				}
				if werr != nil {
					// The connection is gone; readServer tells how.
					return result{}, false
				}
			}
			if quit {
				return result{end: endUser}, true
			}
		}
		if err != nil {
			select {
			case <-done:
				return result{}, false
			default:
			}
			if errors.Is(err, io.EOF) && s.term == nil {
				s.log.Debug("telnet-client: end of input; waiting for the server to close")
				return result{}, false
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return result{end: endError, err: fmt.Errorf("telnet-client: reading the keyboard: %w", err)}, true
		}
	}
}

// isEncodingError reports whether err is text the Conn could not convert,
// which only the strict policy reports.
func isEncodingError(err error) bool {
	return errors.Is(err, charset.ErrInvalid) || errors.Is(err, charset.ErrUnencodable)
}
