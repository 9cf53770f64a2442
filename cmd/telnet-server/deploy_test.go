package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telnetkit/telnet/shells/shelltest"
)

// TestSocketActivation has systemd-socket-activate listen, and start the
// program with the socket when a client connects: the client, which
// connected before the program was running, is served.
func TestSocketActivation(t *testing.T) {
	ssa := needProgram(t, "systemd-socket-activate")
	addr := freeAddr(t)
	cmd := exec.Command(ssa, "-l", addr,
		"-E", mainEnv+"=--logfmt\n%(levelname)s %(message)s", os.Args[0], "-test.run=^$")
	p := startCommand(t, cmd)
	var c *shelltest.Client
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if nc, err := net.Dial("tcp", addr); err == nil {
			nc.Close() // it listens: the program starts on the next one
			break
		}
		if time.Since(start) > shelltest.Timeout {
			t.Fatalf("systemd-socket-activate is not listening on %s:\n%s", addr, p.out)
		}
	}
	c = shelltest.Dial(t, addr)
	c.Expect(t, "Ready.\r\ntel:sh> ")
	p.out.WaitFor(t, "INFO Server ready on "+addr+" (socket activation)\n", shelltest.Timeout)
}

// freeAddr returns an address of 127.0.0.1 whose port was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestProxyProtocolFlag sends PROXY headers from 127.0.0.1, trusted, and
// checks that the debug shell and the log see the address they give.
func TestProxyProtocolFlag(t *testing.T) {
	addr, logs := startServer(t, "--proxy-protocol", "127.0.0.1,10.0.0.0/8")
	for _, header := range []string{
		"PROXY TCP4 203.0.113.9 127.0.0.1 5555 23\r\n",
		"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c\xcb\x00\x71\x0a\x7f\x00\x00\x01\x15\xb4\x00\x17", // v2: 203.0.113.10:5556
	} {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := nc.Write([]byte(header)); err != nil {
			t.Fatal(err)
		}
		// The server speaks once it has read the header: closing before
		// would race the header with a reset.
		nc.SetReadDeadline(time.Now().Add(shelltest.Timeout))
		if _, err := nc.Read(make([]byte, 1)); err != nil {
			t.Fatal(err)
		}
		nc.Close()
	}
	logs.WaitFor(t, "peer=203.0.113.9:5555", shelltest.Timeout)
	logs.WaitFor(t, "peer=203.0.113.10:5556", shelltest.Timeout)
	if _, err := parseArgs([]string{"--proxy-protocol", "localhost"}); err == nil {
		t.Error("--proxy-protocol localhost accepted")
	}
}

// TestStatusInterval checks the status lines: logged when the counts
// change, not otherwise.
func TestStatusInterval(t *testing.T) {
	addr, logs := startServer(t, "--status-interval", "0.1")
	c := shelltest.Dial(t, addr)
	c.Expect(t, "Ready.\r\ntel:sh> ")
	line := logs.WaitFor(t, "\n", 2*shelltest.Timeout) // up to the status line
	for !strings.Contains(line, "telnet-server: status") {
		line = logs.WaitFor(t, "\n", 2*shelltest.Timeout)
	}
	if !strings.Contains(line, "open=1 accepted=1") {
		t.Errorf("status line %q", line)
	}
	time.Sleep(300 * time.Millisecond)
	if s := logs.String(); strings.Count(s, "telnet-server: status") != 1 {
		t.Errorf("status logged again with nothing changed:\n%s", s)
	}
}

// TestInteropHAProxyTwoInstances runs two servers behind HAProxy, which
// sends PROXY v2 headers and balances round-robin: each server logs the
// client's own address, not HAProxy's.
func TestInteropHAProxyTwoInstances(t *testing.T) {
	haproxy := needProgram(t, "haproxy")
	var backends []string
	var logs []*shelltest.Transcript
	for i := range 2 {
		addr, l := startServer(t, "--proxy-protocol", "127.0.0.1")
		backends = append(backends, fmt.Sprintf("\tserver s%d %s send-proxy-v2\n", i, addr))
		logs = append(logs, l)
	}
	front := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
	conf := "global\n\tmaxconn 100\ndefaults\n\tmode tcp\n\ttimeout connect 5s\n\ttimeout client 30s\n" +
		"\ttimeout server 30s\nfrontend telnet\n\tbind " + front + "\n\tdefault_backend servers\n" +
		"backend servers\n\tbalance roundrobin\n" + strings.Join(backends, "")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startCommand(t, exec.Command(haproxy, "-db", "-f", cfg))
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if nc, err := net.Dial("tcp", front); err == nil {
			nc.Close()
			break
		}
		if time.Since(start) > shelltest.Timeout {
			t.Fatalf("haproxy is not listening on %s:\n%s", front, p.out)
		}
	}
	// The probe above went to one server; two clients now reach both.
	var peers []string
	for range 2 {
		c := shelltest.Dial(t, front)
		c.Expect(t, "Ready.\r\ntel:sh> ")
		peers = append(peers, "peer="+c.LocalAddr().String())
	}
	all := logs[0].String() + logs[1].String()
	for _, p := range peers {
		for start := time.Now(); !strings.Contains(all, p); time.Sleep(20 * time.Millisecond) {
			if time.Since(start) > shelltest.Timeout {
				t.Fatalf("no server logged %s:\n%s\n%s", p, logs[0], logs[1])
			}
			all = logs[0].String() + logs[1].String()
		}
	}
	for i, l := range logs {
		if !strings.Contains(l.String(), "telnet: connection opened") {
			t.Errorf("server %d served nobody:\n%s", i, l)
		}
	}
}
