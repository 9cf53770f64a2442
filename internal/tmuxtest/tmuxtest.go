//go:build unix

// Package tmuxtest runs programs on a real terminal for tests: a tmux
// pane on a tmux server of its own, typed into with send-keys and read
// with capture-pane, so that a test sees the screen a person would.
//
// A program missing skips the test, unless TELNET_INTEROP=1 is set, as
// CI does: then it fails.
package tmuxtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Timeout is how long WaitFor waits for the screen to show something.
const Timeout = 5 * time.Second

// Need returns the path of a program, or skips the test (fails it when
// TELNET_INTEROP=1).
func Need(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		SkipOrFail(t, "%s is not installed", name)
	}
	return path
}

// SkipOrFail skips the test with the message, or fails it when
// TELNET_INTEROP=1.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("TELNET_INTEROP") == "1" {
		t.Fatalf(format+" (TELNET_INTEROP=1)", args...)
	}
	t.Skipf(format+"; set TELNET_INTEROP=1 to make this a failure", args...)
}

// ShellQuote quotes s as one word of a sh command line.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// A Pane is a tmux pane running a shell script, on a tmux server of its
// own, which the test's cleanup kills.
type Pane struct {
	t    testing.TB
	tmux string
	sock string
	// Dir is the script's directory ($D in the script), for the files it
	// writes.
	Dir string
}

// Start runs script (sh) in a new tmux pane of cols x rows, with TERM=xterm
// and LANG=C.UTF-8. The script may use $D, a directory of its own. The
// pane stays after the script ends, to be read; the tmux server is killed
// at cleanup, and on a failure the test logs the screen.
func Start(t testing.TB, cols, rows int, script string) *Pane {
	t.Helper()
	tmux := Need(t, "tmux")
	dir, err := os.MkdirTemp("", "tc") // short: a socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &Pane{t: t, tmux: tmux, Dir: dir, sock: filepath.Join(dir, "s")}
	conf := filepath.Join(dir, "conf")
	// No status line, so that the pane is the whole window.
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g remain-on-exit on\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	scriptFile := filepath.Join(dir, "script")
	if err := os.WriteFile(scriptFile, []byte("D="+dir+"\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	p.Run("-f", conf, "new-session", "-d", "-s", "t", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows),
		"sh "+scriptFile)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the pane at the end:\n%s", p.Capture())
		}
		exec.Command(p.tmux, "-S", p.sock, "kill-server").Run()
	})
	return p
}

// Run runs a tmux command on the pane's server, and returns its output.
func (p *Pane) Run(args ...string) string {
	p.t.Helper()
	cmd := exec.Command(p.tmux, append([]string{"-S", p.sock}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + p.Dir, "TERM=xterm", "LANG=C.UTF-8"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %q: %v: %s", args, err, out)
	}
	return string(out)
}

// Keys sends tmux key names ("Enter", "C-]", "BSpace") or text to the
// pane.
func (p *Pane) Keys(keys ...string) {
	p.t.Helper()
	p.Run(append([]string{"send-keys", "-t", "t"}, keys...)...)
}

// Type types s literally.
func (p *Pane) Type(s string) {
	p.t.Helper()
	p.Run("send-keys", "-t", "t", "-l", s)
}

// TypeLine types s literally, then Enter.
func (p *Pane) TypeLine(s string) {
	p.t.Helper()
	p.Type(s)
	p.Keys("Enter")
}

// Capture returns the text on the pane.
func (p *Pane) Capture() string {
	cmd := exec.Command(p.tmux, "-S", p.sock, "capture-pane", "-p", "-J", "-t", "t")
	out, _ := cmd.Output()
	return string(out)
}

// WaitFor waits until the pane shows want, for Timeout at most, and
// returns the screen; it fails the test if want never shows.
func (p *Pane) WaitFor(want string) string {
	p.t.Helper()
	s, ok := p.Shows(want, Timeout)
	if !ok {
		p.t.Fatalf("the pane does not show %q:\n%s", want, s)
	}
	return s
}

// WaitGone waits until the pane no longer shows gone, for Timeout at
// most, and returns the screen; it fails the test if gone stays.
func (p *Pane) WaitGone(gone string) string {
	p.t.Helper()
	s, ok := p.until(Timeout, func(s string) bool { return !strings.Contains(s, gone) })
	if !ok {
		p.t.Fatalf("the pane still shows %q:\n%s", gone, s)
	}
	return s
}

// Shows reports whether the pane shows want within d, and returns the
// screen.
func (p *Pane) Shows(want string, d time.Duration) (string, bool) {
	return p.until(d, func(s string) bool { return strings.Contains(s, want) })
}

// until waits for d at most until the screen satisfies cond, and returns
// the screen and whether it did.
func (p *Pane) until(d time.Duration, cond func(screen string) bool) (string, bool) {
	deadline := time.Now().Add(d)
	for {
		s := p.Capture()
		if cond(s) {
			return s, true
		}
		if time.Now().After(deadline) {
			return s, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Resize makes the window cols x rows.
func (p *Pane) Resize(cols, rows int) {
	p.t.Helper()
	p.Run("resize-window", "-t", "t", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows))
}
