// Command jrtc-pion-peer is stock Pion WebRTC 3.1 as the remote peer of jrtc's interop tests. It speaks the same
// message channel as interop/harness/remote-peer.js (GET /poll for messages from Java, POST /post for messages to
// Java) and implements the same commands, so the Java scenarios drive it exactly like Chromium, Firefox and werift.
//
// Usage: jrtc-pion-peer <harness base url> <the one IP address to gather on>
//
// Built offline in GOPATH mode against Debian's Go source packages; see README.md next to this file.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/webrtc/v3"
)

type msg = map[string]interface{}

type peer struct {
	base      string
	ip        net.IP
	client    *http.Client
	pc        *webrtc.PeerConnection
	mu        sync.Mutex
	channels  map[string]*channel
	pending   []msg
	remoteSet bool
	postMu    sync.Mutex
	// createMu serialises CreateDataChannel: Pion 3.1.56 picks a new channel's stream id with its lock released,
	// so concurrent calls can get the same id (seen: two of 100 channels on id 176). JavaScript never calls it
	// concurrently either.
	createMu sync.Mutex
}

// channel is a data channel plus a signal that it closed.
type channel struct {
	dc     *webrtc.DataChannel
	closed chan struct{}
	once   sync.Once
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: jrtc-pion-peer <harness base url> <ip to gather on>")
		os.Exit(2)
	}
	ip := net.ParseIP(os.Args[2])
	if ip == nil {
		fmt.Fprintln(os.Stderr, "not an IP address:", os.Args[2])
		os.Exit(2)
	}
	p := &peer{base: os.Args[1], ip: ip, client: &http.Client{Timeout: 30 * time.Second}, channels: map[string]*channel{}}
	p.post(msg{"type": "event", "event": "ready", "agent": "pion"})
	for {
		resp, err := p.client.Get(p.base + "/poll")
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		var batch []msg
		err = json.NewDecoder(resp.Body).Decode(&batch)
		resp.Body.Close()
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for _, m := range batch {
			if !p.handle(m) {
				return
			}
		}
	}
}

func (p *peer) post(m msg) {
	body, _ := json.Marshal(m)
	p.postMu.Lock() // keeps events in the order they happened
	defer p.postMu.Unlock()
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := p.client.Post(p.base+"/post", "application/json", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
}

func (p *peer) log(format string, args ...interface{}) {
	p.post(msg{"type": "log", "text": "[pion] " + fmt.Sprintf(format, args...)})
}

func str(m msg, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m msg, k string, def int) int {
	if f, ok := m[k].(float64); ok {
		return int(f)
	}
	return def
}

func flag(m msg, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func (p *peer) handle(m msg) bool {
	switch str(m, "type") {
	case "config":
		if err := p.createPc(); err != nil {
			p.log("creating the peer connection failed: %v", err)
			return true
		}
		if str(m, "role") == "offerer" {
			label := str(m, "initialLabel")
			if label == "" {
				label = "remote-init"
			}
			dc, err := p.pc.CreateDataChannel(label, nil)
			if err != nil {
				p.log("createDataChannel: %v", err)
				return true
			}
			p.attachEcho(dc)
			offer, err := p.pc.CreateOffer(nil)
			if err == nil {
				err = p.pc.SetLocalDescription(offer)
			}
			if err != nil {
				p.log("offer failed: %v", err)
				return true
			}
			p.post(msg{"type": "offer", "sdp": p.pc.LocalDescription().SDP})
		}
	case "offer":
		if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: str(m, "sdp")}); err != nil {
			p.log("setRemoteDescription(offer) failed: %v", err)
			return true
		}
		p.flushCandidates()
		answer, err := p.pc.CreateAnswer(nil)
		if err == nil {
			err = p.pc.SetLocalDescription(answer)
		}
		if err != nil {
			p.log("answer failed: %v", err)
			return true
		}
		p.post(msg{"type": "answer", "sdp": p.pc.LocalDescription().SDP})
	case "answer":
		if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: str(m, "sdp")}); err != nil {
			p.log("setRemoteDescription(answer) failed: %v", err)
			return true
		}
		p.flushCandidates()
	case "candidate":
		p.mu.Lock()
		if !p.remoteSet {
			p.pending = append(p.pending, m)
			p.mu.Unlock()
			return true
		}
		p.mu.Unlock()
		p.addCandidate(m)
	case "command":
		go func() {
			r := p.runCommand(m)
			r["type"] = "result"
			r["id"] = m["id"]
			r["cmd"] = m["cmd"]
			p.post(r)
		}()
	case "quit":
		if p.pc != nil {
			p.pc.Close()
		}
		return false
	default:
		p.log("unknown message %v", m["type"])
	}
	return true
}

