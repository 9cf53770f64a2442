module github.com/telnetkit/telnet

go 1.24
