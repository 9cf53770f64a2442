package cli

import (
	"fmt"
	"runtime/debug"
)

// Version returns the line --version prints for program: the module's
// version, and for a build from a checkout, the revision it was built
// from, as the Go tool records them in the binary.
func Version(program string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return program + " (unknown version)"
	}
	v := fmt.Sprintf("%s %s %s", program, info.Main.Path, info.Main.Version)
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " (" + rev + modified + ")"
	}
	return v + ", " + info.GoVersion
}