func (p *peer) createPc() error {
	se := webrtc.SettingEngine{}
	// Gather on the namespace's address only, over UDP, with real addresses instead of .local names.
	se.SetIPFilter(func(ip net.IP) bool { return ip.Equal(p.ip) })
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	p.pc = pc
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			p.post(msg{"type": "candidate", "candidate": "", "sdpMid": "0", "sdpMLineIndex": 0})
			return
		}
		init := c.ToJSON()
		p.post(msg{"type": "candidate", "candidate": init.Candidate, "sdpMid": init.SDPMid, "sdpMLineIndex": init.SDPMLineIndex})
	})
	pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		ev := describe(dc)
		ev["type"], ev["event"] = "event", "datachannel"
		p.post(ev)
		p.attachEcho(dc)
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		p.post(msg{"type": "event", "event": "connectionstate", "state": s.String()})
	})
	return nil
}

func (p *peer) flushCandidates() {
	p.mu.Lock()
	p.remoteSet = true
	pending := p.pending
	p.pending = nil
	p.mu.Unlock()
	for _, m := range pending {
		p.addCandidate(m)
	}
}

func (p *peer) addCandidate(m msg) {
	c := str(m, "candidate")
	if c == "" {
		return // end of candidates: Pion 3.1 has no use for it
	}
	init := webrtc.ICECandidateInit{Candidate: c}
	if mid, ok := m["sdpMid"].(string); ok {
		init.SDPMid = &mid
	}
	if idx, ok := m["sdpMLineIndex"].(float64); ok {
		i := uint16(idx)
		init.SDPMLineIndex = &i
	}
	if err := p.pc.AddICECandidate(init); err != nil {
		p.log("addIceCandidate(%s) failed: %v", c, err)
	}
}

func describe(dc *webrtc.DataChannel) msg {
	m := msg{"label": dc.Label(), "ordered": dc.Ordered(), "protocol": dc.Protocol(), "negotiated": dc.Negotiated(),
		"id": nil, "maxRetransmits": nil, "maxPacketLifeTime": nil}
	if id := dc.ID(); id != nil {
		m["id"] = *id
	}
	if r := dc.MaxRetransmits(); r != nil {
		m["maxRetransmits"] = *r
	}
	if l := dc.MaxPacketLifeTime(); l != nil {
		m["maxPacketLifeTime"] = *l
	}
	return m
}

// track remembers a channel by label and reports its close to Java.
func (p *peer) track(dc *webrtc.DataChannel, echoed *int) *channel {
	ch := &channel{dc: dc, closed: make(chan struct{})}
	p.mu.Lock()
	p.channels[dc.Label()] = ch
	p.mu.Unlock()
	dc.OnClose(func() {
		ch.once.Do(func() {
			n := 0
			if echoed != nil {
				n = *echoed
			}
			p.post(msg{"type": "event", "event": "close", "label": dc.Label(), "echoed": n})
			close(ch.closed)
		})
	})
	return ch
}

