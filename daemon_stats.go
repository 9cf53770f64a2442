package telnet

import (
	"net"
	"sync/atomic"
)

// DaemonStats are the counts of a [Daemon]'s connections and traffic,
// for a program to log or export (to expvar, say, with
// expvar.Func(func() any { return d.Stats() }), or to any metrics
// library: the Daemon imports none).
type DaemonStats struct {
	Open         int   // connections being served now, by Handler or BusyHandler
	Accepted     int64 // connections accepted, all told
	Busy         int64 // connections served by BusyHandler: MaxConns was reached
	Refused      int64 // connections closed at once: the server was full or shutting down
	IdleTimeouts int64 // connections closed by the idle timeout
	BytesIn      int64 // bytes received from clients, protocol included
	BytesOut     int64 // bytes sent to clients, protocol included
}

// daemonCounters are the counts of DaemonStats that are not kept under
// the Daemon's lock: connections count them as they go.
type daemonCounters struct {
	accepted, busy, refused, idleTimeouts, bytesIn, bytesOut atomic.Int64
}

// Stats returns the counts of d's connections and traffic since it was
// created. It may be called at any time, from any goroutine.
func (d *Daemon) Stats() DaemonStats {
	d.mu.Lock()
	open := d.running + d.busy
	d.mu.Unlock()
	c := &d.counters
	return DaemonStats{
		Open:         open,
		Accepted:     c.accepted.Load(),
		Busy:         c.busy.Load(),
		Refused:      c.refused.Load(),
		IdleTimeouts: c.idleTimeouts.Load(),
		BytesIn:      c.bytesIn.Load(),
		BytesOut:     c.bytesOut.Load(),
	}
}

// directAddr returns the address a connection comes from on the network,
// without waiting for a PROXY header: the balancer's, behind one.
func directAddr(nc net.Conn) net.Addr {
	if p, ok := nc.(interface{ Raw() net.Conn }); ok {
		return p.Raw().RemoteAddr()
	}
	return nc.RemoteAddr()
}
