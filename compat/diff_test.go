package compat_test

// The differential suite: each scenario is a scripted server and a list
// of telnetlib calls. The calls are made once by CPython's own telnetlib,
// in a python3 process, and once by compat.Telnet, each against its own
// copy of the server; what every call returned, what the option callback
// saw, and every byte each client sent must be the same.
//
// A missing python3, or one without telnetlib (removed in Python 3.13),
// skips the suite, unless TELNET_INTEROP=1 is set, as CI does.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telnetkit/telnet/compat"
)

// An op is one call of the telnetlib API, as the Python script reads it.
type op struct {
	Op       string   `json:"op"`
	Data     string   `json:"data"` // hex
	Timeout  *float64 `json:"timeout,omitempty"`
	Patterns []string `json:"patterns,omitempty"`
	Seconds  float64  `json:"seconds,omitempty"`
}

// A spec is how to open the client and the calls to make.
type spec struct {
	OpenTimeout *float64 `json:"open_timeout,omitempty"`
	// Callback sets an option negotiation callback that logs every call
	// (and the SB data at SE), agrees to the options in Agree, answers
	// TTYPE SEND with "XTERM", and sends nothing else.
	Callback bool   `json:"callback,omitempty"`
	Agree    []byte `json:"agree,omitempty"`
	Ops      []op   `json:"ops"`
}

func call(name string) op { return op{Op: name} }
func readUntil(match string) op {
	return op{Op: "read_until", Data: hex.EncodeToString([]byte(match))}
}
func readUntilT(match string, seconds float64) op {
	o := readUntil(match)
	o.Timeout = &seconds
	return o
}
func expect(patterns ...string) op { return op{Op: "expect", Patterns: patterns} }
func expectT(seconds float64, patterns ...string) op {
	o := expect(patterns...)
	o.Timeout = &seconds
	return o
}
func write(s string) op          { return op{Op: "write", Data: hex.EncodeToString([]byte(s))} }
func sleep(seconds float64) op   { return op{Op: "sleep", Seconds: seconds} }
func ops(o ...op) []op           { return o }
func seconds(s float64) *float64 { return &s }
func digest(p []byte) string     { return fmt.Sprintf("%d %x", len(p), sha256.Sum256(p)) }
func hexOf(p []byte) string      { return hex.EncodeToString(p) }
func dataLine(p []byte) string   { return "data " + hexOf(p) }
func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err) // the scenarios are written in Go: a bug of the suite
	}
	return b
}

// pythonClient runs the spec with CPython's telnetlib; it prints one line
// per result, in the format of goClient.
const pythonClient = `
import hashlib, json, re, socket, sys, time, warnings
warnings.filterwarnings("ignore", category=DeprecationWarning)
import telnetlib
from telnetlib import IAC, DO, WILL, SB, SE

import threading

def run(port, spec, logs, k):
    log = []
    tn = telnetlib.Telnet()
    if spec.get("callback"):
        agree = bytes.fromhex(spec.get("agree") or "")
        def cb(sock, cmd, opt):
            log.append("cb %d %d" % (cmd[0], opt[0]))
            if cmd == SE:
                data = tn.read_sb_data()
                log.append("sb " + data.hex())
                if data == bytes([24, 1]):
                    sock.sendall(IAC + SB + bytes([24, 0]) + b"XTERM" + IAC + SE)
            elif cmd in (DO, WILL) and opt[0] in agree:
                sock.sendall(IAC + (WILL if cmd == DO else DO) + opt)
        tn.set_option_negotiation_callback(cb)
    if spec.get("open_timeout") is None:
        tn.open("127.0.0.1", port)
    else:
        tn.open("127.0.0.1", port, spec["open_timeout"])
    for o in spec["ops"]:
        name = o["op"]
        try:
            if name == "read_until":
                log.append("data " + tn.read_until(bytes.fromhex(o["data"]), o.get("timeout")).hex())
            elif name == "expect":
                i, m, text = tn.expect([re.compile(p.encode("latin-1")) for p in o["patterns"]], o.get("timeout"))
                groups = ",".join("-" if g is None else g.hex() for g in ((m.group(0),) + m.groups() if m else ()))
                log.append("expect %d %s %s" % (i, groups, text.hex()))
            elif name == "write":
                tn.write(bytes.fromhex(o["data"]))
                log.append("wrote")
            elif name == "sleep":
                time.sleep(o["seconds"])
            elif name == "close":
                tn.close()
                log.append("closed")
            elif name == "read_all_digest":
                data = tn.read_all()
                log.append("digest %d %s" % (len(data), hashlib.sha256(data).hexdigest()))
            elif name == "read_sb_data":
                log.append("data " + tn.read_sb_data().hex())
            else:
                log.append("data " + getattr(tn, name)().hex())
        except EOFError:
            log.append("eof")
        except (socket.timeout, TimeoutError):
            log.append("timeout")
        except Exception as e:
            print("python:", name, repr(e), file=sys.stderr)
            log.append("error")
    tn.close()
    logs[k] = log

runs = json.load(sys.stdin)
logs = [None] * len(runs)
threads = [threading.Thread(target=run, args=(r["port"], r["spec"], logs, k)) for k, r in enumerate(runs)]
for th in threads:
    th.start()
for th in threads:
    th.join()
json.dump(logs, sys.stdout)
`

