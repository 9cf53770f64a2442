package cli

import (
	"fmt"
	"log/slog"
	"strings"
)

// The two levels of telnetlib3 (and Python's logging) that slog lacks.
const (
	LevelTrace    = slog.LevelDebug - 4 // below debug: every byte
	LevelCritical = slog.LevelError + 4 // above error, as Python's CRITICAL
)

// ParseLevel parses a --loglevel value: trace, debug, info, warn (or
// warning), error, critical (or fatal), in any case.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "trace":
		return LevelTrace, nil
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	case "critical", "fatal":
		return LevelCritical, nil
	}
	return 0, fmt.Errorf("--loglevel %q: not one of trace, debug, info, warn, error, critical", s)
}

// LevelName returns the name of a level as telnetlib3 logs it: TRACE,
// DEBUG, INFO, WARNING, ERROR, CRITICAL.
func LevelName(l slog.Level) string {
	switch {
	case l <= LevelTrace:
		return "TRACE"
	case l >= LevelCritical:
		return "CRITICAL"
	case l == slog.LevelWarn:
		return "WARNING"
	}
	return l.String()
}
