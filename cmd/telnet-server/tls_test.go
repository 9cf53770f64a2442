package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/testcert"
	"github.com/telnetkit/telnet/shells"
	"github.com/telnetkit/telnet/shells/shelltest"
)

// The TLS tests reach the debug shell over TELNETS with Debian's openssl
// (s_client), socat (OPENSSL:) and telnet-ssl (netkit's telnet, -z ssl),
// with certificates the test makes for 127.0.0.1 and localhost.

// secureGreeting is the debug shell's greeting over TLS 1.3, as
// telnetlib3's.
const secureGreeting = "Ready (secure: TLSv1.3).\r\n"

// startTLSServer runs the program with the certificate and args.
func startTLSServer(t *testing.T, cert *testcert.Cert, args ...string) string {
	t.Helper()
	addr, _ := startServer(t, append([]string{"--ssl-certfile", cert.CertFile, "--ssl-keyfile", cert.KeyFile,
		"--connect-maxwait", "0.2"}, args...)...)
	return addr
}

// TestTLSPipeClients: openssl s_client and socat, which verify the
// server's certificate and speak no Telnet, reach the debug shell.
func TestTLSPipeClients(t *testing.T) {
	cert := testcert.New(t)
	for _, tc := range []struct {
		name string
		argv func(t *testing.T, host, port string) []string
	}{
		{"openssl s_client", func(t *testing.T, host, port string) []string {
			return []string{needProgram(t, "openssl"), "s_client", "-quiet", "-verify_return_error",
				"-CAfile", cert.CAFile, "-verify_hostname", "localhost", "-connect", net.JoinHostPort(host, port)}
		}},
		{"socat OPENSSL", func(t *testing.T, host, port string) []string {
			return []string{needProgram(t, "socat"), "-", "OPENSSL:" + net.JoinHostPort(host, port) +
				",cafile=" + cert.CAFile + ",commonname=localhost"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := startTLSServer(t, cert)
			host, port, _ := net.SplitHostPort(addr)
			argv := tc.argv(t, host, port)
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = clientEnv()
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			p := startCommand(t, cmd)
			p.out.WaitFor(t, offers, shelltest.Timeout) // after what openssl says on stderr
			const ga = "\xff\xf9"
			p.out.Expect(t, secureGreeting+"tel:sh> "+ga)
			io.WriteString(stdin, "help\r\n")
			p.out.Expect(t, "\r\n"+shells.DebugHelp+"\r\ntel:sh> "+ga)
			io.WriteString(stdin, "quit\r\n")
			p.out.Expect(t, "\r\nGoodbye.\r\n")
			stdin.Close()
			p.wait(t)
		})
	}
}

// TestTLSNetkitClient: netkit's telnet-ssl with -z ssl (TLS from the
// first byte, then Telnet) reaches the debug shell from a terminal.
func TestTLSNetkitClient(t *testing.T) {
	telnetSSL := needProgram(t, "telnet-ssl")
	cert := testcert.New(t)
	addr := startTLSServer(t, cert)
	host, port, _ := net.SplitHostPort(addr)
	term := onPTY(t, 80, 24, clientEnv("TERM=xterm"), telnetSSL,
		"-z", "ssl", "-z", "secure", "-z", "verify=1", "-z", "cacert="+cert.CAFile, host, port)
	term.WaitFor(t, secureGreeting, shelltest.Timeout)
	term.WaitFor(t, "tel:sh> ", shelltest.Timeout)
	term.typeLine(t, "help")
	term.WaitFor(t, shells.DebugHelp+"\r\n", shelltest.Timeout)
	term.typeLine(t, "quit")
	term.WaitFor(t, "Goodbye.\r\n", shelltest.Timeout)
}

// TestTLSAuto: with --tls-auto, one port serves a TLS client, a plain
// Telnet client and netcat.
func TestTLSAuto(t *testing.T) {
	cert := testcert.New(t)
	addr := startTLSServer(t, cert, "--tls-auto", "0.3")
	ctx, cancel := context.WithTimeout(context.Background(), shelltest.Timeout)
	defer cancel()

	tc, err := telnet.DialTLSContext(ctx, "tcp", addr, cert.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	tc.SetDeadline(time.Now().Add(shelltest.Timeout))
	got := make([]byte, 0, 64)
	buf := make([]byte, 64)
	for !bytes.Contains(got, []byte("tel:sh> ")) {
		n, err := tc.Read(buf)
		if err != nil {
			t.Fatalf("TLS client: %v after %q", err, got)
		}
		got = append(got, buf[:n]...)
	}
	if want := "Ready (secure: TLSv1.3).\ntel:sh> "; string(got) != want {
		t.Errorf("TLS client got %q, want %q", got, want)
	}

	c := shelltest.Dial(t, addr)
	c.Expect(t, "Ready.\r\ntel:sh> ")

	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(shelltest.Timeout))
	io.WriteString(nc, "quit\r\n") // at once: the bytes looked at are read again
	all, _ := io.ReadAll(nc)
	if !strings.Contains(string(all), "Ready.\r\ntel:sh> ") || !strings.HasSuffix(string(all), "Goodbye.\r\n") {
		t.Errorf("netcat-like client got %q", all)
	}
}

// TestTLSCertificateErrors: a missing file, a key that is not the
// certificate's, and a key file without a certificate stop the program
// at once, with a message that names the file and the fault.
func TestTLSCertificateErrors(t *testing.T) {
	a, b := testcert.New(t), testcert.New(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing key", []string{"--ssl-certfile", a.CertFile, "--ssl-keyfile", a.KeyFile + ".gone"},
			[]string{a.KeyFile + ".gone", "no such file or directory"}},
		{"mismatched key", []string{"--ssl-certfile", a.CertFile, "--ssl-keyfile", b.KeyFile},
			[]string{"private key does not match public key", a.CertFile, b.KeyFile}},
		{"no key", []string{"--ssl-certfile", a.CertFile}, []string{a.CertFile, "key"}},
		{"key alone", []string{"--ssl-keyfile", a.KeyFile}, []string{"--ssl-keyfile needs --ssl-certfile"}},
		{"tls-auto alone", []string{"--tls-auto"}, []string{"--tls-auto needs --ssl-certfile"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), append([]string{"127.0.0.1", "0"}, tc.args...), io.Discard, &stderr, func(net.Addr) {
				t.Error("the server listened")
			})
			if code != exitUsage {
				t.Errorf("exit status %d, want %d", code, exitUsage)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("message %q does not say %q", stderr.String(), w)
				}
			}
		})
	}
}

// TestTLSServerRefusesPlain: a TLS-only server is no Telnet server for a
// plain client, which gets no greeting.
func TestTLSServerRefusesPlain(t *testing.T) {
	cert := testcert.New(t)
	addr := startTLSServer(t, cert)
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(shelltest.Timeout))
	io.WriteString(nc, "help\r\n")
	all, _ := io.ReadAll(nc)
	if strings.Contains(string(all), "Ready") {
		t.Errorf("a plain client got %q", all)
	}
	// And a TLS client still gets in.
	c, err := tls.Dial("tcp", addr, cert.ClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
