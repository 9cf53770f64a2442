//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package shells

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
	"golang.org/x/sys/unix"
)

// outputDrain bounds how long the program's last output is waited for
// once it has exited: a process it left behind may hold the terminal
// open.
const outputDrain = time.Second

// ServeTelnet runs the program for the client of c, until the program
// exits, the client leaves, or c fails, as it does when a [telnet.Daemon]
// shuts down or times the client out. It returns an error only when the
// program cannot be started.
func (p *PtyShell) ServeTelnet(ctx context.Context, c *telnet.Conn) error {
	log := telnet.LoggerFromContext(ctx)
	// The client's XON/XOFF flow control follows the program's, for the
	// clients that do LFLOW (BSD telnet), as telnetd has it.
	c.EnableOption(negotiate.Remote, negotiate.LFLOW)
	if p.LineMode {
		c.DisableOption(negotiate.Local, negotiate.Echo)
		c.DisableOption(negotiate.Local, negotiate.SGA)
	}
	// The terminal is followed from before the program starts, so that
	// no NAWS is missed.
	var term atomic.Pointer[ptyTerminal]
	stop := c.OnChange(func(ch telnet.Change) {
		t := term.Load()
		if t == nil {
			return
		}
		switch {
		case ch.Kind == telnet.ChangeLinemode,
			ch.Kind == telnet.ChangeOption && ch.Option == negotiate.Linemode,
			ch.Kind == telnet.ChangeOption && ch.Option == negotiate.Echo && ch.Side == negotiate.Local:
			if err := t.followMode(); err != nil {
				log.Debug("shells: terminal mode not set", "err", err)
			}
		case ch.Kind == telnet.ChangeWindowSize:
			cols, rows := c.WindowSize()
			if err := setWindowSize(t.f, cols, rows); err != nil {
				log.Debug("shells: window size not set", "err", err)
			}
		case ch.Kind == telnet.ChangeCommand:
			if ok, err := t.command(ch.Command); err != nil {
				log.Debug("shells: command not passed", "command", ch.Command, "err", err)
			} else if !ok && ch.Command == negotiate.AYT {
				io.WriteString(c, "\r\n[Yes]\r\n")
			}
		}
	})
	defer stop()

	cmd, t, err := p.start(c)
	if err != nil {
		return fmt.Errorf("shells: starting %s: %w", p.Program, err)
	}
	term.Store(t)
	if cols, rows := c.WindowSize(); cols > 0 && rows > 0 {
		setWindowSize(t.f, cols, rows) // a NAWS that came meanwhile
	}
	if _, on := c.Linemode(); on || p.LineMode {
		t.followMode() // what changed meanwhile
	}
	log.Info("shells: program started", "program", p.Program, "pid", cmd.Process.Pid)
	p.run(c, cmd, t, log)
	return nil
}

// start starts the program on a new pseudo-terminal, and returns the
// terminal, whose master side is ready for deadlines.
func (p *PtyShell) start(c *telnet.Conn) (*exec.Cmd, *ptyTerminal, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, nil, err
	}
	defer tty.Close()
	f, err := pollable(master)
	if err != nil {
		return nil, nil, err
	}
	cols, rows := c.WindowSize()
	if cols <= 0 || rows <= 0 {
		cols, rows = 80, 24
	}
	if err := setWindowSize(tty, cols, rows); err != nil {
		f.Close()
		return nil, nil, err
	}
	t := &ptyTerminal{f: f, c: c}
	// Before the program starts, which may save the attributes to put
	// them back (a shell's line editor does).
	if _, on := c.Linemode(); on || p.LineMode {
		if err := t.setMode(int(tty.Fd())); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	cmd := exec.Command(p.Program, p.Args...)
	cmd.Env = p.environment(c)
	cmd.Dir = p.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// A session of its own, whose controlling terminal is the tty: the
	// session is what ends with the connection.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if p.User != "" {
		cred, err := credential(p.User)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		cmd.SysProcAttr.Credential = cred
		// The terminal is the user's, as login makes it: programs
		// that open it by name (tty, mesg, ssh) work.
		if err := tty.Chown(int(cred.Uid), int(cred.Gid)); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	// The program gets 0, 1 and 2, and no descriptor the server
	// inherited without close-on-exec.
	if err := prepareSessions(); err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, nil, err
	}
	return cmd, t, nil
}

// credential returns the user and groups of the account name, or of the
// numeric user ID.
func credential(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		var uerr error
		if u, uerr = user.LookupId(name); uerr != nil {
			return nil, err
		}
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("shells: user %s: uid %q", name, u.Uid)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("shells: user %s: gid %q", name, u.Gid)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	ids, err := u.GroupIds()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil {
			cred.Groups = append(cred.Groups, uint32(g))
		}
	}
	return cred, nil
}

