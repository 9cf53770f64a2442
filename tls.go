package telnet

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
)

// TELNETS is Telnet over TLS from the first byte (RFC 854 over RFC 8446;
// 992 is its registered port): no STARTTLS, no TLS option (46). crypto/tls
// does all of the TLS here; this file only puts a Conn on top of it.
//
// MCCP never runs over TLS (see [WithCompression]): a Conn over TLS
// neither offers nor accepts MCCP2 and MCCP3, whatever its options say.

// ErrNoCertificate is returned by [Daemon.ListenAndServeTLS] and
// [Daemon.ServeTLS] when they are given no certificate file and the
// Daemon's TLSConfig has no certificate either.
var ErrNoCertificate = errors.New("telnet: no certificate: give a certificate file or TLSConfig.Certificates")

// ListenTLS announces on the local network address, as [crypto/tls.Listen]
// does, and returns a listener whose Accept returns a *Conn in the server
// role over a *tls.Conn: TELNETS. The config must have a certificate. As
// with [Listen], Accept neither negotiates nor runs the TLS handshake:
// both run in the connection's first Read, Write or Handshake.
func ListenTLS(network, address string, config *tls.Config, opts ...Option) (net.Listener, error) {
	cfg := newConfig(false, opts)
	if cfg.err != nil {
		return nil, cfg.err
	}
	l, err := tls.Listen(network, address, config)
	if err != nil {
		return nil, err
	}
	return &listener{Listener: l, cfg: cfg}, nil
}

// DialTLS connects to the address on the named network with TLS, as
// [crypto/tls.Dial] does, and returns a *Conn in the client role over the
// *tls.Conn. A nil config is the zero configuration. The server's
// certificate is verified against config.ServerName, or, when that is
// empty, the host name of address, as crypto/tls does.
func DialTLS(network, address string, config *tls.Config, opts ...Option) (*Conn, error) {
	return DialTLSContext(context.Background(), network, address, config, opts...)
}

// DialTLSContext is [DialTLS] with a context, which bounds the
// connection, the TLS handshake and the Telnet handshake; once it
// returns, the context has no effect on the connection.
func DialTLSContext(ctx context.Context, network, address string, config *tls.Config, opts ...Option) (*Conn, error) {
	d := tls.Dialer{Config: config}
	return dial(ctx, d.DialContext, network, address, opts)
}

// TLSConnectionState returns the state of the TLS connection under c, and
// true, when c runs over TLS whose handshake is done: a *tls.Conn given to
// [Server] or [Client], accepted by a listener from [ListenTLS] or
// [crypto/tls.NewListener], or a TLS client of a listener from
// [NewAutoTLSListener]. It looks through [Conn.NetConn] and the
// connections under it that have a NetConn method of their own.
//
// A handler learns from it whether the session is private (the debug
// shell's greeting says so), and which client certificate was shown.
func (c *Conn) TLSConnectionState() (tls.ConnectionState, bool) {
	t := tlsConn(c.NetConn())
	if t == nil {
		return tls.ConnectionState{}, false
	}
	st := t.ConnectionState()
	return st, st.HandshakeComplete
}

// tlsConn returns the *tls.Conn that nc is or wraps, looking through
// the connections that have a NetConn method, or nil.
func tlsConn(nc net.Conn) *tls.Conn {
	// Bounded, since nothing stops a wrapper from returning itself.
	for range 8 {
		switch t := nc.(type) {
		case *tls.Conn:
			return t
		case interface{ NetConn() net.Conn }:
			nc = t.NetConn()
		default:
			return nil
		}
	}
	return nil
}

// ListenAndServeTLS listens on the TCP address d.Addr and serves TELNETS,
// Telnet over TLS from the first byte, as [Daemon.ServeTLS] does. The
// certificate is loaded before the address is taken, so that a missing
// or mismatched key fails at once.
func (d *Daemon) ListenAndServeTLS(certFile, keyFile string) error {
	if d.shuttingDown() {
		return ErrServerClosed
	}
	config, err := d.tlsConfig(certFile, keyFile)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cmp.Or(d.Addr, DefaultAddr))
	if err != nil {
		return err
	}
	return d.serveTLS(l, config)
}

// ServeTLS accepts connections on l and serves each over TLS, as
// [Daemon.Serve] does. The certificate is d.TLSConfig's, or the one in
// certFile (PEM) with the private key in keyFile, which may be empty when
// certFile holds the key too. Each connection's TLS handshake runs in its
// own goroutine, so that a slow client never holds Accept. l may be a
// listener from [Listen] or [NewListener], whose options then replace
// d.Options. ServeTLS always returns a non-nil error and closes l.
func (d *Daemon) ServeTLS(l net.Listener, certFile, keyFile string) error {
	config, err := d.tlsConfig(certFile, keyFile)
	if err != nil {
		l.Close()
		return err
	}
	return d.serveTLS(l, config)
}

// serveTLS serves l with TLS under the Telnet listener, if it is one:
// TLS goes on the network connection, Telnet on top.
func (d *Daemon) serveTLS(l net.Listener, config *tls.Config) error {
	if tl, ok := l.(*listener); ok {
		return d.Serve(&listener{Listener: tls.NewListener(tl.Listener, config), cfg: tl.cfg})
	}
	return d.Serve(tls.NewListener(l, config))
}

// tlsConfig returns a copy of d.TLSConfig with the certificate of
// certFile and keyFile, as net/http's ServeTLS builds it.
func (d *Daemon) tlsConfig(certFile, keyFile string) (*tls.Config, error) {
	config := d.TLSConfig.Clone()
	if config == nil {
		config = &tls.Config{}
	}
	hasCert := len(config.Certificates) > 0 || config.GetCertificate != nil || config.GetConfigForClient != nil
	if hasCert && certFile == "" && keyFile == "" {
		return config, nil
	}
	if certFile == "" {
		return nil, ErrNoCertificate
	}
	cert, err := LoadKeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	config.Certificates = []tls.Certificate{cert}
	return config, nil
}

// LoadKeyPair reads a certificate chain and its private key from PEM
// files, as [crypto/tls.LoadX509KeyPair] does, with an error that names
// the files and wraps crypto/tls's, which says what is wrong with them (a
// missing file, no key in it, a key that is not the certificate's). An
// empty keyFile means that certFile holds the key too.
func LoadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	if keyFile == "" {
		keyFile = certFile
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil {
		return cert, nil
	}
	what := "certificate " + certFile + ", key " + keyFile
	if certFile == keyFile {
		what = "certificate and key " + certFile
	}
	return tls.Certificate{}, fmt.Errorf("telnet: %s: %w", what, err)
}
