package telnet_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/internal/testcert"
)

// tlsHandler says whether the connection is secure, then echoes lines.
func tlsHandler(ctx context.Context, c *telnet.Conn) error {
	if st, ok := c.TLSConnectionState(); ok {
		fmt.Fprintf(c, "secure %s\n", tls.VersionName(st.Version))
	} else {
		io.WriteString(c, "plain\n")
	}
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		fmt.Fprintf(c, "echo: %s\n", sc.Text())
	}
	return sc.Err()
}

// tlsDaemon returns a Daemon of tlsHandler that does not wait long for
// answers to its offers.
func tlsDaemon() *telnet.Daemon {
	return &telnet.Daemon{
		Handler: telnet.HandlerFunc(tlsHandler),
		Options: []telnet.Option{telnet.WithNegotiationTimeout(100 * time.Millisecond)},
	}
}

// dialTLS connects a Telnet client over TLS to addr, closed at cleanup.
func dialTLS(t *testing.T, addr string, config *tls.Config) *telnet.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := telnet.DialTLSContext(ctx, "tcp", addr, config)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// TestListenTLSDialTLS runs a session over TELNETS with the listener and
// dial helpers: both ends see TLS 1.3, and data goes both ways.
func TestListenTLSDialTLS(t *testing.T) {
	cert := testcert.New(t)
	l, err := telnet.ListenTLS("tcp", "127.0.0.1:0", cert.ServerConfig(), telnet.WithNegotiationTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	served := make(chan error, 1)
	go func() {
		nc, err := l.Accept()
		if err != nil {
			served <- err
			return
		}
		defer nc.Close()
		// The TLS handshake runs in the first Read, Write or Handshake.
		c := nc.(*telnet.Conn)
		if _, ok := c.TLSConnectionState(); ok {
			served <- errors.New("TLS state before the handshake")
			return
		}
		if err := c.Handshake(context.Background()); err != nil {
			served <- err
			return
		}
		served <- tlsHandler(context.Background(), c)
	}()

	// The host name checked is the one dialled: the certificate is for
	// localhost and 127.0.0.1.
	_, port, _ := net.SplitHostPort(l.Addr().String())
	c := dialTLS(t, net.JoinHostPort("localhost", port), cert.ClientConfig())
	st, ok := c.TLSConnectionState()
	if !ok || st.Version != tls.VersionTLS13 || st.ServerName != "localhost" {
		t.Errorf("client TLSConnectionState = %v, %v, server name %q; want TLS 1.3 with localhost", ok, tls.VersionName(st.Version), st.ServerName)
	}
	r := bufio.NewReader(c)
	readUntil(t, r, "secure TLS 1.3\n")
	io.WriteString(c, "over tls\n")
	readUntil(t, r, "echo: over tls\n")
	c.Close()
	if err := <-served; err != nil {
		t.Errorf("handler: %v", err)
	}
}

// TestTLSConnectionStatePlain: a Conn over TCP is not secure.
func TestTLSConnectionStatePlain(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if _, ok := telnet.Server(a).TLSConnectionState(); ok {
		t.Error("TLSConnectionState of a Conn over a pipe reports TLS")
	}
	// A tls.Conn whose handshake has not run is not secure yet.
	if _, ok := telnet.Client(tls.Client(b, &tls.Config{})).TLSConnectionState(); ok {
		t.Error("TLSConnectionState reports TLS before the handshake")
	}
}

// TestDialTLSVerifies: a certificate from an unknown CA, or for another
// name, is refused, and the error says why.
func TestDialTLSVerifies(t *testing.T) {
	cert := testcert.New(t)
	l, err := telnet.ListenTLS("tcp", "127.0.0.1:0", cert.ServerConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			go func() { defer nc.Close(); io.Copy(io.Discard, nc) }()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err = telnet.DialTLSContext(ctx, "tcp", l.Addr().String(), &tls.Config{RootCAs: x509.NewCertPool()})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("dial with an unknown CA: %v; want x509.UnknownAuthorityError", err)
	}
	config := cert.ClientConfig()
	config.ServerName = "example.com"
	_, err = telnet.DialTLSContext(ctx, "tcp", l.Addr().String(), config)
	var hostname x509.HostnameError
	if !errors.As(err, &hostname) {
		t.Errorf("dial for another name: %v; want x509.HostnameError", err)
	}
	c, err := telnet.DialTLSContext(ctx, "tcp", l.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("dial without verification: %v", err)
	}
	c.Close()
}

// TestDaemonServeTLS serves TELNETS with the Daemon, from certificate
// files, on a plain listener and on a Telnet listener.
func TestDaemonServeTLS(t *testing.T) {
	cert := testcert.New(t)
	for _, telnetListener := range []bool{false, true} {
		t.Run(fmt.Sprint("telnet listener ", telnetListener), func(t *testing.T) {
			d := tlsDaemon()
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			if telnetListener {
				l = telnet.NewListener(l, d.Options...)
				d.Options = nil
			}
			served := make(chan error, 1)
			go func() { served <- d.ServeTLS(l, cert.CertFile, cert.KeyFile) }()
			c := dialTLS(t, addr, cert.ClientConfig())
			r := bufio.NewReader(c)
			readUntil(t, r, "secure TLS 1.3\n")
			io.WriteString(c, "hi\n")
			readUntil(t, r, "echo: hi\n")
			if err := d.Shutdown(context.Background()); err != nil {
				t.Error(err)
			}
			if err := <-served; !errors.Is(err, telnet.ErrServerClosed) {
				t.Errorf("ServeTLS: %v", err)
			}
		})
	}
}

// TestDaemonTLSCertificateErrors: a missing file, a key that is not the
// certificate's, a file without a key and no certificate at all fail at
// once, before anything listens, with an error naming the files.
func TestDaemonTLSCertificateErrors(t *testing.T) {
	a, b := testcert.New(t), testcert.New(t)
	missingFile := a.CertFile + ".missing"
	for _, tc := range []struct {
		name, cert, key string
		want            []string
	}{
		{"missing certificate", missingFile, a.KeyFile, []string{missingFile, "no such file"}},
		{"missing key", a.CertFile, missingFile, []string{missingFile, "no such file"}},
		{"mismatched key", a.CertFile, b.KeyFile, []string{a.CertFile, b.KeyFile, "private key does not match public key"}},
		{"no key in the file", a.CertFile, "", []string{"certificate and key " + a.CertFile, "key"}},
		{"a key for a certificate", a.KeyFile, a.KeyFile, []string{a.KeyFile, "certificate"}},
		{"nothing", "", "", []string{telnet.ErrNoCertificate.Error()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A port already taken: the error must come before the listen.
			busy, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer busy.Close()
			d := tlsDaemon()
			d.Addr = busy.Addr().String()
			err = d.ListenAndServeTLS(tc.cert, tc.key)
			if err == nil {
				t.Fatal("ListenAndServeTLS succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "telnet: ") {
				t.Errorf("error %q has no package prefix", err)
			}
		})
	}
	if _, err := telnet.LoadKeyPair(a.CertFile, a.KeyFile); err != nil {
		t.Errorf("LoadKeyPair of a good pair: %v", err)
	}
}

// startAutoTLS serves tlsDaemon on one loopback port for TLS and plain
// clients, with the given wait for the first byte.
func startAutoTLS(t *testing.T, cert *testcert.Cert, wait time.Duration) (*telnet.Daemon, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := tlsDaemon()
	served := make(chan error, 1)
	go func() { served <- d.Serve(telnet.NewAutoTLSListener(l, cert.ServerConfig(), wait)) }()
	t.Cleanup(func() {
		d.Close()
		<-served
	})
	return d, l.Addr().String()
}

// TestAutoTLS: on one port, a TLS client, a plain client that speaks
// first and a plain client that waits for the server each get a session,
// while a client that sent half a ClientHello and stopped holds no one
// up; the bytes looked at are not lost.
func TestAutoTLS(t *testing.T) {
	cert := testcert.New(t)
	// Long enough that a loaded machine serves the client that speaks
	// first well within it.
	const wait = time.Second
	_, addr := startAutoTLS(t, cert, wait)

	// Half a ClientHello: a record header and two bytes of the hello.
	stuck := dialRaw(t, addr)
	if _, err := stuck.Write([]byte{0x16, 0x03, 0x01, 0x00, 0xf0, 0x01, 0x00}); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	var wg sync.WaitGroup
	run := func(name string, f func(t *testing.T)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(name, f)
		}()
	}
	run("tls", func(t *testing.T) {
		c := dialTLS(t, addr, cert.ClientConfig())
		r := bufio.NewReader(c)
		readUntil(t, r, "secure TLS 1.3\n")
		io.WriteString(c, "one\n")
		readUntil(t, r, "echo: one\n")
	})
	run("plain speaks first", func(t *testing.T) {
		// Raw bytes at once, before any offer: the first is the one
		// looked at, and must reach the handler.
		c := dialRaw(t, addr)
		io.WriteString(c, "first line\r\n")
		got := readUntil(t, c, "echo: first line\r\n")
		if !strings.Contains(got, "plain\r\n") {
			t.Errorf("got %q; want the plain greeting", got)
		}
		if elapsed := time.Since(start); elapsed > wait {
			t.Errorf("a client that spoke first waited %v, more than the wait", elapsed)
		}
	})
	run("plain waits", func(t *testing.T) {
		// A Telnet client sends nothing until the server speaks.
		c := dial(t, addr)
		r := bufio.NewReader(c)
		readUntil(t, r, "plain\n")
		if elapsed := time.Since(start); elapsed < wait {
			t.Errorf("a silent client was taken for plain after %v, before the wait of %v", elapsed, wait)
		}
		io.WriteString(c, "two\n")
		readUntil(t, r, "echo: two\n")
	})
	wg.Wait()

	// The stuck client is still stuck: no greeting, no close.
	stuck.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := stuck.Read(make([]byte, 1)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("half a ClientHello: read %d, %v; want nothing yet", n, err)
	}
}

// TestAutoTLSNotTLS: a first byte 0x16 followed by garbage is a failed
// TLS handshake, which ends that connection only.
func TestAutoTLSNotTLS(t *testing.T) {
	cert := testcert.New(t)
	_, addr := startAutoTLS(t, cert, time.Second)
	c := dialRaw(t, addr)
	io.WriteString(c, "\x16garbage that is no TLS record at all\r\n")
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, got)
	}
	if strings.Contains(string(got), "plain") || strings.Contains(string(got), "secure") {
		t.Errorf("a bad handshake reached the handler: %q", got)
	}
	d := dialTLS(t, addr, cert.ClientConfig())
	readUntil(t, bufio.NewReader(d), "secure TLS 1.3\n")
}

// TestAutoTLSShutdownDuringWait: a Daemon's shutdown ends the wait for a
// silent client's first byte at once, rather than after the wait.
func TestAutoTLSShutdownDuringWait(t *testing.T) {
	cert := testcert.New(t)
	d, addr := startAutoTLS(t, cert, time.Minute)
	c := dialRaw(t, addr)
	for start := time.Now(); d.Stats().Open == 0; time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the connection is not served")
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("Shutdown took %v", elapsed)
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("the client's connection did not end cleanly: %v", err)
	}
}
