package shells

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// A session is the session of a program a PtyShell started: its ID, the
// process ID of the program, which leads it.
type session int

// prepareSessions readies the server to start a session: the server
// becomes a child subreaper, so that what a session leaves behind stays
// within reach, and every descriptor above 2 gets close-on-exec. Both are
// idempotent, and cheap enough to do for each session.
func prepareSessions() error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("shells: becoming a child subreaper: %w", err)
	}
	if unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC) == nil {
		return nil
	}
	return closeOnExecAll("/proc/self/fd") // a kernel older than 5.11
}

// A member is a process of a session.
type member struct {
	pid, ppid int
	zombie    bool
}

// members returns the processes of s, from /proc.
func (s session) members() []member {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var ms []member
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + name + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		if m, sid, ok := parseStat(pid, stat); ok && sid == int(s) {
			ms = append(ms, m)
		}
	}
	return ms
}

// parseStat reads the state, parent and session of the process pid from
// its /proc/pid/stat: "pid (comm) state ppid pgrp session ...", where
// comm may hold spaces and parentheses.
func parseStat(pid int, stat []byte) (m member, sid int, ok bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return member{}, 0, false
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 4 {
		return member{}, 0, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	sid, err2 := strconv.Atoi(string(f[3]))
	if err1 != nil || err2 != nil {
		return member{}, 0, false
	}
	return member{pid: pid, ppid: ppid, zombie: string(f[0]) == "Z"}, sid, true
}

// signal sends sig to every live process of s, and returns how many
// there were. Signal 0 sends nothing, and counts.
func (s session) signal(sig unix.Signal) int {
	n := 0
	for _, m := range s.members() {
		if !m.zombie && unix.Kill(m.pid, sig) == nil {
			n++
		}
	}
	return n
}

// reap waits for the dead processes of s that are children of the
// server (orphans reparented to it, a subreaper), but for the program
// itself, which its exec.Cmd waits for.
func (s session) reap() {
	self := os.Getpid()
	for _, m := range s.members() {
		if m.zombie && m.ppid == self && m.pid != int(s) {
			var ws unix.WaitStatus
			unix.Wait4(m.pid, &ws, unix.WNOHANG, nil)
		}
	}
}
