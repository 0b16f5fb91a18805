// Command pion is a Pion 3.1 peer for jrtc's latency benchmarks. It speaks the jrtc signaling protocol
// (JSON over WebSocket: register, offer, answer, candidate, bye).
//
//	pion -mode offer -ws ws://HOST:PORT/ws -id pion-off -to echo -n 20 -echoes 1000 -ip 10.77.1.2
//	pion -mode echo  -ws ws://HOST:PORT/ws -id pion-echo -ip 10.77.1.1
//
// offer: n sequential connections to the agent -to; each times PeerConnection creation -> data channel open
// (with the ICE-connected and DTLS/connected offsets), and the first connection then sends -echoes sequential
// 32-byte messages and times each echo. One JSON line per connection on standard output.
// echo: answers every offer and echoes every message.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/ice/v2"
	"github.com/pion/webrtc/v3"
)

type msg struct {
	Type          string   `json:"type"`
	To            string   `json:"to,omitempty"`
	From          string   `json:"from,omitempty"`
	AgentID       string   `json:"agent_id,omitempty"`
	Sdp           string   `json:"sdp,omitempty"`
	Candidate     *string  `json:"candidate,omitempty"`
	SdpMid        *string  `json:"sdpMid,omitempty"`
	SdpMLineIndex *uint16  `json:"sdpMLineIndex,omitempty"`
	Agents        []string `json:"connected_agents,omitempty"`
	Code          string   `json:"code,omitempty"`
	Message       string   `json:"message,omitempty"`
}

type signaling struct {
	c  *websocket.Conn
	mu sync.Mutex
	in chan msg
}

func dial(url, id string) *signaling {
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		log.Fatalf("signaling %s: %v", url, err)
	}
	s := &signaling{c: c, in: make(chan msg, 256)}
	s.send(msg{Type: "register", AgentID: id})
	go func() {
		for {
			_, b, err := c.ReadMessage()
			if err != nil {
				close(s.in)
				return
			}
			var m msg
			if json.Unmarshal(b, &m) == nil {
				s.in <- m
			}
		}
	}()
	return s
}

func (s *signaling) send(m msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.c.WriteJSON(m); err != nil {
		log.Printf("signaling send: %v", err)
	}
}

func api(ip string) *webrtc.API {
	se := webrtc.SettingEngine{}
	allowed := net.ParseIP(ip)
	se.SetIPFilter(func(a net.IP) bool { return a.Equal(allowed) })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return webrtc.NewAPI(webrtc.WithSettingEngine(se))
}

func candidateMsg(to string, c *webrtc.ICECandidate) msg {
	zero := uint16(0)
	mid := "0"
	s := ""
	if c != nil {
		s = "candidate:" + c.ToJSON().Candidate[len("candidate:"):]
	}
	return msg{Type: "candidate", To: to, Candidate: &s, SdpMid: &mid, SdpMLineIndex: &zero}
}

// awaitOpen applies the answer and the candidates from peer to (holding candidates until the answer is set) until
// open is closed or the timeout passes; it reports whether the channel opened.
// When marks is not nil, it records when the answer and the first remote candidate arrived (ms after t0).
func awaitOpen(s *signaling, pc *webrtc.PeerConnection, to string, open <-chan struct{}, d time.Duration,
	t0 time.Time, marks map[string]interface{}) bool {
	var pending []msg
	remoteSet := false
	timeout := time.After(d)
	for {
		select {
		case <-open:
			return true
		case <-timeout:
			return false
		case m, ok := <-s.in:
			if !ok {
				log.Fatal("signaling closed")
			}
			switch {
			case m.Type == "answer" && m.From == to:
				if marks != nil {
					marks["answer_ms"] = ms(time.Since(t0))
				}
				if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.Sdp}); err != nil {
					log.Printf("answer: %v", err)
				}
				remoteSet = true
				for _, p := range pending {
					addRemote(pc, p)
				}
			case m.Type == "candidate" && m.From == to:
				if _, seen := marks["first_candidate_ms"]; marks != nil && !seen {
					marks["first_candidate_ms"] = ms(time.Since(t0))
				}
				if remoteSet {
					addRemote(pc, m)
				} else {
					pending = append(pending, m)
				}
			case m.Type == "error":
				log.Printf("signaling error %s: %s", m.Code, m.Message)
			}
		}
	}
}

func addRemote(pc *webrtc.PeerConnection, m msg) {
	if m.Candidate == nil || *m.Candidate == "" {
		return
	}
	if err := pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: *m.Candidate, SDPMid: m.SdpMid, SDPMLineIndex: m.SdpMLineIndex}); err != nil {
		log.Printf("candidate: %v", err)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// trickler holds our candidates until the description they belong to has been sent: Pion gathers while
// SetLocalDescription runs, and a candidate that reaches the other side before the offer or answer is dropped there.
type trickler struct {
	mu      sync.Mutex
	s       *signaling
	to      string
	sent    bool
	pending []msg
}

func (t *trickler) candidate(c *webrtc.ICECandidate) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := candidateMsg(t.to, c)
	if t.sent {
		t.s.send(m)
	} else {
		t.pending = append(t.pending, m)
	}
}