// needTelnetlib returns the path of a python3 that has telnetlib, or skips
// the test (fails it when TELNET_INTEROP=1).
func needTelnetlib(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", "-c", "import telnetlib").Run()
	}
	if err != nil {
		msg := fmt.Sprintf("python3 with telnetlib (Python 3.12 or older) is needed: %v", err)
		if os.Getenv("TELNET_INTEROP") == "1" {
			t.Fatalf("%s (TELNET_INTEROP=1)", msg)
		}
		t.Skipf("%s; set TELNET_INTEROP=1 to make this a failure", msg)
	}
	return python
}

// runPython runs each spec with CPython, all at once in threads of one
// process, against the server on the port of the same index.
func runPython(python string, ports []int, specs []spec) ([][]string, error) {
	type run struct {
		Port int `json:"port"`
		Spec any `json:"spec"`
	}
	runs := make([]run, len(specs))
	for k := range specs {
		runs[k] = run{ports[k], pySpec(specs[k])}
	}
	js, err := json.Marshal(runs)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", "-c", pythonClient)
	cmd.Stdin = bytes.NewReader(js)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, stderr.Bytes())
	}
	var logs [][]string
	if err := json.Unmarshal(out, &logs); err != nil {
		return nil, fmt.Errorf("output %q: %w", out, err)
	}
	if len(logs) != len(specs) {
		return nil, fmt.Errorf("%d results for %d specs", len(logs), len(specs))
	}
	return logs, nil
}

// pySpec is the spec with Agree in hex, which json.load can read.
func pySpec(sp spec) any {
	type py struct {
		spec
		Agree string `json:"agree,omitempty"`
	}
	return py{spec: sp, Agree: hex.EncodeToString(sp.Agree)}
}

// goClient runs the spec with compat.Telnet against a server on port. Errors
// other than those the calls return are logged as "fail ..." lines.
func goClient(port int, sp spec) (log []string) {
	tn := new(compat.Telnet)
	defer tn.Close()
	if sp.Callback {
		tn.SetOptionNegotiationCallback(func(conn net.Conn, cmd, opt byte) {
			log = append(log, fmt.Sprintf("cb %d %d", cmd, opt))
			switch {
			case cmd == compat.SE:
				data := tn.ReadSBData()
				log = append(log, "sb "+hexOf(data))
				if bytes.Equal(data, []byte{compat.TTYPE, 1}) {
					conn.Write(append([]byte{compat.IAC, compat.SB, compat.TTYPE, 0}, "XTERM\xff\xf0"...))
				}
			case (cmd == compat.DO || cmd == compat.WILL) && bytes.IndexByte(sp.Agree, opt) >= 0:
				reply := compat.WILL
				if cmd == compat.WILL {
					reply = compat.DO
				}
				conn.Write([]byte{compat.IAC, reply, opt})
			}
		})
	}
	timeout := time.Duration(0)
	if sp.OpenTimeout != nil {
		timeout = time.Duration(*sp.OpenTimeout * float64(time.Second))
	}
	if err := tn.Open("127.0.0.1", port, timeout); err != nil {
		return []string{"fail " + err.Error()}
	}
	result := func(p []byte, err error) string {
		switch {
		case errors.Is(err, io.EOF):
			return "eof"
		case errors.Is(err, os.ErrDeadlineExceeded):
			return "timeout"
		case err != nil:
			return "error"
		}
		return dataLine(p)
	}
	for _, o := range sp.Ops {
		timeout := compat.NoTimeout
		if o.Timeout != nil {
			timeout = time.Duration(*o.Timeout * float64(time.Second))
		}
		switch o.Op {
		case "read_until":
			log = append(log, result(tn.ReadUntil(mustHex(o.Data), timeout)))
		case "expect":
			var res []*regexp.Regexp
			for _, p := range o.Patterns {
				res = append(res, regexp.MustCompile(p))
			}
			i, m, text, err := tn.Expect(res, timeout)
			if err != nil {
				log = append(log, result(nil, err))
				continue
			}
			groups := make([]string, len(m))
			for k, g := range m {
				groups[k] = hexOf(g)
				if g == nil {
					groups[k] = "-"
				}
			}
			log = append(log, fmt.Sprintf("expect %d %s %s", i, strings.Join(groups, ","), hexOf(text)))
		case "write":
			if _, err := tn.Write(mustHex(o.Data)); err != nil {
				log = append(log, result(nil, err))
			} else {
				log = append(log, "wrote")
			}
		case "sleep":
			time.Sleep(time.Duration(o.Seconds * float64(time.Second)))
		case "close":
			tn.Close()
			log = append(log, "closed")
		case "read_all_digest":
			data, err := tn.ReadAll()
			if err != nil {
				log = append(log, result(nil, err))
			} else {
				log = append(log, "digest "+digest(data))
			}
		case "read_sb_data":
			log = append(log, dataLine(tn.ReadSBData()))
		default:
			read, ok := map[string]func() ([]byte, error){
				"read_all": tn.ReadAll, "read_some": tn.ReadSome, "read_very_eager": tn.ReadVeryEager,
				"read_eager": tn.ReadEager, "read_lazy": tn.ReadLazy, "read_very_lazy": tn.ReadVeryLazy,
			}[o.Op]
			if !ok {
				log = append(log, "fail unknown op "+o.Op)
				continue
			}
			log = append(log, result(read()))
		}
	}
	return log
}