// attachEcho echoes every message back on the channel it came on: strings as strings, bytes as bytes.
func (p *peer) attachEcho(dc *webrtc.DataChannel) {
	echoed := 0
	p.track(dc, &echoed)
	dc.OnMessage(func(m webrtc.DataChannelMessage) {
		echoed++
		var err error
		if m.IsString {
			err = dc.SendText(string(m.Data))
		} else {
			err = dc.Send(m.Data)
		}
		if err != nil {
			p.log("echo on %s failed: %v", dc.Label(), err)
		}
	})
	opened := func() {
		ev := describe(dc)
		ev["type"], ev["event"] = "event", "open"
		p.post(ev)
	}
	if dc.ReadyState() == webrtc.DataChannelStateOpen {
		opened()
	} else {
		dc.OnOpen(opened)
	}
}

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_ÅÉßλ€" // includes multi-byte UTF-8 on purpose

// pattern is the content of message i: a text of `size` characters or `size` bytes, both starting with the index.
func pattern(label string, i, size int, isBinary bool) []byte {
	if !isBinary {
		var sb strings.Builder
		sb.WriteString(label + "#" + strconv.Itoa(i) + "#")
		runes := []rune(alphabet)
		n := len([]rune(sb.String()))
		for k := 0; n < size; k++ {
			sb.WriteRune(runes[(i+k)%len(runes)])
			n++
		}
		return []byte(sb.String())
	}
	if size < 8 {
		size = 8
	}
	out := make([]byte, size)
	binary.BigEndian.PutUint32(out, uint32(i))
	binary.BigEndian.PutUint32(out[4:], uint32(size))
	for j := 8; j < size; j++ {
		out[j] = byte(i*31 + j*7 + len(label))
	}
	return out
}

func indexOf(data []byte, isString bool) int {
	if isString {
		parts := strings.SplitN(string(data), "#", 3)
		if len(parts) < 2 {
			return -1
		}
		i, err := strconv.Atoi(parts[1])
		if err != nil {
			return -1
		}
		return i
	}
	if len(data) < 4 {
		return -1
	}
	return int(binary.BigEndian.Uint32(data))
}

// sendAndVerify opens a channel, sends `count` messages (keeping under 1 MiB buffered) and checks every echo.
func (p *peer) sendAndVerify(cmd msg) msg {
	label := str(cmd, "label")
	count, size, isBinary := num(cmd, "count", 1), num(cmd, "size", 16), flag(cmd, "binary")
	init := &webrtc.DataChannelInit{}
	if in, ok := cmd["init"].(map[string]interface{}); ok {
		if o, ok := in["ordered"].(bool); ok {
			init.Ordered = &o
		}
		if r, ok := in["maxRetransmits"].(float64); ok {
			v := uint16(r)
			init.MaxRetransmits = &v
		}
		if l, ok := in["maxPacketLifeTime"].(float64); ok {
			v := uint16(l)
			init.MaxPacketLifeTime = &v
		}
		if pr, ok := in["protocol"].(string); ok && pr != "" {
			init.Protocol = &pr
		}
		if n, ok := in["negotiated"].(bool); ok && n {
			init.Negotiated = &n
			if id, ok := in["id"].(float64); ok {
				v := uint16(id)
				init.ID = &v
			}
		}
	}
	started := time.Now()
	p.createMu.Lock()
	dc, err := p.pc.CreateDataChannel(label, init)
	p.createMu.Unlock()
	if err != nil {
		return msg{"ok": false, "why": err.Error()}
	}
	p.track(dc, nil)
	var mu sync.Mutex
	expect := map[int][]byte{}
	received, mismatches, sent, next := 0, 0, 0, 0
	done := make(chan string, 1)
	dc.OnMessage(func(m webrtc.DataChannelMessage) {
		idx := indexOf(m.Data, m.IsString)
		mu.Lock()
		want, ok := expect[idx]
		if !ok || m.IsString == isBinary || !bytes.Equal(want, m.Data) {
			mismatches++
		}
		delete(expect, idx)
		received++
		finished := received == count
		mu.Unlock()
		if finished {
			select {
			case done <- "done":
			default:
			}
		}
	})
	const high = 1 << 20
	var pumpMu sync.Mutex
	pump := func() {
		pumpMu.Lock()
		defer pumpMu.Unlock()
		for next < count && dc.BufferedAmount() < high {
			b := pattern(label, next, size, isBinary)
			mu.Lock()
			expect[next] = b
			mu.Unlock()
			var err error
			if isBinary {
				err = dc.Send(b)
			} else {
				err = dc.SendText(string(b))
			}
			if err != nil {
				p.log("send on %s failed: %v", label, err)
				return
			}
			sent++
			next++
		}
	}
	dc.SetBufferedAmountLowThreshold(256 * 1024)
	dc.OnBufferedAmountLow(pump)
	dc.OnOpen(pump)
	timeout := time.Duration(num(cmd, "timeoutMs", 60000)) * time.Millisecond
	why := "done"
	select {
	case why = <-done:
	case <-time.After(timeout):
		why = "timeout"
	}
	pumpMu.Lock()
	mu.Lock()
	defer mu.Unlock()
	defer pumpMu.Unlock()
	ok := why == "done" && mismatches == 0
	if why == "timeout" && flag(cmd, "lossy") {
		ok = received > 0
	}
	return msg{"ok": ok, "sent": sent, "received": received, "mismatches": mismatches, "why": why,
		"ms": time.Since(started).Milliseconds(), "channel": describe(dc)}
}

