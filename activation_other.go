//go:build !unix

package telnet

import "net"

// ActivationListeners returns the listening sockets a service manager
// passed to the process by socket activation. Socket activation is a Unix
// protocol: here it always returns nil and no error.
func ActivationListeners() ([]net.Listener, error) { return nil, nil }
