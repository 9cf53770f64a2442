//go:build unix

package tmuxtest

import (
	"strings"
	"testing"
	"time"
)

// The sessions below type at a shell through a Telnet client that edits
// lines under LINEMODE, as a person would, and check what the pane shows.
// The same scenes run with each client: BSD telnet and this module's.

// LinemodeShell types at sh, whose prompt is prompt, on a pane whose
// terminal's kill character is ^X (stty kill ^X before the client
// starts). Each command line shows once and its output starts a line of
// its own; ^X and Backspace edit the line at the client; stty in the
// session shows ^X, agreed with SLC; ^C interrupts sleep.
func LinemodeShell(t testing.TB, p *Pane, prompt string) {
	t.Helper()
	p.TypeLine("echo A$((6*7))")
	screen := p.WaitFor("A42")
	if n := strings.Count(screen, "echo A$((6*7))"); n != 1 {
		t.Errorf("the command line shows %d times:\n%s", n, screen)
	}
	if !strings.Contains(screen, "echo A$((6*7))\nA42") {
		t.Errorf("the output does not start its line:\n%s", screen)
	}
	p.Type("echo junk")
	p.WaitFor("echo junk")
	p.Keys("C-x")
	p.WaitGone("echo junk")
	p.Type("echo abcx")
	p.WaitFor("echo abcx")
	p.Keys("BSpace")
	p.WaitGone("abcx")
	p.TypeLine("d")
	if screen := p.WaitFor("echo abcd\nabcd\n"); strings.Count(screen, "abcd") != 2 || strings.Contains(screen, "junk") {
		t.Errorf("want the edited line and its output, each once, and no junk:\n%s", screen)
	}
	p.TypeLine("stty -a | grep -o ' kill = [^;]*'")
	p.WaitFor("kill = ^X")
	p.TypeLine("sleep 20; echo not interrupted")
	time.Sleep(300 * time.Millisecond)
	prompts := strings.Count(p.Capture(), prompt)
	p.Keys("C-c")
	// BSD telnet flushes what is typed after ^C (SLC IP has FLUSHIN): the
	// next line waits for the shell's prompt, as a person would.
	if screen, ok := p.until(Timeout, func(s string) bool { return strings.Count(s, prompt) > prompts }); !ok {
		t.Fatalf("no prompt after ^C:\n%s", screen)
	}
	p.TypeLine("echo B$((6*7))")
	if screen := p.WaitFor("B42"); strings.Count(screen, "not interrupted") != 1 {
		t.Errorf("^C did not interrupt sleep:\n%s", screen)
	}
}

// LinemodeBash types at bash, whose line editor reads each key and whose
// prompt is prompt: at the prompt the client sends keys as typed and the
// history works (Up); cat gets lines the client edited; what read -s reads
// is never shown.
func LinemodeBash(t testing.TB, p *Pane, prompt string) {
	t.Helper()
	p.TypeLine("echo A$((6*7))")
	p.WaitFor("A42")
	p.Keys("Up")
	p.Keys("Enter")
	if screen, ok := p.Shows("A42\n"+prompt+"echo A$((6*7))\nA42", Timeout); !ok {
		t.Errorf("Up did not bring the last line back:\n%s", screen)
	}
	p.TypeLine("cat")
	time.Sleep(300 * time.Millisecond) // cat starts, the client turns to editing
	p.Type("lime onx")
	p.Keys("BSpace")
	p.TypeLine("e")
	p.Keys("C-d")
	if screen := p.WaitFor("lime one\nlime one\n"); strings.Count(screen, "lime one") != 2 {
		t.Errorf("want the edited line and cat's copy, each once:\n%s", screen)
	}
	p.TypeLine("read -s -p 'pw: ' P; echo; echo got=$P")
	p.WaitFor("pw: ")
	p.TypeLine("hunter2")
	if screen := p.WaitFor("got=hunter2"); strings.Count(screen, "hunter2") != 1 {
		t.Errorf("the password was shown as typed:\n%s", screen)
	}
}
