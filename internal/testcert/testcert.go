// Package testcert makes throwaway certificates for tests: a CA of its
// own and a server certificate it signed for 127.0.0.1, ::1 and
// localhost, with ECDSA P-256 keys, written to a test's temporary
// directory. Nothing here is a secret worth keeping, and nothing is
// checked in.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A Cert is a server certificate and the CA that signed it.
type Cert struct {
	CAFile   string // the CA's certificate, PEM
	CertFile string // the server's certificate, PEM
	KeyFile  string // the server's private key, PEM (PKCS #8)
	Pool     *x509.CertPool
	TLS      tls.Certificate
}

// New makes a CA and a server certificate, and writes them to files in
// t.TempDir.
func New(t testing.TB) *Cert {
	t.Helper()
	dir := t.TempDir()
	caKey, caDER := make1(t, "telnet test CA", nil, nil, nil)
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, der := make1(t, "localhost", ca, caKey, []string{"localhost"})
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	c := &Cert{
		CAFile:   write(t, dir, "ca.pem", "CERTIFICATE", caDER),
		CertFile: write(t, dir, "cert.pem", "CERTIFICATE", der),
		KeyFile:  write(t, dir, "key.pem", "PRIVATE KEY", keyDER),
		Pool:     x509.NewCertPool(),
	}
	c.Pool.AddCert(ca)
	if c.TLS, err = tls.LoadX509KeyPair(c.CertFile, c.KeyFile); err != nil {
		t.Fatal(err)
	}
	return c
}

// ServerConfig returns a TLS configuration with the server certificate.
func (c *Cert) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.TLS}}
}

// ClientConfig returns a TLS configuration that trusts the CA.
func (c *Cert) ClientConfig() *tls.Config { return &tls.Config{RootCAs: c.Pool} }

// make1 makes a key and a certificate for it, signed by parent (self-signed
// for a CA when parent is nil).
func make1(t testing.TB, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, dns []string) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	} else {
		tmpl.DNSNames = dns
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, der
}

func write(t testing.TB, dir, name, kind string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
