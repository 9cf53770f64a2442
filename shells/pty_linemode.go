//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package shells

import (
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/termios"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

// A ptyTerminal is the pseudo-terminal of a session, kept in step with
// what was agreed with the client, as BSD telnetd keeps its pty.
//
// Outside LINEMODE the terminal echoes while the server does: a client
// told WONT ECHO (inetutils telnet's "mode line" without LINEMODE) echoes
// itself. Under LINEMODE the echo flag is the program's: under MODE EDIT
// the terminal is put in EXTPROC mode, where the line discipline leaves
// echo and editing to the client, and its control characters are the
// special characters agreed, so that stty in the session shows them. The
// mode follows the program (see followProgram).
type ptyTerminal struct {
	f *os.File // the master side
	c *telnet.Conn

	// mu serialises changes of the attributes; it is taken before the
	// Conn's locks, never inside a call of the Conn.
	mu      sync.Mutex
	echoOff bool // the echo is off for a client that echoes itself, outside LINEMODE

	// extproc says the line discipline takes lines as the client edited
	// them: their end must be LF, which it would make of a CR otherwise.
	// wasEdit says it has: a program may put EXTPROC back later with
	// attributes it saved.
	extproc, wasEdit atomic.Bool
	// lineSent says a line the client edited went to the program since
	// the last output.
	lineSent atomic.Bool

	// recheck runs followProgram again shortly after the program read
	// or wrote, when it changes its terminal without a word (a shell
	// restores it and starts cat); done stops it for good.
	recheckMu sync.Mutex
	recheck   *time.Timer
	done      bool
}

// recheckDelay is how long after the program read or wrote its terminal
// is looked at again.
const recheckDelay = 50 * time.Millisecond

// follow runs followProgram now, and again after recheckDelay unless the
// program reads or writes meanwhile.
func (t *ptyTerminal) follow() {
	if !t.followProgram() {
		return
	}
	t.recheckMu.Lock()
	defer t.recheckMu.Unlock()
	switch {
	case t.done:
	case t.recheck == nil:
		t.recheck = time.AfterFunc(recheckDelay, func() { t.followProgram() })
	default:
		t.recheck.Reset(recheckDelay)
	}
}

// stop ends the rechecks.
func (t *ptyTerminal) stop() {
	t.recheckMu.Lock()
	defer t.recheckMu.Unlock()
	t.done = true
	if t.recheck != nil {
		t.recheck.Stop()
	}
}

// followMode sets the terminal to the mode agreed now.
func (t *ptyTerminal) followMode() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return control(t.f, func(fd uintptr) error { return t.setMode(int(fd)) })
}

// setMode sets the terminal fd, the master or the slave side, to the mode
// agreed now. It runs with t.mu held, or before the program starts.
func (t *ptyTerminal) setMode(fd int) error {
	tio, err := termios.Get(fd)
	if err != nil {
		return err
	}
	mode, linemode := t.c.Linemode()
	edit := linemode && mode&negotiate.LinemodeEdit != 0
	setFlag(&tio.Lflag, unix.EXTPROC, edit)
	t.extproc.Store(edit)
	if edit {
		t.wasEdit.Store(true)
	}
	switch {
	case linemode:
		if t.echoOff {
			tio.Lflag |= unix.ECHO // the program's again
			t.echoOff = false
		}
		slc, _ := t.c.SLC()
		termios.ApplySLC(tio, &slc)
	default:
		echo := t.c.OptionEnabled(negotiate.Local, negotiate.Echo)
		setFlag(&tio.Lflag, unix.ECHO, echo)
		t.echoOff = !echo
	}
	return termios.Set(fd, tio)
}

func setFlag[T uint32 | uint64](flags *T, bit T, on bool) {
	if on {
		*flags |= bit
	} else {
		*flags &^= bit
	}
}

