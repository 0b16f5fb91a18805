// The side-by-side benchmark's peer logic, shared by Chromium and Firefox (bench.html) and werift (werift-bench.mjs).
// It speaks the jrtc signaling protocol (JSON over WebSocket: register, offer, answer, candidate, bye).
//
// runBenchOfferer: `n` sequential connections to agent `to`, each timed from RTCPeerConnection creation to the data
// channel's open event. On the last connection it then runs, on the same reliable ordered channel:
//   rtt   `echoes` sequential 32-byte messages, each timed to its echo;
//   big   `bigCount` messages of `bigSize` bytes (64 KiB, or 65,535 for Pion), sent as fast as bufferedAmount allows
//         (kept under 1 MiB), timed until the last echo is back;
//   small `smallCount` 1 KiB messages, the same way.
// Before closing the connection it POSTs one JSON result to `resultUrl` and waits for the reply (the harness reads
// its own side's counters then).
// runEchoAnswerer: answers every offer and echoes every message (the foreign stack's own echo, for the
// foreign-to-foreign figures).

function signaling(WebSocket, url, id) {
  const ws = new WebSocket(url);
  const inbox = [];
  let wake = null;
  ws.onmessage = (ev) => {
    inbox.push(JSON.parse(typeof ev.data === "string" ? ev.data : ev.data.toString()));
    if (wake) { const w = wake; wake = null; w(); }
  };
  const opened = new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  const send = (m) => ws.send(JSON.stringify(m));
  const next = async (now, timeoutMs, done = () => false) => {
    const deadline = now() + timeoutMs;
    while (inbox.length === 0 && !done()) {
      const left = deadline - now();
      if (left <= 0) return null;
      await new Promise((res) => { wake = res; setTimeout(res, Math.min(left, 1000)); });
      wake = null;
    }
    return inbox.shift();
  };
  const poke = () => { if (wake) { const w = wake; wake = null; w(); } };
  return { ws, opened, send, next, poke };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function bulk(dc, size, count, now, timeoutMs) {
  const payload = new Uint8Array(size);
  let got = 0, done;
  const finished = new Promise((r) => { done = r; });
  dc.onmessage = () => { if (++got === count) done(true); };
  dc.bufferedAmountLowThreshold = 256 * 1024;
  const t0 = now();
  let sent = 0;
  while (sent < count) {
    while (sent < count && dc.bufferedAmount <= 1 << 20) { dc.send(payload); sent++; }
    if (sent < count) await new Promise((r) => { dc.onbufferedamountlow = r; setTimeout(r, 5); });
    if (now() - t0 > timeoutMs) break;
  }
  const ok = await Promise.race([finished, sleep(Math.max(1, timeoutMs - (now() - t0))).then(() => false)]);
  dc.onmessage = null;
  return { ms: now() - t0, received: got, ok };
}

export async function runBenchOfferer({ RTCPeerConnection, WebSocket, url, id, to, n, echoes, bigSize, bigCount,
                                         smallCount, resultUrl, post, now, log = () => {} }) {
  const sig = signaling(WebSocket, url, id);
  await sig.opened;
  sig.send({ type: "register", agent_id: id });
  for (;;) {
    const m = await sig.next(now, 60000);
    if (!m) throw new Error("no agent " + to);
    if (m.type === "registered" && (m.connected_agents || []).includes(to)) break;
    if (m.type === "agent_joined" && m.agent_id === to) break;
  }
  const setups = [];
  for (let run = 0; run < n; run++) {
    const last = run === n - 1;
    const t0 = now();
    const pc = new RTCPeerConnection({ iceServers: [], iceStunGatherTimeout: 0.05 });
    let offerSent = false;
    const early = [];
    pc.onicecandidate = (ev) => {
      const c = ev.candidate && ev.candidate.candidate;
      const m = { type: "candidate", to, candidate: c || "", sdpMid: "0", sdpMLineIndex: 0 };
      if (offerSent) sig.send(m); else early.push(m);
    };
    const dc = pc.createDataChannel("bench");
    dc.binaryType = "arraybuffer";
    let opened = false;
    dc.onopen = () => { opened = true; sig.poke(); };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    sig.send({ type: "offer", to, sdp: pc.localDescription.sdp });
    offerSent = true;
    for (const m of early) sig.send(m);
    let remoteSet = false;
    const queued = [];
    const deadline = now() + 15000;
    while (!opened && now() < deadline) {
      const m = await sig.next(now, deadline - now(), () => opened);
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
    if (!opened) {
      await post(resultUrl, { peer: id, to, error: "connection " + run + " did not open in 15 s", setup_ms: setups });
      pc.close();
      return;
    }
    setups.push(now() - t0);
    if (last) {
      const res = { peer: id, to, setup_ms: setups, rtt_ms: [] };
      let onEcho = null;
      dc.onmessage = () => { if (onEcho) { const f = onEcho; onEcho = null; f(true); } };
      const small = new Uint8Array(32);
      for (let k = 0; k < echoes; k++) {
        small[0] = k & 0xff;
        const t = now();
        const got = new Promise((r) => { onEcho = r; setTimeout(() => r(false), 5000); });
        dc.send(small);
        if (!(await got)) { res.error = "echo " + k + " timed out"; break; }
        res.rtt_ms.push(Math.round((now() - t) * 1000) / 1000);
      }
      if (!res.error) {
        const big = await bulk(dc, bigSize, bigCount, now, 60000);
        res.big = { size: bigSize, count: bigCount, ms: big.ms, received: big.received };
        if (!big.ok) res.error = "big: " + big.received + " of " + bigCount + " echoes back";
      }
      if (!res.error) {
        const s = await bulk(dc, 1024, smallCount, now, 60000);
        res.small = { size: 1024, count: smallCount, ms: s.ms, received: s.received };
        if (!s.ok) res.error = "small: " + s.received + " of " + smallCount + " echoes back";
      }
      await post(resultUrl, res);
    }
    pc.close();
    sig.send({ type: "bye", to });
    await sleep(100);
  }
  sig.ws.close();
}

export async function runEchoAnswerer({ RTCPeerConnection, WebSocket, url, id, now, log = () => {} }) {
  const sig = signaling(WebSocket, url, id);
  await sig.opened;
  sig.send({ type: "register", agent_id: id });
  const pcs = new Map();
  for (;;) {
    const m = await sig.next(now, 3600000);
    if (!m) continue;
    if (m.type === "registered") log("REGISTERED");
    if (m.type === "offer") {
      const from = m.from;
      if (pcs.has(from)) pcs.get(from).pc.close();
      const pc = new RTCPeerConnection({ iceServers: [], iceStunGatherTimeout: 0.05 });
      const entry = { pc, remoteSet: false, queued: [], sent: false, early: [] };
      pcs.set(from, entry);
      pc.onicecandidate = (ev) => {
        const c = ev.candidate && ev.candidate.candidate;
        const msg = { type: "candidate", to: from, candidate: c || "", sdpMid: "0", sdpMLineIndex: 0 };
        if (entry.sent) sig.send(msg); else entry.early.push(msg);
      };
      pc.ondatachannel = (ev) => {
        const dc = ev.channel;
        dc.binaryType = "arraybuffer";
        dc.onmessage = (e) => dc.send(e.data);
      };
      await pc.setRemoteDescription({ type: "offer", sdp: m.sdp });
      entry.remoteSet = true;
      for (const c of entry.queued) await pc.addIceCandidate(c);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      sig.send({ type: "answer", to: from, sdp: pc.localDescription.sdp });
      entry.sent = true;
      for (const c of entry.early) sig.send(c);
    } else if (m.type === "candidate" && m.candidate) {
      const entry = pcs.get(m.from);
      if (!entry) continue;
      const c = { candidate: m.candidate, sdpMid: m.sdpMid ?? "0", sdpMLineIndex: m.sdpMLineIndex ?? 0 };
      if (entry.remoteSet) await entry.pc.addIceCandidate(c).catch(() => {}); else entry.queued.push(c);
    } else if (m.type === "bye") {
      const entry = pcs.get(m.from);
      if (entry) { entry.pc.close(); pcs.delete(m.from); }
    }
  }
}
