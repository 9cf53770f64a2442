package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OpenLogFile opens the --logfile path for appending, creating it if
// need be.
func OpenLogFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
}

// NewHandler returns the log handler of --logfmt: text, json, or a
// Python logging format such as "%(levelname)s %(message)s", which
// telnetlib3's command lines carry. program is the logger's %(name)s.
func NewHandler(w io.Writer, format string, level slog.Level, program string) (slog.Handler, error) {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: levelNames}
	switch format {
	case "text":
		return slog.NewTextHandler(w, opts), nil
	case "json":
		return slog.NewJSONHandler(w, opts), nil
	}
	if !strings.Contains(format, "%(") {
		return nil, fmt.Errorf("--logfmt %q: not text, json or a Python logging format", format)
	}
	return &pyHandler{w: w, mu: new(sync.Mutex), level: level, format: format, name: program, pid: os.Getpid()}, nil
}

func levelNames(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.LevelKey && len(groups) == 0 {
		if l, ok := a.Value.Any().(slog.Level); ok {
			a.Value = slog.StringValue(LevelName(l))
		}
	}
	return a
}

// pyField is one %(name)s field of a Python logging format, with its
// conversion flags.
var pyField = regexp.MustCompile(`%\((\w+)\)([-#0 +]*\d*(?:\.\d+)?)([sdfr])|%%`)

// A pyHandler writes records in a Python logging format: the fields
// levelname, levelno, message, asctime, created, msecs, name, filename,
// pathname, module, lineno, funcName, process are known; the record's
// attributes follow the message as key=value.
type pyHandler struct {
	w      io.Writer
	mu     *sync.Mutex
	level  slog.Level
	format string
	attrs  string // pre-formatted attributes, each with a leading space
	group  string // the prefix of the keys of the attributes to come
	name   string // the program
	pid    int
}

func (h *pyHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *pyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs += formatAttrs(h.group, attrs)
	return &h2
}

func (h *pyHandler) WithGroup(name string) slog.Handler {
	h2 := *h
	h2.group += name + "."
	return &h2
}

func formatAttrs(group string, attrs []slog.Attr) string {
	var b strings.Builder
	for _, a := range attrs {
		if a.Equal(slog.Attr{}) {
			continue
		}
		v := a.Value.Resolve()
		if v.Kind() == slog.KindGroup {
			b.WriteString(formatAttrs(group+a.Key+".", v.Group()))
			continue
		}
		s := v.String()
		if s == "" || strings.ContainsAny(s, " =\"\\") || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
			s = strconv.Quote(s)
		}
		b.WriteString(" " + group + a.Key + "=" + s)
	}
	return b.String()
}

func (h *pyHandler) Handle(_ context.Context, r slog.Record) error {
	var attrs []slog.Attr
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	message := r.Message + h.attrs + formatAttrs(h.group, attrs)
	var frame runtime.Frame
	if r.PC != 0 {
		frame, _ = runtime.CallersFrames([]uintptr{r.PC}).Next()
	}
	line := pyField.ReplaceAllStringFunc(h.format, func(field string) string {
		if field == "%%" {
			return "%"
		}
		m := pyField.FindStringSubmatch(field)
		var v any
		switch m[1] {
		case "levelname":
			v = LevelName(r.Level)
		case "levelno":
			v = int(r.Level)
		case "message":
			v = message
		case "asctime":
			v = r.Time.Format("2006-01-02 15:04:05,000")
		case "created":
			v = float64(r.Time.UnixNano()) / float64(time.Second)
		case "msecs":
			v = r.Time.Nanosecond() / int(time.Millisecond)
		case "name":
			v = h.name
		case "filename":
			v = filepath.Base(frame.File)
		case "pathname":
			v = frame.File
		case "module":
			v = strings.TrimSuffix(filepath.Base(frame.File), ".go")
		case "lineno":
			v = frame.Line
		case "funcName":
			v = frame.Function[strings.LastIndexByte(frame.Function, '.')+1:]
		case "process":
			v = h.pid
		default:
			return field
		}
		verb := m[3]
		_, isInt := v.(int)
		_, isFloat := v.(float64)
		switch {
		case verb == "r":
			verb = "q"
		case verb == "d" && !isInt, verb == "f" && !isFloat:
			verb = "v"
		}
		return fmt.Sprintf("%"+m[2]+verb, v)
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, line+"\n")
	return err
}
