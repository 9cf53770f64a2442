//go:build unix

package telnet

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// listenFDsStart is the first descriptor of socket activation.
const listenFDsStart = 3

// ActivationListeners returns the listening sockets a service manager
// passed to the process by socket activation, as systemd does
// (sd_listen_fds(3)): LISTEN_PID is the process's ID, LISTEN_FDS counts
// the descriptors from 3, and LISTEN_FDNAMES may name them. It returns
// nil and no error when none were passed, so that a server can fall back
// to listening itself.
//
// It takes the sockets once: it unsets the three variables, so that a
// second call or a child process does not take them too, and marks the
// descriptors close-on-exec.
func ActivationListeners() ([]net.Listener, error) {
	pid, err := strconv.Atoi(os.Getenv("LISTEN_PID"))
	if err != nil || pid != os.Getpid() {
		return nil, nil
	}
	n, err := strconv.Atoi(os.Getenv("LISTEN_FDS"))
	if err != nil || n <= 0 {
		return nil, nil
	}
	names := strings.Split(os.Getenv("LISTEN_FDNAMES"), ":")
	for _, v := range []string{"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"} {
		os.Unsetenv(v)
	}
	var ls []net.Listener
	for i := range n {
		fd := listenFDsStart + i
		syscall.CloseOnExec(fd)
		name := "LISTEN_FD_" + strconv.Itoa(fd)
		if i < len(names) && names[i] != "" {
			name = names[i]
		}
		f := os.NewFile(uintptr(fd), name)
		l, err := net.FileListener(f)
		f.Close() // FileListener has its own copy
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, fmt.Errorf("telnet: activation socket %d (%s): %w", fd, name, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}
