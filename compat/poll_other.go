//go:build !unix

package compat

import "net"

// pollRead is not available here: every connection is waited on for
// pollWait instead.
func pollRead(net.Conn, []byte) (int, error) { return 0, errNoPoll }
