//go:build unix

package main

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/internal/testcert"
)

// The TLS tests point the program with --ssl at TLS servers that speak no
// Telnet: socat's OPENSSL-LISTEN and openssl s_server running a shell
// (Debian's socat and openssl), with certificates the test makes for
// 127.0.0.1 and localhost. A test whose program is not installed is
// skipped, unless TELNET_INTEROP=1 is set, in which case it fails.

// needProgram returns the path of the program, or skips the test (fails
// it when TELNET_INTEROP=1).
func needProgram(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("TELNET_INTEROP") == "1" {
		t.Fatalf("%s is not installed (TELNET_INTEROP=1)", name)
	}
	t.Skipf("%s is not installed; set TELNET_INTEROP=1 to make this a failure", name)
	return ""
}

// freePort returns a port of 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// waitListening waits until something listens on 127.0.0.1:port. The
// servers take the probe, which closes at once, for a failed handshake,
// and go on.
func waitListening(t *testing.T, port string, exited <-chan struct{}) {
	t.Helper()
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		if c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", port)); err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			t.Fatalf("the server exited before listening on port %s", port)
		default:
		}
		if time.Since(start) > waitTime {
			t.Fatalf("nothing listens on port %s", port)
		}
	}
}

// startServerCmd starts cmd, killed at cleanup, and waits until it
// listens on port.
func startServerCmd(t *testing.T, cmd *exec.Cmd, port string) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	waitListening(t, port, exited)
}

// TestTLSSocatListen: the program reaches socat's OPENSSL-LISTEN with the
// CA given, refuses it with the system's CAs and says why, and takes it
// with --ssl-no-verify.
func TestTLSSocatListen(t *testing.T) {
	socat := needProgram(t, "socat")
	cert := testcert.New(t)
	port := freePort(t)
	cmd := exec.Command(socat, "OPENSSL-LISTEN:"+port+",bind=127.0.0.1,reuseaddr,fork,verify=0,cert="+cert.CertFile+",key="+cert.KeyFile,
		`SYSTEM:echo hello from socat; read line; echo "got $line"`)
	startServerCmd(t, cmd, port)

	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		out        string
		errorParts []string
	}{
		{"cafile", []string{"--ssl-cafile", cert.CAFile, "127.0.0.1", port}, exitForeign, "hello from socat\ngot ping\n", nil},
		{"cafile localhost", []string{"--ssl-cafile", cert.CAFile, "localhost", port}, exitForeign, "hello from socat\ngot ping\n", nil},
		{"system CAs", []string{"--ssl", "127.0.0.1", port}, exitFailed, "",
			[]string{"certificate signed by unknown authority", "127.0.0.1", "--ssl-cafile", "--ssl-no-verify"}},
		{"no verify", []string{"--ssl-no-verify", "127.0.0.1", port}, exitForeign, "hello from socat\ngot ping\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := startProgram(t, strings.NewReader("ping\n"), tc.args...).wait()
			if code != tc.code || stdout != tc.out {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q", code, stdout, stderr, tc.code, tc.out)
			}
			for _, w := range tc.errorParts {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not say %q", stderr, w)
				}
			}
		})
	}
}

// TestTLSOpenSSLServerShell: the program runs commands in a shell served
// by openssl s_server, whose input and output are the shell's.
func TestTLSOpenSSLServerShell(t *testing.T) {
	openssl := needProgram(t, "openssl")
	cert := testcert.New(t)
	port := freePort(t)
	// It closes the connection when the shell's output ends.
	server := exec.Command(openssl, "s_server", "-quiet", "-accept", "127.0.0.1:"+port,
		"-cert", cert.CertFile, "-key", cert.KeyFile)
	shell := exec.Command("/bin/sh")
	shell.Env = []string{"PATH=/usr/bin:/bin", "LANG=C"}
	// The server's output is the shell's input, and the other way round.
	toShell, fromServer, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	toServer, fromShell, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	server.Stdout, shell.Stdin = fromServer, toShell
	shell.Stdout, shell.Stderr, server.Stdin = fromShell, fromShell, toServer
	if err := shell.Start(); err != nil {
		t.Fatal(err)
	}
	shellExited := make(chan struct{})
	go func() { shell.Wait(); close(shellExited) }()
	t.Cleanup(func() { shell.Process.Kill(); <-shellExited })
	startServerCmd(t, server, port)
	for _, f := range []*os.File{toShell, fromServer, toServer, fromShell} {
		f.Close() // the children have them
	}

	// The shell would take the CR before LF for part of the line: a
	// comment keeps it out of the way.
	in := "echo $((6*7)) $(id -u >/dev/null && echo sh) #\nexit 0 #\n"
	code, stdout, stderr := startProgram(t, strings.NewReader(in),
		"--ssl-cafile", cert.CAFile, "--connect-maxwait", "0.2", "localhost", port).wait()
	if code != exitForeign || stdout != "42 sh\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q", code, stdout, stderr, exitForeign, "42 sh\n")
	}
}
