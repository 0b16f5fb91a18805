package main

// The side-by-side benchmark's Pion offerer (mode "bench"): n sequential connections to -to, each timed from
// PeerConnection creation to data channel open; on the last one, -echoes sequential 32-byte echoes, then
// -bigCount messages of -bigSize bytes and -smallCount 1 KiB messages sent as fast as BufferedAmount allows (kept
// under 1 MiB), each batch timed until its last echo is back. The result is POSTed as JSON to -result before the
// connection closes. Pion cannot receive a 65,536-byte message, so -bigSize defaults to 65,535.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/pion/webrtc/v3"
)

var (
	bigSize    = flag.Int("bigSize", 65535, "size of the large messages (bench mode)")
	bigCount   = flag.Int("bigCount", 256, "number of large messages (bench mode)")
	smallCount = flag.Int("smallCount", 10000, "number of 1 KiB messages (bench mode)")
	resultURL  = flag.String("result", "", "where to POST the result (bench mode)")
)

func post(res map[string]interface{}) {
	b, _ := json.Marshal(res)
	r, err := http.Post(*resultURL, "application/json", bytes.NewReader(b))
	if err != nil {
		log.Printf("posting result: %v", err)
		fmt.Println(string(b))
		return
	}
	_ = r.Body.Close()
}

// bulk sends count messages of size bytes as fast as the 1 MiB BufferedAmount cap allows and waits for every echo.
func bulk(dc *webrtc.DataChannel, echo chan []byte, size, count int) (float64, int, bool) {
	payload := make([]byte, size)
	low := make(chan struct{}, 1)
	dc.SetBufferedAmountLowThreshold(256 * 1024)
	dc.OnBufferedAmountLow(func() {
		select {
		case low <- struct{}{}:
		default:
		}
	})
	t0 := time.Now()
	got := 0
	deadline := time.After(60 * time.Second)
	sent := 0
	for got < count {
		for sent < count && dc.BufferedAmount() <= 1<<20 {
			if err := dc.Send(payload); err != nil {
				log.Printf("send: %v", err)
				return ms(time.Since(t0)), got, false
			}
			sent++
		}
		select {
		case <-echo:
			got++
		case <-low:
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			return ms(time.Since(t0)), got, false
		}
	}
	return ms(time.Since(t0)), got, true
}

func benchOffer(a *webrtc.API, s *signaling, id, to string, n, echoes int) {
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
	setups := []float64{}
	for i := 0; i < n; i++ {
		last := i == n-1
		t0 := time.Now()
		pc, err := a.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			log.Fatal(err)
		}
		tr := &trickler{s: s, to: to}
		pc.OnICECandidate(tr.candidate)
		dc, _ := pc.CreateDataChannel("bench", nil)
		open := make(chan struct{})
		echo := make(chan []byte, 100000)
		dc.OnOpen(func() { close(open) })
		dc.OnMessage(func(m webrtc.DataChannelMessage) { echo <- m.Data })
		o, _ := pc.CreateOffer(nil)
		_ = pc.SetLocalDescription(o)
		tr.description(msg{Type: "offer", To: to, Sdp: o.SDP})
		failed := !awaitOpen(s, pc, to, open, 15*time.Second, time.Now(), nil)
		if failed {
			post(map[string]interface{}{"peer": id, "to": to, "setup_ms": setups,
				"error": fmt.Sprintf("connection %d did not open in 15 s", i)})
			_ = pc.Close()
			return
		}
		setups = append(setups, ms(time.Since(t0)))
		if last {
			res := map[string]interface{}{"peer": id, "to": to, "setup_ms": setups}
			payload := make([]byte, 32)
			rtts := make([]float64, 0, echoes)
			for k := 0; k < echoes; k++ {
				payload[0] = byte(k)
				t := time.Now()
				if err := dc.Send(payload); err != nil {
					res["error"] = err.Error()
					break
				}
				select {
				case <-echo:
					rtts = append(rtts, ms(time.Since(t)))
				case <-time.After(5 * time.Second):
					res["error"] = fmt.Sprintf("echo %d timed out", k)
				}
				if res["error"] != nil {
					break
				}
			}
			res["rtt_ms"] = rtts
			if res["error"] == nil {
				t, got, ok := bulk(dc, echo, *bigSize, *bigCount)
				res["big"] = map[string]interface{}{"size": *bigSize, "count": *bigCount, "ms": t, "received": got}
				if !ok {
					res["error"] = fmt.Sprintf("big: %d of %d echoes back", got, *bigCount)
				}
			}
			if res["error"] == nil {
				t, got, ok := bulk(dc, echo, 1024, *smallCount)
				res["small"] = map[string]interface{}{"size": 1024, "count": *smallCount, "ms": t, "received": got}
				if !ok {
					res["error"] = fmt.Sprintf("small: %d of %d echoes back", got, *smallCount)
				}
			}
			post(res)
		}
		_ = pc.Close()
		s.send(msg{Type: "bye", To: to})
		time.Sleep(100 * time.Millisecond)
	}
}
