//go:build linux

package shells

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/creack/pty"
	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// outputDrain bounds how long the program's last output is waited for
// once it has exited: a process it left behind may hold the terminal
// open.
const outputDrain = time.Second

// ServeTelnet runs the program for the client of c, until the program
// exits, the client leaves, or ctx is cancelled. It returns an error only
// when the program cannot be started.
func (p *PtyShell) ServeTelnet(ctx context.Context, c *telnet.Conn) error {
	log := telnet.LoggerFromContext(ctx)
	if p.LineMode {
		c.DisableOption(negotiate.Local, negotiate.Echo)
		c.DisableOption(negotiate.Local, negotiate.SGA)
	}
	// The terminal is followed from before the program starts, so that
	// no NAWS is missed.
	var term atomic.Pointer[os.File]
	stop := c.OnChange(func(ch telnet.Change) {
		f := term.Load()
		if f == nil {
			return
		}
		switch ch.Kind {
		case telnet.ChangeWindowSize:
			cols, rows := c.WindowSize()
			if err := setWindowSize(f, cols, rows); err != nil {
				log.Debug("shells: window size not set", "err", err)
			}
		case telnet.ChangeCommand:
			if key, ok := commandKeys[ch.Command]; ok {
				f.Write([]byte{key})
			} else if ch.Command == negotiate.AYT {
				io.WriteString(c, "\r\n[Yes]\r\n")
			}
		}
	})
	defer stop()

	cmd, f, err := p.start(c)
	if err != nil {
		return fmt.Errorf("shells: starting %s: %w", p.Program, err)
	}
	term.Store(f)
	if cols, rows := c.WindowSize(); cols > 0 && rows > 0 {
		setWindowSize(f, cols, rows) // a NAWS that came meanwhile
	}
	log.Info("shells: program started", "program", p.Program, "pid", cmd.Process.Pid)
	p.run(ctx, c, cmd, f, log)
	return nil
}

// start starts the program on a new pseudo-terminal, and returns the
// terminal's master side, ready for deadlines.
func (p *PtyShell) start(c *telnet.Conn) (*exec.Cmd, *os.File, error) {
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
	if p.LineMode {
		if err := setEcho(tty, false); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	cmd := exec.Command(p.Program, p.Args...)
	cmd.Env = p.environment(c)
	cmd.Dir = p.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// A session of its own, whose controlling terminal is the tty.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, nil, err
	}
	return cmd, f, nil
}

// run copies both ways until the program or the client ends, then ends
// the other, and logs the exit status.
func (p *PtyShell) run(ctx context.Context, c *telnet.Conn, cmd *exec.Cmd, f *os.File, log *slog.Logger) {
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	output := make(chan struct{})
	go func() {
		defer close(output)
		copyOutput(c, f)
	}()
	input := make(chan struct{})
	go func() {
		defer close(input)
		copyInput(f, c)
	}()

	select {
	case <-exited:
	case <-input: // the client left or timed out, or the server shuts down
	case <-output: // the client cannot be written to, or the terminal closed
	}
	select {
	case <-exited:
	default:
		p.hangup(cmd, exited, log)
	}
	f.SetReadDeadline(time.Now().Add(outputDrain))
	<-output
	f.Close()
	c.Close()
	<-input
	log.Info("shells: program ended", "program", p.Program, "pid", cmd.Process.Pid, "status", cmd.ProcessState.String())
}

// hangup sends SIGHUP to the program's process group, and SIGKILL if it
// is still there after the grace period, then waits for it.
func (p *PtyShell) hangup(cmd *exec.Cmd, exited <-chan struct{}, log *slog.Logger) {
	group := -cmd.Process.Pid // the session leader leads its group
	syscall.Kill(group, syscall.SIGHUP)
	syscall.Kill(group, syscall.SIGCONT) // a stopped program must run to die
	t := time.NewTimer(p.hangupGrace())
	defer t.Stop()
	select {
	case <-exited:
		return
	case <-t.C:
	}
	log.Info("shells: program killed: SIGHUP ignored", "program", p.Program, "pid", cmd.Process.Pid)
	syscall.Kill(group, syscall.SIGKILL)
	<-exited
}

// copyOutput copies what the program writes to the client, until the
// program closes the terminal (EIO on Linux), the read deadline passes
// or the client cannot be written to.
func copyOutput(c *telnet.Conn, f *os.File) {
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if _, err := c.Write(buf[:n]); err != nil {
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
func copyInput(f *os.File, c *telnet.Conn) {
	var enter enterFolder
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			data := buf[:n]
			if c.OptionEnabled(negotiate.Remote, negotiate.Binary) {
				enter.afterCR = false
			} else {
				data = data[:enter.fold(data)]
			}
			if _, err := f.Write(data); err != nil {
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
	var dup uintptr
	err := control(f, func(fd uintptr) error {
		r, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_DUPFD_CLOEXEC, 0)
		if errno != 0 {
			return errno
		}
		dup = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(int(dup), true); err != nil {
		syscall.Close(int(dup))
		return nil, err
	}
	return os.NewFile(dup, f.Name()), nil
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

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	return control(f, func(fd uintptr) error {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg)); errno != 0 {
			return errno
		}
		return nil
	})
}

// setWindowSize sets the window size of the terminal f, clamped to what
// the kernel holds.
func setWindowSize(f *os.File, cols, rows int) error {
	ws := pty.Winsize{Cols: uint16(min(max(cols, 0), 0xffff)), Rows: uint16(min(max(rows, 0), 0xffff))}
	return ioctl(f, syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
}

// setEcho turns the echo of the terminal f on or off.
func setEcho(f *os.File, on bool) error {
	var t syscall.Termios
	if err := ioctl(f, syscall.TCGETS, unsafe.Pointer(&t)); err != nil {
		return err
	}
	if on {
		t.Lflag |= syscall.ECHO
	} else {
		t.Lflag &^= syscall.ECHO
	}
	return ioctl(f, syscall.TCSETS, unsafe.Pointer(&t))
}
