package shells

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

// DebugHelp is what the Debug shell's help command prints (version is
// there too, unlisted, as in telnetlib3).
const DebugHelp = "quit, writer, slc, linemode, toggle [option|all], reader, proto, dump"

// Debug returns telnetlib3's debug shell, tel:sh>, command for command. It
// greets with "Ready." ("Ready (secure: TLSv1.3)." over TLS), then
// prompts "tel:sh> ", with IAC GA after it while go-ahead is not
// suppressed, and reads a command line with a [LineReader]: typed
// characters are echoed while the server echoes (WILL ECHO), and not
// otherwise, since the client does; backspace, ^W and ^U erase by the
// columns the characters took, escape sequences such as the arrow keys
// are dropped, and CR, LF, CR LF and CR NUL each end the line. After each command line the
// shell writes CR LF, the command's output, and CR LF before the next
// prompt. The commands:
//
//   - help: the list of commands, [DebugHelp].
//   - quit: "Goodbye.", and the connection closes.
//   - writer: the connection's options and modes on one line, as
//     "<Conn server mode:kludge +lineflow -xon_any server-will:BINARY,ECHO,SGA
//     client-will:NAWS,TTYPE>", followed, on a Conn with an encoding, by
//     the encodings of both directions and the character set agreed with
//     CHARSET, if any: "encoding:read=IBM437,write=IBM437 charset:IBM437".
//   - reader: what the client told, on one line: terminal type(s), window
//     size, speeds, X display and environment.
//   - proto: the client's address, as "<Peer 127.0.0.1 36494>".
//   - slc: the special line characters of the server's LINEMODE table.
//   - linemode: "LINEMODE not negotiated.", or the mode the server set.
//   - toggle: the state of each option toggle can change; toggle NAME
//     changes one (echo, goahead, binary, inbinary, outbinary, xon-any,
//     lflow, linemode, linemode-edit, linemode-trapsig), and toggle all the
//     first six, each with telnetlib3's message ("wont echo.", "will
//     suppress go-ahead.", ...).
//   - version: the version of this module.
//   - dump [kb [ms [drain|nodrain [close|noclose]]]]: kb kilobytes (1000
//     by default) of rows of slashes, with ms milliseconds between rows,
//     then "wrote N bytes" and "kb OK"; close ends the session after it.
//
// Anything else is answered "no such command.". The shell ends when the
// client leaves or its connection fails, as it does when a [telnet.Daemon]
// cancels it.
func Debug() telnet.Handler { return telnet.HandlerFunc(debugShell) }

func debugShell(ctx context.Context, c *telnet.Conn) error {
	s := &debugSession{c: c, lflow: true}
	s.ed = NewLineReader(c, DefaultMaxLine)
	greeting := "Ready.\r\n"
	if v, ok := tlsVersion(c); ok {
		greeting = "Ready (secure: " + v + ").\r\n"
	}
	s.print(greeting)
	for {
		s.print("tel:sh> ")
		if err := s.flush(); err != nil {
			return endError(ctx, err)
		}
		if err := c.SendGoAhead(); err != nil {
			return endError(ctx, err)
		}
		line, err := s.ed.ReadLine()
		if err != nil {
			return endError(ctx, err)
		}
		command := strings.TrimSpace(line)
		if !s.ed.echoedEnd {
			s.print("\r\n")
		}
		quit, err := s.run(ctx, command)
		if err == nil && quit {
			err = s.flush()
		}
		if err != nil || quit {
			return endError(ctx, err)
		}
		if command != "" {
			s.print("\r\n")
		}
	}
}