func (p *peer) runCommand(cmd msg) msg {
	switch str(cmd, "cmd") {
	case "send":
		return p.sendAndVerify(cmd)
	case "openMany":
		n := num(cmd, "n", 1)
		started := time.Now()
		results := make([]msg, n)
		var wg sync.WaitGroup
		for k := 0; k < n; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				results[k] = p.sendAndVerify(msg{"label": str(cmd, "prefix") + strconv.Itoa(k), "count": float64(num(cmd, "count", 1)),
					"size": float64(num(cmd, "size", 32)), "binary": k%2 == 1, "timeoutMs": float64(num(cmd, "timeoutMs", 60000))})
			}(k)
		}
		wg.Wait()
		failed := 0
		ids := []interface{}{}
		for _, r := range results {
			if ok, _ := r["ok"].(bool); !ok {
				failed++
			}
			if c, ok := r["channel"].(msg); ok {
				ids = append(ids, c["id"])
			}
		}
		return msg{"ok": failed == 0, "opened": n, "failed": failed, "ms": time.Since(started).Milliseconds(), "ids": ids}
	case "close":
		p.mu.Lock()
		ch := p.channels[str(cmd, "label")]
		p.mu.Unlock()
		if ch == nil {
			return msg{"ok": false, "why": "no channel " + str(cmd, "label")}
		}
		if err := ch.dc.Close(); err != nil {
			return msg{"ok": false, "why": err.Error()}
		}
		select {
		case <-ch.closed:
			return msg{"ok": true, "state": ch.dc.ReadyState().String()}
		case <-time.After(20 * time.Second):
			return msg{"ok": false, "why": "timeout waiting for close"}
		}
	case "state":
		p.mu.Lock()
		ch := p.channels[str(cmd, "label")]
		p.mu.Unlock()
		r := msg{"ok": true, "readyState": nil, "connectionState": p.pc.ConnectionState().String()}
		if ch != nil {
			r["readyState"] = ch.dc.ReadyState().String()
		}
		return r
	case "restart-ice":
		// An ICE-restart offer (RFC 8445 section 9): new ufrag and pwd; the Java side answers it like the first offer.
		offer, err := p.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: true})
		if err == nil {
			err = p.pc.SetLocalDescription(offer)
		}
		if err != nil {
			return msg{"ok": false, "why": "restart offer failed: " + err.Error()}
		}
		p.post(msg{"type": "offer", "sdp": p.pc.LocalDescription().SDP})
		return msg{"ok": true}
	case "close-pc":
		p.pc.Close()
		return msg{"ok": true}
	default:
		return msg{"ok": false, "why": "unknown command " + str(cmd, "cmd")}
	}
}