func (t *trickler) description(m msg) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.s.send(m)
	t.sent = true
	for _, p := range t.pending {
		t.s.send(p)
	}
	t.pending = nil
}

func offer(a *webrtc.API, s *signaling, to string, n, echoes int, pause time.Duration) {
	// wait until the target is registered
	for m := range s.in {
		if m.Type == "registered" {
			found := false
			for _, x := range m.Agents {
				found = found || x == to
			}
			if found {
				break
			}
		} else if m.Type == "agent_joined" && m.AgentID == to {
			break
		}
	}
	for i := 0; i < n; i++ {
		res := map[string]interface{}{"peer": "pion", "to": to, "run": i}
		t0 := time.Now()
		pc, err := a.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			log.Fatal(err)
		}
		var iceAt, connAt time.Duration
		pc.OnICEConnectionStateChange(func(st webrtc.ICEConnectionState) {
			if st == webrtc.ICEConnectionStateConnected && iceAt == 0 {
				iceAt = time.Since(t0)
			}
		})
		pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
			if st == webrtc.PeerConnectionStateConnected && connAt == 0 {
				connAt = time.Since(t0)
			}
		})
		tr := &trickler{s: s, to: to}
		pc.OnICECandidate(tr.candidate)
		dc, _ := pc.CreateDataChannel("bench", nil)
		open := make(chan struct{})
		echo := make(chan []byte, 1)
		dc.OnOpen(func() { close(open) })
		dc.OnMessage(func(m webrtc.DataChannelMessage) { echo <- m.Data })
		o, _ := pc.CreateOffer(nil)
		_ = pc.SetLocalDescription(o)
		tr.description(msg{Type: "offer", To: to, Sdp: o.SDP})
		if !awaitOpen(s, pc, to, open, 10*time.Second, t0, res) {
			res["error"] = "timeout"
		}
		res["setup_ms"] = ms(time.Since(t0))
		res["ice_connected_ms"] = ms(iceAt)
		res["connected_ms"] = ms(connAt)
		if i == 0 && echoes > 0 && res["error"] == nil {
			payload := make([]byte, 32)
			rtts := make([]float64, 0, echoes)
			for k := 0; k < echoes; k++ {
				payload[0] = byte(k)
				t := time.Now()
				if err := dc.Send(payload); err != nil {
					log.Fatal(err)
				}
				select {
				case <-echo:
					rtts = append(rtts, ms(time.Since(t)))
				case <-time.After(5 * time.Second):
					log.Fatal("echo timeout")
				}
			}
			res["rtt_ms"] = rtts
		}
		_ = pc.Close()
		s.send(msg{Type: "bye", To: to})
		b, _ := json.Marshal(res)
		fmt.Println(string(b))
		time.Sleep(pause)
	}
}

func echo(a *webrtc.API, s *signaling) {
	pcs := map[string]*webrtc.PeerConnection{}
	for m := range s.in {
		switch m.Type {
		case "registered":
			fmt.Println("REGISTERED")
		case "offer":
			if old := pcs[m.From]; old != nil {
				_ = old.Close()
			}
			pc, err := a.NewPeerConnection(webrtc.Configuration{})
			if err != nil {
				log.Fatal(err)
			}
			from := m.From
			pcs[from] = pc
			tr := &trickler{s: s, to: from}
			pc.OnICECandidate(tr.candidate)
			pc.OnDataChannel(func(dc *webrtc.DataChannel) {
				dc.OnMessage(func(x webrtc.DataChannelMessage) {
					if x.IsString {
						_ = dc.SendText(string(x.Data))
					} else {
						_ = dc.Send(x.Data)
					}
				})
			})
			if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.Sdp}); err != nil {
				log.Printf("offer: %v", err)
				continue
			}
			ans, _ := pc.CreateAnswer(nil)
			_ = pc.SetLocalDescription(ans)
			tr.description(msg{Type: "answer", To: from, Sdp: ans.SDP})
		case "candidate":
			if pc := pcs[m.From]; pc != nil {
				addRemote(pc, m)
			}
		case "bye":
			if pc := pcs[m.From]; pc != nil {
				_ = pc.Close()
				delete(pcs, m.From)
			}
		}
	}
}

func main() {
	mode := flag.String("mode", "offer", "offer, echo or bench (bench.go)")
	url := flag.String("ws", "", "signaling WebSocket URL")
	id := flag.String("id", "pion", "agent id")
	to := flag.String("to", "echo", "agent to connect to (offer mode)")
	n := flag.Int("n", 10, "connections (offer mode)")
	echoes := flag.Int("echoes", 0, "sequential 32-byte echoes on the first connection (offer mode)")
	ip := flag.String("ip", "", "the only local address to gather on")
	pause := flag.Duration("pause", 100*time.Millisecond, "pause between connections")
	flag.Parse()
	log.SetOutput(os.Stderr)
	a := api(*ip)
	s := dial(*url, *id)
	if *mode == "echo" {
		echo(a, s)
	} else if *mode == "bench" {
		benchOffer(a, s, *id, *to, *n, *echoes)
	} else {
		offer(a, s, *to, *n, *echoes, *pause)
	}
}