// followProgram tells a LINEMODE client how the program reads now, as BSD
// telnetd does, by the server's ECHO, which sets the mode the Conn asks
// for: a program that reads lines with the terminal's echo (a shell, cat)
// has the client edit and echo them (WONT ECHO, MODE EDIT); one that
// reads each key (an editor, a shell's line editor) or hides what is typed
// (a password) has the client send each key and echo none (WILL ECHO,
// character mode). It runs as the program writes and as the client types:
// a program changes its terminal before it reads or draws. It also puts
// EXTPROC back as the mode wants it, when the program has put back
// attributes saved in another mode (a shell does after each job).
//
// Under LFLOW the client's XON/XOFF flow control follows the program's:
// an editor that takes ^S and ^Q as keys turns it off (IXON), and the
// client then sends them. Under LINEMODE the client also sends its line
// at the program's end-of-line characters (FORWARDMASK).
//
// It reports whether there is anything to follow: LINEMODE or LFLOW.
func (t *ptyTerminal) followProgram() bool {
	mode, linemode := t.c.Linemode()
	flowOn, flowAny, lflow := t.c.FlowControl()
	if !linemode && !lflow && !t.wasEdit.Load() {
		return false // a session that never did either: no system call
	}
	edit := linemode && mode&negotiate.LinemodeEdit != 0
	var (
		lines, ixon, ixany bool
		eol                negotiate.ForwardMask
	)
	t.mu.Lock()
	err := control(t.f, func(fd uintptr) error {
		tio, err := termios.Get(int(fd))
		if err != nil {
			return err
		}
		lines = tio.Lflag&(unix.ICANON|unix.ECHO) == unix.ICANON|unix.ECHO
		ixon, ixany = tio.Iflag&unix.IXON != 0, tio.Iflag&unix.IXANY != 0
		eol = termios.ForwardMask(tio)
		if tio.Lflag&unix.EXTPROC != 0 == edit {
			return nil
		}
		setFlag(&tio.Lflag, unix.EXTPROC, edit)
		return termios.Set(int(fd), tio)
	})
	t.extproc.Store(edit)
	t.mu.Unlock()
	if err != nil {
		return false
	}
	if lflow && (ixon != flowOn || ixon && ixany != flowAny) {
		t.c.SetFlowControl(ixon, ixany)
	}
	if !linemode {
		return lflow
	}
	if eol != t.c.ForwardMask() {
		t.c.RequestForwardMask(eol) // a line ends at the program's EOL characters too
	}
	switch echo := t.c.OptionEnabled(negotiate.Local, negotiate.Echo); {
	case lines && echo:
		t.c.DisableOption(negotiate.Local, negotiate.Echo)
	case !lines && !echo:
		t.c.EnableOption(negotiate.Local, negotiate.Echo)
	}
	return true
}

// command passes the Telnet command cmd to the program as the terminal
// passes the key it stands for (IAC IP is the interrupt character, ...),
// as the terminal is set now: the program may have changed it. Under
// EXTPROC the line discipline makes no signal of a character, so the
// signal is sent here, as BSD telnetd does. It reports whether cmd stands
// for a key.
func (t *ptyTerminal) command(cmd negotiate.Command) (bool, error) {
	var (
		key      byte
		ok, sent bool
	)
	err := control(t.f, func(fd uintptr) error {
		tio, err := termios.Get(int(fd))
		if err != nil {
			return err
		}
		if key, ok = termios.CommandChar(tio, cmd); !ok {
			return nil
		}
		sig, isSig := termios.CommandSignal(cmd)
		if !isSig || tio.Lflag&(unix.ISIG|unix.EXTPROC) != unix.ISIG|unix.EXTPROC {
			return nil
		}
		sent = true
		return unix.IoctlSetInt(int(fd), unix.TIOCSIG, int(sig))
	})
	if err != nil || !ok || sent {
		return ok, err
	}
	_, err = t.f.Write([]byte{key})
	return true, err
}
