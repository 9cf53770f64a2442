package cli

import (
	"flag"
	"strings"
	"time"
)

// OptionalSeconds is a [flag.Value] of an option whose number of seconds
// may be left out, as telnetlib3's "--tls-auto [SECONDS]": given alone,
// the option is On with Default; given a number ("--tls-auto=2", or
// "--tls-auto 2" through [Parse]), On with that. Unless given, it is off.
type OptionalSeconds struct {
	On      bool
	Value   time.Duration
	Default time.Duration
}

// IsBoolFlag tells the flag package that the option may come alone.
func (o *OptionalSeconds) IsBoolFlag() bool { return true }

// String returns the seconds, or "false" when off.
func (o *OptionalSeconds) String() string {
	if o == nil || !o.On {
		return "false"
	}
	return (*Seconds)(&o.Value).String()
}

// Set parses v: "true" (the option alone), "false", or seconds.
func (o *OptionalSeconds) Set(v string) error {
	switch v {
	case "true":
		o.On, o.Value = true, o.Default
		return nil
	case "false":
		o.On = false
		return nil
	}
	var s Seconds
	if err := s.Set(v); err != nil {
		return err
	}
	o.On, o.Value = true, time.Duration(s)
	return nil
}

// takesValue reports whether v, the argument after the option, is its
// value rather than an operand.
func (o *OptionalSeconds) takesValue(v string) bool {
	var s Seconds
	return s.Set(v) == nil
}

// joinOptional joins each option whose value may be left out to the
// argument after it when that is its value ("--tls-auto 2" becomes
// "--tls-auto=2"), which the flag package would take for an operand.
// The value of another option is passed over, and nothing after "--" is
// looked at.
func joinOptional(fs *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		name := strings.TrimLeft(a, "-")
		if dashes := len(a) - len(name); dashes < 1 || dashes > 2 || strings.Contains(name, "=") || i+1 == len(args) {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		next := args[i+1]
		switch v := f.Value.(type) {
		case interface{ takesValue(string) bool }:
			if v.takesValue(next) {
				out[len(out)-1] = a + "=" + next
				i++
			}
		case interface{ IsBoolFlag() bool }:
			if !v.IsBoolFlag() {
				out = append(out, next)
				i++
			}
		default: // "--opt value": the value is no option
			out = append(out, next)
			i++
		}
	}
	return out
}
