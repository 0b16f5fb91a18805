// A foreign offerer for jrtc's latency benchmarks, shared by Chromium (offerer.html) and werift
// (werift-offerer.mjs). It speaks the jrtc signaling protocol (JSON over WebSocket: register, offer, answer,
// candidate, bye), makes `n` sequential connections to agent `to`, and times each from RTCPeerConnection creation
// to the data channel's open event. On connection number `echoRun` it then sends `echoes` sequential 32-byte
// messages and times each echo. One JSON line per connection goes to `out`.
export async function runOfferer({ RTCPeerConnection, WebSocket, url, id, to, n, echoes, echoRun = 0, pauseMs = 100,
                                   out, now }) {
  const ws = new WebSocket(url);
  const inbox = [];
  let wake = null;
  ws.onmessage = (ev) => {
    inbox.push(JSON.parse(typeof ev.data === "string" ? ev.data : ev.data.toString()));
    if (wake) { const w = wake; wake = null; w(); }
  };
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  const send = (m) => ws.send(JSON.stringify(m));
  const next = async (timeoutMs, done = () => false) => {
    const deadline = now() + timeoutMs;
    while (inbox.length === 0 && !done()) {
      const left = deadline - now();
      if (left <= 0) return null;
      await new Promise((res) => { wake = res; setTimeout(res, left); });
      wake = null;
    }
    return inbox.shift();
  };
  send({ type: "register", agent_id: id });
  for (;;) { // wait until `to` is present
    const m = await next(30000);
    if (!m) throw new Error("no agent " + to);
    if (m.type === "registered" && (m.connected_agents || []).includes(to)) break;
    if (m.type === "agent_joined" && m.agent_id === to) break;
  }
  for (let run = 0; run < n; run++) {
    const res = { peer: id, to, run };
    const t0 = now();
    // iceStunGatherTimeout: werift otherwise waits 5 s for STUN gathering even with no server; browsers ignore it.
    const pc = new RTCPeerConnection({ iceServers: [], iceStunGatherTimeout: 0.05 });
    let iceAt = 0;
    pc.oniceconnectionstatechange = () => {
      if (!iceAt && (pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed")) iceAt = now() - t0;
    };
    // Candidates wait until the offer is out: one that reaches the answerer first is dropped there.
    let offerSent = false;
    const early = [];
    pc.onicecandidate = (ev) => {
      const c = ev.candidate && ev.candidate.candidate;
      const m = { type: "candidate", to, candidate: c || "", sdpMid: "0", sdpMLineIndex: 0 };
      if (offerSent) send(m); else early.push(m);
    };
    const dc = pc.createDataChannel("bench");
    dc.binaryType = "arraybuffer";
    let opened = false, onEcho = null;
    dc.onopen = () => { opened = true; if (wake) { const w = wake; wake = null; w(); } };
    dc.onmessage = () => { if (onEcho) { const f = onEcho; onEcho = null; f(); } };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    send({ type: "offer", to, sdp: pc.localDescription.sdp });
    offerSent = true;
    for (const m of early) send(m);
    let remoteSet = false;
    const queued = [];
    const deadline = now() + 10000;
    while (!opened && now() < deadline) {
      const m = await next(deadline - now(), () => opened);
      if (!m || m.from !== to) continue;
      if (m.type === "answer") {
        await pc.setRemoteDescription({ type: "answer", sdp: m.sdp });
        remoteSet = true;
        for (const c of queued) await pc.addIceCandidate(c);
      } else if (m.type === "candidate" && m.candidate) {
        const c = { candidate: m.candidate, sdpMid: m.sdpMid ?? "0", sdpMLineIndex: m.sdpMLineIndex ?? 0 };
        if (remoteSet) await pc.addIceCandidate(c); else queued.push(c);
      }
    }
    res.setup_ms = opened ? now() - t0 : null;
    res.ice_connected_ms = iceAt;
    if (!opened) res.error = "timeout";
    if (opened && run === echoRun && echoes > 0) {
      const payload = new Uint8Array(32);
      const rtts = [];
      for (let k = 0; k < echoes; k++) {
        payload[0] = k & 0xff;
        const t = now();
        const got = new Promise((res) => { onEcho = res; });
        dc.send(payload);
        await got;
        rtts.push(now() - t);
      }
      res.rtt_ms = rtts.map((x) => Math.round(x * 1000) / 1000);
    }
    pc.close();
    send({ type: "bye", to });
    out(JSON.stringify(res));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  ws.close();
}
