// The browser side of jrtc's media interop tests (Chromium with --use-fake-device-for-media-stream). The Java test
// drives it over the same HTTP message channel as remote-peer.js: GET /poll returns messages for us, POST /post sends
// one to Java.
//
// Messages from Java:  {type:"config", role:"offerer"|"answerer", dataChannel:bool, video:{width,height,frameRate}}
//                      {type:"offer"|"answer", sdp}  {type:"candidate", candidate, sdpMid, sdpMLineIndex}
//                      {type:"command", id, cmd:"stats"|"state"}  {type:"quit"}
// Messages to Java:    {type:"offer"|"answer", sdp}  {type:"candidate", ...}  {type:"event", event, ...}
//                      {type:"result", id, ok, ...}  {type:"log", text}

const STAT_TYPES = new Set(["inbound-rtp", "outbound-rtp", "remote-inbound-rtp", "remote-outbound-rtp", "transport", "codec", "media-source"]);

export async function runMediaPeer({ video }) {
  const post = async (msg) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fetch("/post", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(msg) });
        return;
      } catch (e) { await new Promise((r) => setTimeout(r, 50 * (attempt + 1))); }
    }
  };
  const log = (text) => post({ type: "log", text: `[chromium-media] ${text}` });
  let pc = null;
  let stream = null;
  let remoteSet = false;
  const pending = [];
  const remoteTracks = [];

  async function media(cfg) {
    if (!stream) {
      const v = cfg.video || { width: 640, height: 480, frameRate: 30 };
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: v.width, height: v.height, frameRate: v.frameRate } });
    }
    return stream;
  }

  function createPc() {
    pc = new RTCPeerConnection({ iceServers: [] });
    pc.onicecandidate = (ev) => {
      const c = ev && ev.candidate;
      if (c && c.candidate) post({ type: "candidate", candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex });
      else post({ type: "candidate", candidate: "", sdpMid: "0", sdpMLineIndex: 0 });
    };
    pc.onconnectionstatechange = () => post({ type: "event", event: "connectionstate", state: pc.connectionState });
    pc.ontrack = (ev) => {
      remoteTracks.push(ev.track);
      post({ type: "event", event: "track", kind: ev.track.kind, id: ev.track.id, streams: ev.streams.map((s) => s.id),
             mid: ev.transceiver && ev.transceiver.mid });
      if (ev.track.kind === "video" && video) {
        video.srcObject = new MediaStream([ev.track]);
        video.play().catch((e) => log(`video.play: ${e}`));
      }
    };
  }

  async function addCandidate(m) {
    if (!m.candidate) {
      try { await pc.addIceCandidate(); } catch (e) { /* optional */ }
      return;
    }
    try { await pc.addIceCandidate({ candidate: m.candidate, sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex }); }
    catch (e) { log(`addIceCandidate(${m.candidate}) failed: ${e}`); }
  }

  async function stats() {
    const report = await pc.getStats();
    const entries = [];
    report.forEach((s) => { if (STAT_TYPES.has(s.type)) entries.push(s); });
    const tracks = remoteTracks.map((t) => ({ kind: t.kind, readyState: t.readyState, muted: t.muted }));
    return { ok: true, connectionState: pc.connectionState, entries, tracks,
             videoWidth: video ? video.videoWidth : 0, videoHeight: video ? video.videoHeight : 0 };
  }

  async function handle(m) {
    switch (m.type) {
      case "config": {
        createPc();
        const s = await media(m);
        if (m.role === "offerer") {
          for (const t of s.getTracks()) pc.addTrack(t, s);
          if (m.dataChannel) pc.createDataChannel("media-interop");
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          post({ type: "offer", sdp: pc.localDescription.sdp });
        }
        post({ type: "event", event: "configured", role: m.role,
               tracks: s.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: t.getSettings() })) });
        break;
      }
      case "offer": {
        await pc.setRemoteDescription({ type: "offer", sdp: m.sdp });
        remoteSet = true;
        while (pending.length) await addCandidate(pending.shift());
        const s = await media(m);
        for (const tr of pc.getTransceivers()) {
          const kind = tr.receiver.track.kind;
          const track = s.getTracks().find((t) => t.kind === kind);
          if (track && !tr.sender.track) {
            await tr.sender.replaceTrack(track);
            tr.sender.setStreams(s);
            tr.direction = "sendrecv";
          }
        }
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        post({ type: "answer", sdp: pc.localDescription.sdp });
        break;
      }
      case "answer":
        await pc.setRemoteDescription({ type: "answer", sdp: m.sdp });
        remoteSet = true;
        while (pending.length) await addCandidate(pending.shift());
        break;
      case "candidate":
        if (!remoteSet) pending.push(m); else await addCandidate(m);
        break;
      case "command": {
        let r;
        try {
          if (m.cmd === "stats") r = await stats();
          else if (m.cmd === "state") r = { ok: true, connectionState: pc.connectionState, signalingState: pc.signalingState };
          else r = { ok: false, why: `unknown command ${m.cmd}` };
        } catch (e) { r = { ok: false, why: String(e && e.stack || e) }; }
        post({ type: "result", id: m.id, cmd: m.cmd, ...r });
        break;
      }
      case "quit":
        if (pc) pc.close();
        if (stream) stream.getTracks().forEach((t) => t.stop());
        return false;
      default:
        log(`unknown message ${m.type}`);
    }
    return true;
  }

  post({ type: "event", event: "ready", agent: "chromium-media" });
  for (;;) {
    let msgs = [];
    try {
      const r = await fetch("/poll");
      msgs = await r.json();
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    for (const m of msgs) {
      try {
        if ((await handle(m)) === false) return;
      } catch (e) {
        log(`handling ${m.type} failed: ${e && e.stack ? e.stack : e}`);
      }
    }
  }
}
