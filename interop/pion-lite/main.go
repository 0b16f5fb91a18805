// An ice-lite Pion peer for jrtc's dialect tests (RFC 8445 section 2.5: a lite agent answers checks, sends none,
// and is always controlled). It speaks JSON lines: descriptions go out on stdout only after gathering is complete
// (it does not trickle), the peer's description comes in on stdin, and every state change and data channel event
// is printed as {"event": ...}. Data channels echo what they receive.
//
// Build offline against Debian's Go sources (GOPATH mode; go.mod is only the marker that maps pion's /v3 paths):
//   GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH=/usr/share/gocode go build -o <out> .
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"sync"

	"github.com/pion/ice/v2"
	"github.com/pion/webrtc/v3"
)

var out = json.NewEncoder(os.Stdout)
var outMu sync.Mutex

func emit(m map[string]interface{}) {
	outMu.Lock()
	defer outMu.Unlock()
	_ = out.Encode(m)
}

func fail(what string, err error) {
	emit(map[string]interface{}{"event": "error", "what": what, "error": err.Error()})
	os.Exit(1)
}

func main() {
	ip := flag.String("ip", "", "the only local address to gather on")
	role := flag.String("role", "answer", "offer or answer")
	flag.Parse()
	only := net.ParseIP(*ip)
	if only == nil {
		fail("flags", fmt.Errorf("-ip %q is not an IP address", *ip))
	}

	se := webrtc.SettingEngine{}
	se.SetLite(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIPFilter(func(a net.IP) bool { return a.Equal(only) })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		fail("new peer connection", err)
	}
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		emit(map[string]interface{}{"event": "ice", "state": s.String()})
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		emit(map[string]interface{}{"event": "connection", "state": s.String()})
	})
	echo := func(ch *webrtc.DataChannel) {
		ch.OnOpen(func() { emit(map[string]interface{}{"event": "open", "label": ch.Label()}) })
		ch.OnMessage(func(m webrtc.DataChannelMessage) {
			var err error
			if m.IsString {
				err = ch.SendText(string(m.Data))
			} else {
				err = ch.Send(m.Data)
			}
			if err != nil {
				emit(map[string]interface{}{"event": "log", "text": "echo failed: " + err.Error()})
			}
		})
	}
	pc.OnDataChannel(func(ch *webrtc.DataChannel) {
		emit(map[string]interface{}{"event": "datachannel", "label": ch.Label()})
		echo(ch)
	})

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	readDescription := func() webrtc.SessionDescription {
		if !in.Scan() {
			fail("stdin", fmt.Errorf("closed before a description arrived"))
		}
		var d webrtc.SessionDescription
		if err := json.Unmarshal(in.Bytes(), &d); err != nil {
			fail("stdin", err)
		}
		return d
	}
	sendLocal := func() {
		<-webrtc.GatheringCompletePromise(pc)
		d := pc.LocalDescription()
		emit(map[string]interface{}{"type": d.Type.String(), "sdp": d.SDP})
	}

	if *role == "offer" {
		ch, err := pc.CreateDataChannel("pion-init", nil)
		if err != nil {
			fail("create data channel", err)
		}
		echo(ch)
		offer, err := pc.CreateOffer(nil)
		if err != nil {
			fail("create offer", err)
		}
		if err := pc.SetLocalDescription(offer); err != nil {
			fail("set local offer", err)
		}
		sendLocal()
		if err := pc.SetRemoteDescription(readDescription()); err != nil {
			fail("set remote answer", err)
		}
	} else {
		if err := pc.SetRemoteDescription(readDescription()); err != nil {
			fail("set remote offer", err)
		}
		answer, err := pc.CreateAnswer(nil)
		if err != nil {
			fail("create answer", err)
		}
		if err := pc.SetLocalDescription(answer); err != nil {
			fail("set local answer", err)
		}
		sendLocal()
	}
	for in.Scan() {
		// any further line (or EOF) ends the peer
		break
	}
	_ = pc.Close()
}