// outcome is what one client did in a scenario.
type outcome struct {
	log  []string // one line per result
	sent []byte   // every byte it sent
}

// A scenario is a server script, the calls to make, and optionally the
// results expected, written out as a check of the suite itself.
type scenario struct {
	name   string
	server []step
	spec   spec
	want   []string // when set, the results both clients must give
	sent   string   // when set, the bytes both clients must send
	// pyWant, when set, is what CPython gives where compat differs on
	// purpose (see the package documentation): the results are then
	// checked against want and pyWant instead of against each other.
	pyWant []string
}

// TestDifferential runs every scenario at once: CPython's clients in one
// process, compat's in goroutines, each against its own scripted server.
func TestDifferential(t *testing.T) {
	python := needTelnetlib(t)
	scs := scenarios()
	pySrv, goSrv := make([]*scripted, len(scs)), make([]*scripted, len(scs))
	ports, specs := make([]int, len(scs)), make([]spec, len(scs))
	for k, sc := range scs {
		pySrv[k], goSrv[k] = startScripted(t, sc.server), startScripted(t, sc.server)
		ports[k], specs[k] = pySrv[k].Port(), sc.spec
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	var pyLogs [][]string
	var pyErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		pyLogs, pyErr = runPython(python, ports, specs)
	}()
	goLogs := make([][]string, len(scs))
	for k := range scs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			goLogs[k] = goClient(goSrv[k].Port(), specs[k])
		}()
	}
	wg.Wait()
	if pyErr != nil {
		t.Fatalf("python: %v", pyErr)
	}
	for k, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			goOut := outcome{goLogs[k], goSrv[k].Received(t)}
			pyOut := outcome{pyLogs[k], pySrv[k].Received(t)}
			switch {
			case sc.pyWant != nil:
				if !slices.Equal(pyOut.log, sc.pyWant) {
					t.Errorf("python results\n got:  %q\n want: %q", pyOut.log, sc.pyWant)
				}
			case !slices.Equal(goOut.log, pyOut.log):
				t.Errorf("results differ\n go:     %q\n python: %q", goOut.log, pyOut.log)
			}
			if !bytes.Equal(goOut.sent, pyOut.sent) {
				t.Errorf("bytes sent differ\n go:     %q\n python: %q", goOut.sent, pyOut.sent)
			}
			if sc.want != nil && !slices.Equal(goOut.log, sc.want) {
				t.Errorf("results\n got:  %q\n want: %q", goOut.log, sc.want)
			}
			if sc.sent != "" && string(goOut.sent) != sc.sent {
				t.Errorf("bytes sent\n got:  %q\n want: %q", goOut.sent, sc.sent)
			}
		})
	}
}