// run copies both ways until the program or the client ends, then ends
// the other, and logs the exit status.
func (p *PtyShell) run(c *telnet.Conn, cmd *exec.Cmd, t *ptyTerminal, log *slog.Logger) {
	f := t.f
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	output := make(chan struct{})
	go func() {
		defer close(output)
		copyOutput(c, t)
	}()
	input := make(chan struct{})
	go func() {
		defer close(input)
		copyInput(t, c)
	}()

	select {
	case <-exited:
	case <-input: // the client left or timed out, or the server shuts down
	case <-output: // the client cannot be written to, or the terminal closed
	}
	t.stop()
	p.hangup(session(cmd.Process.Pid), exited, log)
	f.SetReadDeadline(time.Now().Add(outputDrain))
	<-output
	f.Close()
	c.Close()
	<-input
	log.Info("shells: program ended", "program", p.Program, "pid", cmd.Process.Pid, "status", cmd.ProcessState.String())
}

// hangup ends every process of the program's session s: it sends them
// SIGHUP, and SIGKILL to those still there after the grace period, then
// waits for the program and reaps what it left.
func (p *PtyShell) hangup(s session, exited <-chan struct{}, log *slog.Logger) {
	defer s.reap()
	ended := func() bool {
		select {
		case <-exited:
			return s.signal(0) == 0
		default:
			return false
		}
	}
	if ended() {
		return // the program ended, and left nothing behind
	}
	s.signal(unix.SIGHUP)
	s.signal(unix.SIGCONT) // a stopped process must run to die
	grace := time.NewTimer(p.hangupGrace())
	defer grace.Stop()
	poll := time.NewTicker(hangupPoll)
	defer poll.Stop()
	for wake := exited; !ended(); {
		select {
		case <-wake:
			wake = nil // exited: from now on, the poll alone
		case <-poll.C:
		case <-grace.C:
			log.Info("shells: session killed: SIGHUP ignored", "program", p.Program, "session", int(s))
			// A process may fork as it is killed: again until none
			// is left, within reason.
			for range 100 {
				if s.signal(unix.SIGKILL) == 0 {
					break
				}
				time.Sleep(hangupPoll / 5)
				s.reap()
			}
			<-exited
			return
		}
	}
}

// hangupPoll is how often a session is looked at during its grace
// period.
const hangupPoll = 50 * time.Millisecond

// copyOutput copies what the program writes to the client, until the
// program closes the terminal (EIO on Linux), the read deadline passes
// or the client cannot be written to.
func copyOutput(c *telnet.Conn, t *ptyTerminal) {
	buf := make([]byte, 1+32<<10) // buf[0] for a CR that goes first
	for {
		n, err := t.f.Read(buf[1:])
		if n > 0 {
			t.follow()
			out := buf[1 : 1+n]
			// A client that edited a line echoed its end; one whose
			// output is binary (BSD telnet) echoed a bare LF, and the
			// answer would start where the line ended.
			if t.lineSent.Swap(false) && out[0] != '\r' {
				buf[0] = '\r'
				out = buf[:1+n]
			}
			if _, err := c.Write(out); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// copyInput copies what the client types to the program, with Enter as
// a terminal sends it outside BINARY, until the client or the terminal
// fails.
func copyInput(t *ptyTerminal, c *telnet.Conn) {
	var enter enterFolder
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			data := buf[:n]
			switch {
			case t.extproc.Load():
				data = data[:enter.fold(data, '\n')]
				if bytes.IndexByte(data, '\n') >= 0 {
					t.lineSent.Store(true)
				}
			case c.OptionEnabled(negotiate.Remote, negotiate.Binary):
				enter.afterCR = false
			default:
				data = data[:enter.fold(data, '\r')]
			}
			t.follow()
			if _, err := t.f.Write(data); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// pollable returns a copy of the pseudo-terminal master f in non-blocking
// mode, whose reads and writes take deadlines and end when it is closed,
// and closes f. (pty.Open leaves its files in blocking mode.)
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	var dup int
	err := control(f, func(fd uintptr) (err error) {
		dup, err = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(dup, true); err != nil {
		unix.Close(dup)
		return nil, err
	}
	return os.NewFile(uintptr(dup), f.Name()), nil
}

// control runs fn with the file descriptor of f.
func control(f *os.File, fn func(fd uintptr) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(fd) }); err != nil {
		return err
	}
	return ferr
}

// setWindowSize sets the window size of the terminal f, clamped to what
// the kernel holds. (pty.Setsize would take f.Fd(), which makes f
// blocking again.)
func setWindowSize(f *os.File, cols, rows int) error {
	ws := unix.Winsize{Col: uint16(min(max(cols, 0), 0xffff)), Row: uint16(min(max(rows, 0), 0xffff))}
	return control(f, func(fd uintptr) error { return unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &ws) })
}

// closeOnExecAll sets close-on-exec on every open descriptor above 2,
// listed in dir (/proc/self/fd, /dev/fd).
func closeOnExecAll(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("shells: listing descriptors: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return fmt.Errorf("shells: listing descriptors: %w", err)
	}
	for _, name := range names {
		if fd, err := strconv.Atoi(name); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
	return nil
}