// endError is the error a shell returns when its connection ends: none
// when the client left or the server shut down.
func endError(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// A debugSession is the state of one Debug shell.
type debugSession struct {
	c             *telnet.Conn
	ed            *LineReader
	xonAny, lflow bool   // the LFLOW modes to ask for
	out           []byte // output not yet written
}

func (s *debugSession) print(text string) { s.out = append(s.out, text...) }

// flush writes the output collected, in one write.
func (s *debugSession) flush() error {
	_, err := s.c.Write(s.out)
	s.out = s.out[:0]
	return err
}

// run runs one command line, and reports whether the session ends.
func (s *debugSession) run(ctx context.Context, command string) (quit bool, err error) {
	args := strings.Fields(command)
	if len(args) == 0 {
		return false, nil
	}
	name, args := args[0], args[1:]
	switch {
	case name == "quit" && len(args) == 0:
		s.print("Goodbye.\r\n")
		return true, nil
	case name == "toggle" && len(args) == 0:
		s.print(s.toggleTable())
	case name == "toggle" && len(args) == 1:
		s.print(s.toggle(args[0]))
	case name == "dump" && len(args) <= 4:
		return s.dump(ctx, args)
	case len(args) > 0:
		s.print("no such command.")
	default:
		s.print(s.report(name))
	}
	return false, nil
}

// report returns the output of a command that only reports, or "no such
// command.".
func (s *debugSession) report(name string) string {
	switch name {
	case "help":
		return DebugHelp
	case "writer":
		return s.writer()
	case "reader":
		return s.reader()
	case "proto":
		return proto(s.c.RemoteAddr())
	case "version":
		return moduleVersion()
	case "slc":
		slc, _ := s.c.SLC()
		return slcTable(&slc)
	case "linemode":
		return s.linemode()
	}
	return "no such command."
}

func (s *debugSession) enabled(side negotiate.Side, opt negotiate.Option) bool {
	return s.c.OptionEnabled(side, opt)
}

// mode is telnetlib3's name of the input mode: kludge (the client sends
// each key, the server echoes), local or remote (LINEMODE, with editing
// at the client or not), or local (the NVT default).
func (s *debugSession) mode() string {
	lmode, lm := s.c.Linemode()
	switch {
	case lm && lmode&negotiate.LinemodeEdit == 0:
		return "remote"
	case lm:
		return "local"
	case s.enabled(negotiate.Local, negotiate.Echo) && s.enabled(negotiate.Local, negotiate.SGA):
		return "kludge"
	}
	return "local"
}

func (s *debugSession) writer() string {
	lflow, xonAny := s.flowControl()
	return fmt.Sprintf("<Conn server mode:%s %slineflow %sxon_any server-will:%s client-will:%s%s>",
		s.mode(), plusMinus(lflow), plusMinus(xonAny), s.enabledOptions(negotiate.Local),
		s.enabledOptions(negotiate.Remote), s.encodings())
}

// encodings describes the connection's encodings, when it has them: those
// Read and Write use now, and the character set agreed with CHARSET.
func (s *debugSession) encodings() string {
	read, write := s.c.Encoding()
	if read == "" && write == "" {
		return ""
	}
	text := " encoding:read=" + read + ",write=" + write
	if cs := s.c.Charset(); cs != "" {
		text += " charset:" + cs
	}
	return text
}

// enabledOptions lists the names of the options enabled at one end, in
// alphabetical order.
func (s *debugSession) enabledOptions(side negotiate.Side) string {
	var names []string
	for code := range 256 {
		if opt := negotiate.Option(code); s.enabled(side, opt) {
			names = append(names, opt.String())
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

func plusMinus(on bool) string {
	if on {
		return "+"
	}
	return "-"
}

func (s *debugSession) reader() string {
	c := s.c
	cols, rows := c.WindowSize()
	tx, rx := c.TerminalSpeed()
	env := c.Env()
	var vars []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		vars = append(vars, strconv.Quote(k)+":"+strconv.Quote(env[k]))
	}
	types := make([]string, 0, 4)
	for _, t := range c.TerminalTypes() {
		types = append(types, strconv.Quote(t))
	}
	return fmt.Sprintf("<Reader inbinary:%v term:%q ttypes:[%s] size:%dx%d speed:%d,%d xdisplay:%q env:{%s}>",
		s.enabled(negotiate.Remote, negotiate.Binary), c.TerminalType(), strings.Join(types, ","),
		cols, rows, tx, rx, c.XDisplay(), strings.Join(vars, ","))
}

// proto describes the client's address as telnetlib3's Peer does.
func proto(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "<Peer " + a.String() + ">"
	}
	return "<Peer " + host + " " + port + ">"
}

// tlsVersion returns the TLS version of the connection under c, as
// "TLSv1.3", if there is one.
func tlsVersion(c *telnet.Conn) (string, bool) {
	st, ok := c.TLSConnectionState()
	if !ok {
		return "", false
	}
	return strings.Replace(tls.VersionName(st.Version), "TLS ", "TLSv", 1), true
}

// moduleVersion returns the version of this module in the running
// program.
func moduleVersion() string {
	const path = "github.com/telnetkit/telnet"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if info.Main.Path == path && info.Main.Version != "" {
		return info.Main.Version
	}
	for _, m := range info.Deps {
		if m.Path == path {
			return m.Version
		}
	}
	return "(devel)"
}

// slcTable lists the special line characters of t as telnetlib3 does:
// the functions with a character, then those left to the client, then
// those not supported.
func slcTable(t *negotiate.SLCTable) string {
	var set, unset, none []string
	for f := negotiate.SLCSynch; f <= negotiate.SLCMaxFunction; f++ {
		tr := t.Get(f)
		name := "SLC_" + f.String()
		switch tr.Mod.Level() {
		case negotiate.SLCNoSupport:
			none = append(none, name)
		case negotiate.SLCDefault:
			unset = append(unset, name)
		default:
			set = append(set, fmt.Sprintf("%15s: (%s, %s)", name, caret(tr.Value), slcFlags(tr.Mod)))
		}
	}
	// Sorting the padded lines puts the short names first, as telnetlib3
	// does.
	slices.Sort(set)
	slices.Sort(unset)
	slices.Sort(none)
	return "Special Line Characters:\r\n" + strings.Join(set, "\r\n") +
		"\r\nUnset by client: " + strings.Join(unset, ", ") +
		"\r\nNot supported by server: " + strings.Join(none, ", ")
}

// caret shows a character as a terminal driver does: ^C, ^?, or itself.
func caret(b byte) string {
	switch {
	case b < 0x20:
		return "^" + string(rune(b+0x40))
	case b == 0x7f:
		return "^?"
	}
	return string(rune(b))
}

// slcFlags names an SLC level and flags in telnetlib3's words.
func slcFlags(m negotiate.SLCModifiers) string {
	level := map[negotiate.SLCModifiers]string{
		negotiate.SLCNoSupport: "nosupport", negotiate.SLCCantChange: "cantchange",
		negotiate.SLCValue: "variable", negotiate.SLCDefault: "default",
	}[m.Level()]
	words := []string{level}
	for _, f := range []struct {
		bit  negotiate.SLCModifiers
		name string
	}{{negotiate.SLCAck, "ack"}, {negotiate.SLCFlushIn, "flushin"}, {negotiate.SLCFlushOut, "flushout"}} {
		if m&f.bit != 0 {
			words = append(words, f.name)
		}
	}
	return strings.Join(words, "|")
}

func (s *debugSession) linemode() string {
	m, ok := s.c.Linemode()
	if !ok {
		return "LINEMODE not negotiated."
	}
	// The mode is the one the client acknowledged.
	m |= negotiate.LinemodeAck
	return fmt.Sprintf("LINEMODE active. Mode: %s\r\nEDIT=%s TRAPSIG=%s SOFT_TAB=%s LIT_ECHO=%s ACK=%s", s.mode(),
		onOff(m&negotiate.LinemodeEdit != 0), onOff(m&negotiate.LinemodeTrapSig != 0),
		onOff(m&negotiate.LinemodeSoftTab != 0), onOff(m&negotiate.LinemodeLitEcho != 0),
		onOff(m&negotiate.LinemodeAck != 0))
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// toggles returns the state of each option toggle changes.
func (s *debugSession) toggles() map[string]bool {
	lmode, lm := s.c.Linemode()
	lflow, xonAny := s.flowControl()
	out, in := s.enabled(negotiate.Local, negotiate.Binary), s.enabled(negotiate.Remote, negotiate.Binary)
	return map[string]bool{
		"echo":             s.enabled(negotiate.Local, negotiate.Echo),
		"goahead":          !s.enabled(negotiate.Local, negotiate.SGA),
		"outbinary":        out,
		"inbinary":         in,
		"binary":           out && in,
		"xon-any":          xonAny,
		"lflow":            lflow,
		"linemode":         lm,
		"linemode-edit":    lmode&negotiate.LinemodeEdit != 0,
		"linemode-trapsig": lmode&negotiate.LinemodeTrapSig != 0,
	}
}

func (s *debugSession) toggleTable() string {
	state := s.toggles()
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(state)) {
		v := "off"
		if state[name] {
			v = "ON"
		}
		lines = append(lines, name+" "+v)
	}
	return strings.Join(lines, "\r\n")
}

// toggle changes the option named, or with "all" echo, goahead, binary,
// xon-any and lflow, and says what it did.
func (s *debugSession) toggle(name string) string {
	state := s.toggles()
	all := name == "all"
	is := func(names ...string) bool { return all || slices.Contains(names, name) }
	var msgs []string
	flip := func(on bool, side negotiate.Side, opt negotiate.Option, onMsg, offMsg string) {
		if on {
			s.c.DisableOption(side, opt)
			msgs = append(msgs, offMsg)
		} else {
			s.c.EnableOption(side, opt)
			msgs = append(msgs, onMsg)
		}
	}
	if is("echo") {
		flip(state["echo"], negotiate.Local, negotiate.Echo, "will echo.", "wont echo.")
	}
	if is("goahead") {
		flip(!state["goahead"], negotiate.Local, negotiate.SGA, "will suppress go-ahead.", "wont suppress go-ahead.")
	}
	if is("outbinary", "binary") {
		flip(state["outbinary"], negotiate.Local, negotiate.Binary, "will outbinary.", "wont outbinary.")
	}
	if is("inbinary", "binary") {
		flip(state["inbinary"], negotiate.Remote, negotiate.Binary, "do inbinary.", "dont inbinary.")
	}
	if is("xon-any") {
		lflow, xonAny := s.flowControl()
		s.setFlowControl(lflow, !xonAny)
		msgs = append(msgs, "xon-any "+able(!xonAny)+".")
	}
	if is("lflow") {
		lflow, xonAny := s.flowControl()
		s.setFlowControl(!lflow, xonAny)
		msgs = append(msgs, "lineflow "+able(!lflow)+".")
	}
	if name == "linemode" {
		flip(state["linemode"], negotiate.Remote, negotiate.Linemode, "do linemode.", "dont linemode.")
	}
	for _, m := range []struct {
		name string
		bit  negotiate.LinemodeMode
	}{{"linemode-edit", negotiate.LinemodeEdit}, {"linemode-trapsig", negotiate.LinemodeTrapSig}} {
		if name != m.name {
			continue
		}
		// The mode changes when the client acknowledges it.
		lmode, ok := s.c.Linemode()
		if !ok || s.c.RequestLinemode(lmode^m.bit) != nil {
			msgs = append(msgs, "linemode not active.")
			continue
		}
		msgs = append(msgs, m.name+" "+able(lmode&m.bit == 0)+".")
	}
	if _, ok := state[name]; !ok && !all {
		msgs = append(msgs, "toggle: not an option.")
	}
	return strings.Join(msgs, "\r\n")
}

func able(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}

// flowControl returns the LFLOW modes: those agreed with the client
// when it does LFLOW, else those the shell would ask for.
func (s *debugSession) flowControl() (lflow, xonAny bool) {
	if on, any, ok := s.c.FlowControl(); ok {
		return on, any
	}
	return s.lflow, s.xonAny
}

// setFlowControl sets the LFLOW modes, and tells the client when it does
// LFLOW.
func (s *debugSession) setFlowControl(lflow, xonAny bool) {
	s.lflow, s.xonAny = lflow, xonAny
	s.c.SetFlowControl(lflow, xonAny) // ErrOptionDisabled: nobody to tell
}

// dump writes rows of slashes, for experiments with large output, and
// reports whether the session ends after it.
func (s *debugSession) dump(ctx context.Context, args []string) (quit bool, err error) {
	kb, delay, drain, closing := 1000, 0, true, false
	if len(args) > 0 {
		if n, err := strconv.Atoi(args[0]); err == nil && n >= 0 && n <= 1<<30 {
			kb = n // up to a terabyte: the client can stop it by leaving
		}
	}
	if len(args) > 1 {
		if ms, err := strconv.ParseFloat(args[1], 64); err == nil && ms >= 0 && ms < 1e9 {
			delay = int(ms)
		}
	}
	if len(args) > 2 {
		// Every Write returns once the data is with the kernel: there is
		// nothing more to drain, and the flag only shows in the header.
		drain = strings.ToLower(args[2]) != "nodrain"
	}
	if len(args) > 3 {
		closing = strings.ToLower(args[3]) == "close"
	}
	s.print(fmt.Sprintf("kb_limit=%d, delay=%d, drain=%s, do_close=%s:\r\n", kb, delay, pyBool(drain), pyBool(closing)))
	written := 0
	for written < kb*1024 {
		for _, ch := range []string{"/", "\\"} {
			row := strings.Repeat(ch, 80) + "\x1b[1G"
			s.print(row)
			written += len(row)
		}
		if delay > 0 || len(s.out) >= 64<<10 {
			if err := s.flush(); err != nil {
				return true, err
			}
			if !sleep(ctx, time.Duration(delay)*time.Millisecond) {
				return true, ctx.Err()
			}
		}
	}
	s.print(fmt.Sprintf("\x1b[1Gwrote %d bytes\r\n%d OK", written, kb))
	return closing, nil
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// sleep waits for d, and reports false if ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
