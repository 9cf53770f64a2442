package cli

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
)

// Parse parses args into fs in GNU style: options and operands in any
// order, "--opt value" or "--opt=value" (the flag package's single-dash
// forms are taken too), and "--" ending the options. It returns the
// operands and, when "--" was given, what follows it as a non-nil slice
// (nil without "--"). It returns [flag.ErrHelp] for -h and --help; other
// errors name the option the GNU way, "--opt". An option whose value may
// be left out ([OptionalSeconds]) takes the next argument when it is a
// value.
//
// The standard flag package stops at the first operand; Parse resumes
// after it, as GNU getopt permutes the command line.
func Parse(fs *flag.FlagSet, args []string) (operands, afterDash []string, err error) {
	args = joinOptional(fs, args)
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, err
			}
			return nil, nil, gnuError(err)
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return operands, append([]string{}, rest...), nil
		}
		if len(rest) == 0 {
			break
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
	return operands, nil, nil
}

// flagName is an option's name in one of the flag package's messages,
// which spell it with one dash.
var flagName = regexp.MustCompile(`(^|for |: )-([^-\s:][^\s:]*)`)

// gnuError rewrites an error of the flag package so that it names the
// option as it is documented and typed: "unknown option --bogus" for
// "flag provided but not defined: -bogus".
func gnuError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown option --%s", name)
	}
	msg = strings.Replace(msg, "for flag -", "for -", 1)
	return errors.New(flagName.ReplaceAllString(msg, "${1}--$2"))
}
