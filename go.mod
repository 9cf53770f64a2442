module github.com/telnetkit/telnet

go 1.24

require github.com/creack/pty v1.1.24
