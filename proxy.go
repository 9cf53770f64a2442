package telnet

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/pires/go-proxyproto"
)

// ProxyHeaderTimeout bounds how long a connection from a trusted address
// of a [NewProxyListener] may take to send its PROXY header.
const ProxyHeaderTimeout = 5 * time.Second

// NewProxyListener returns a listener for a service behind a TCP load
// balancer: connections from the trusted addresses (the balancer's) may
// start with a PROXY protocol header, version 1 or 2 (HAProxy's
// send-proxy and send-proxy-v2), and their RemoteAddr is then the
// client's address that the header gives, for the Conn, its logs and
// whatever the handler does with it. A connection from any other address
// is served as a direct one: its header, if it sends one, is never
// believed, and reaches the Conn as data.
//
// The header of a trusted connection is read by its first Read, Write or
// RemoteAddr (so that Accept never waits for it), within
// ProxyHeaderTimeout; a malformed header fails that call, which ends the
// connection. Wrap the result in [NewListener], or give it to
// [Daemon.Serve].
func NewProxyListener(inner net.Listener, trusted ...netip.Prefix) net.Listener {
	return &proxyproto.Listener{
		Listener:          inner,
		ReadHeaderTimeout: ProxyHeaderTimeout,
		ConnPolicy: func(o proxyproto.ConnPolicyOptions) (proxyproto.Policy, error) {
			if ap, err := netip.ParseAddrPort(o.Upstream.String()); err == nil {
				addr := ap.Addr().Unmap()
				for _, p := range trusted {
					if p.Contains(addr) {
						return proxyproto.USE, nil
					}
				}
			}
			return proxyproto.SKIP, nil
		},
	}
}

// ParsePrefixes parses a comma-separated list of IP addresses and CIDR
// prefixes, such as "127.0.0.1,10.0.0.0/8,::1", as the trusted addresses
// of [NewProxyListener]. An address stands for itself alone.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("telnet: bad address prefix %q: %w", f, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("telnet: bad address %q: %w", f, err)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("telnet: no address in %q", s)
	}
	return out, nil
}
