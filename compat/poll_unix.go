//go:build unix

package compat

import (
	"io"
	"net"
	"os"
	"syscall"
)

// pollRead reads what conn holds without waiting, as Python's sock_avail
// followed by one recv does: it returns errWouldBlock when nothing is
// there, io.EOF at end of file, and errNoPoll when conn is not a socket
// it can poll. The read deadline must not have passed.
//
// Only the socket types of package net are polled: a type that wraps one
// may do more in its Read than the socket does.
func pollRead(conn net.Conn, buf []byte) (int, error) {
	var sc syscall.Conn
	switch c := conn.(type) {
	case *net.TCPConn:
		sc = c
	case *net.UnixConn:
		sc = c
	default:
		return 0, errNoPoll
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0, errNoPoll
	}
	var n int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		for {
			n, rerr = syscall.Read(int(fd), buf)
			if rerr != syscall.EINTR {
				return true // one attempt: never wait for readiness
			}
		}
	})
	switch {
	case err != nil:
		return 0, err
	case rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK:
		return 0, errWouldBlock
	case rerr != nil:
		return 0, os.NewSyscallError("read", rerr)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}
