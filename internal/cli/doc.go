// Package cli is the command-line plumbing telnet-server and telnet-client
// share, so that their options read and behave alike, as telnetlib3's two
// programs do: GNU-style parsing over the standard flag package, options
// given in seconds, log levels and log set-up, port and encoding checks,
// and --version from the module's build information.
package cli
