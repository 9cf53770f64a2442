//go:build unix

package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// runMainEnv, set to 1, makes the test binary run the program instead of
// the tests, so that the program under test is built with the tests'
// flags (-race included).
const runMainEnv = "TELNET_CLIENT_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// A program is the program running in the background.
type program struct {
	t           *testing.T
	cmd         *exec.Cmd
	out, errOut bytes.Buffer
	exited      chan struct{}
}

// startProgram runs the program with args and stdin; it is killed at
// cleanup if it has not exited.
func startProgram(t *testing.T, stdin io.Reader, args ...string) *program {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &program{t: t, cmd: exec.Command(exe, args...), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), runMainEnv+"=1")
	p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = stdin, &p.out, &p.errOut
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// wait waits for the program to exit, and returns its exit status and
// what it wrote.
func (p *program) wait() (code int, stdout, stderr string) {
	p.t.Helper()
	select {
	case <-p.exited:
	case <-time.After(waitTime):
		p.cmd.Process.Kill()
		<-p.exited
		p.t.Errorf("%q did not exit; killed", p.cmd.Args[1:])
	}
	return p.cmd.ProcessState.ExitCode(), p.out.String(), p.errOut.String()
}

func TestExitStatus(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort, _ := net.SplitHostPort(l.Addr().String())
	l.Close() // nothing listens there now
	tests := []struct {
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{[]string{"--help"}, 0, "usage: telnet-client [options] HOST [PORT]", ""},
		{[]string{}, exitUsage, "", "want HOST [PORT]"},
		{[]string{"--bogus", "h"}, exitUsage, "", "unknown option --bogus\n"},
		{[]string{"--version"}, 0, "telnet-client ", ""},
		{[]string{"--logfmt", "plain", "h"}, exitUsage, "", `--logfmt "plain": not text, json or a Python logging format`},
		{[]string{"--encoding", "klingon", "h"}, exitUsage, "", "unknown encoding"},
		{[]string{"127.0.0.1", closedPort}, exitFailed, "", "connection refused"},
	}
	for _, tt := range tests {
		code, stdout, stderr := startProgram(t, strings.NewReader(""), tt.args...).wait()
		if code != tt.wantCode || !strings.Contains(stdout, tt.wantStdout) || !strings.Contains(stderr, tt.wantStderr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, %q",
				tt.args, code, stdout, stderr, tt.wantCode, tt.wantStdout, tt.wantStderr)
		}
	}
}
