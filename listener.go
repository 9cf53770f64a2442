package telnet

import (
	"context"
	"net"
)

// Listen announces on the local network address, as [net.Listen] does,
// and returns a listener whose Accept returns a *Conn in the server role.
func Listen(network, address string, opts ...Option) (net.Listener, error) {
	cfg := newConfig(false, opts)
	if cfg.err != nil {
		return nil, cfg.err
	}
	l, err := net.Listen(network, address)
	if err != nil {
		return nil, err
	}
	return &listener{Listener: l, cfg: cfg}, nil
}

// NewListener returns a listener that accepts connections from inner and
// wraps each in a *Conn in the server role with the given options. Accept
// does not negotiate: the negotiation runs in the first Read, Write or
// Handshake of the Conn, so a slow client never blocks the accept loop.
//
// A bad option (an unknown encoding, say) makes every Accept fail with
// its error, before accepting anything, so that no client is served
// half-configured.
func NewListener(inner net.Listener, opts ...Option) net.Listener {
	return &listener{Listener: inner, cfg: newConfig(false, opts)}
}

type listener struct {
	net.Listener
	cfg *config // shared by every Conn accepted, read-only
}

// Accept waits for the next connection and returns it as a *Conn.
func (l *listener) Accept() (net.Conn, error) {
	if l.cfg.err != nil {
		return nil, l.cfg.err
	}
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return newConnConfig(c, l.cfg), nil
}

// Dial connects to the address on the named network, as [net.Dial] does,
// and returns a *Conn in the client role.
func Dial(network, address string, opts ...Option) (*Conn, error) {
	return DialContext(context.Background(), network, address, opts...)
}

// DialContext connects to the address on the named network using the
// provided context, and returns a *Conn in the client role. The context
// bounds the connection and the handshake; once it returns, the context
// has no effect on the connection.
func DialContext(ctx context.Context, network, address string, opts ...Option) (*Conn, error) {
	var d net.Dialer
	return dial(ctx, d.DialContext, network, address, opts)
}

// dial connects with dialer and returns a *Conn in the client role whose
// handshake ctx bounds too.
func dial(ctx context.Context, dialer func(context.Context, string, string) (net.Conn, error),
	network, address string, opts []Option) (*Conn, error) {
	cfg := newConfig(true, opts)
	if cfg.err != nil {
		return nil, cfg.err
	}
	nc, err := dialer(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c := newConnConfig(nc, cfg)
	if err := c.Handshake(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}
