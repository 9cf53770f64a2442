module github.com/telnetkit/telnet

go 1.25

require (
	github.com/creack/pty v1.1.24
	github.com/pires/go-proxyproto v0.11.0
	golang.org/x/net v0.50.0
	golang.org/x/term v0.40.0
	golang.org/x/text v0.34.0
)

require golang.org/x/sys v0.41.0

require github.com/klauspost/compress v1.20.4 // indirect
