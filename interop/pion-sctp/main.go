// Command pion-sctp-echo runs stock pion/sctp (Debian's golang-github-pion-sctp-dev, 1.8.6 with Pion 3.1) straight
// over UDP on loopback, without DTLS, as a raw SCTP peer for jrtc's SCTP interop test.
//
// Usage: pion-sctp-echo server|client <local port> <remote port>
//
// server: Pion waits for an INIT (sctp.Server). client: Pion sends the INIT (sctp.Client), as Pion's WebRTC
// stack always does. Either way it then echoes every message on every stream it accepts, with the same PPID,
// and prints "ready", "connected <ms>" and "echoed <n> <bytes>" lines on stdout.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/pion/logging"
	"github.com/pion/sctp"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: pion-sctp-echo server|client <local port> <remote port>")
		os.Exit(2)
	}
	local, _ := strconv.Atoi(os.Args[2])
	remote, _ := strconv.Atoi(os.Args[3])
	loopback := net.ParseIP("127.0.0.1")
	conn, err := net.DialUDP("udp", &net.UDPAddr{IP: loopback, Port: local}, &net.UDPAddr{IP: loopback, Port: remote})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	logs := logging.NewDefaultLoggerFactory()
	logs.DefaultLogLevel = logging.LogLevelWarn
	config := sctp.Config{NetConn: conn, LoggerFactory: logs, MaxReceiveBufferSize: 1 << 20}
	fmt.Println("ready")
	start := time.Now()
	var a *sctp.Association
	if os.Args[1] == "client" {
		a, err = sctp.Client(config)
	} else {
		a, err = sctp.Server(config)
	}
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("connected", time.Since(start).Milliseconds())
	for {
		s, err := a.AcceptStream()
		if err != nil {
			fmt.Println("closed", err)
			return
		}
		go echo(s)
	}
}

func echo(s *sctp.Stream) {
	buf := make([]byte, 65536)
	n := 0
	total := 0
	for {
		k, ppi, err := s.ReadSCTP(buf)
		if err != nil {
			return
		}
		if _, err := s.WriteSCTP(buf[:k], ppi); err != nil {
			fmt.Println("error", err)
			return
		}
		n++
		total += k
		fmt.Println("echoed", s.StreamIdentifier(), n, total)
	}
}
