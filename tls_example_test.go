package telnet_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"net"

	"github.com/telnetkit/telnet"
)

// A server of TELNETS, whose handlers see the TLS state; the same with a
// tls.Config of its own (a GetCertificate that renews, say) is
// d.TLSConfig and ListenAndServeTLS("", "").
func ExampleDaemon_ListenAndServeTLS() {
	d := &telnet.Daemon{
		Addr: ":992",
		Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
			if st, ok := c.TLSConnectionState(); ok {
				fmt.Fprintf(c, "Welcome, over %s.\n", tls.VersionName(st.Version))
			}
			return nil
		}),
	}
	log.Fatal(d.ListenAndServeTLS("cert.pem", "key.pem"))
}

// One port for TLS clients and plain Telnet clients: a client that waits
// for the server to speak, as Telnet clients do, gets plain Telnet after
// the wait.
func ExampleNewAutoTLSListener() {
	cert, err := telnet.LoadKeyPair("cert.pem", "key.pem")
	if err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", ":6023")
	if err != nil {
		log.Fatal(err)
	}
	config := &tls.Config{Certificates: []tls.Certificate{cert}}
	d := &telnet.Daemon{Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		_, secure := c.TLSConnectionState()
		fmt.Fprintf(c, "secure: %v\n", secure)
		return nil
	})}
	log.Fatal(d.Serve(telnet.NewAutoTLSListener(l, config, telnet.DefaultAutoTLSWait)))
}

// A TELNETS client: the server's certificate is checked for the host
// dialled, against the system's CAs unless the config says otherwise.
func ExampleDialTLS() {
	c, err := telnet.DialTLS("tcp", "bbs.example.org:992", nil, telnet.WithTerminalType("xterm-256color"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
}
