// The remote side of jrtc's interop tests. The same scenario code runs in Chromium (served as a page by the
// Java test) and in node with werift (werift-peer.mjs). The Java test drives it over a tiny HTTP message
// channel: GET /poll returns queued messages for us, POST /post sends one message to the Java side.
//
// Messages from Java:   {type:"config", role, iceServers, iceTransportPolicy}
//                       {type:"offer"|"answer", sdp}  {type:"candidate", candidate, sdpMid, sdpMLineIndex}
//                       {type:"command", id, cmd, ...}  (see runCommand)
// Messages to Java:     {type:"offer"|"answer", sdp}  {type:"candidate", ...}  ("" candidate = end of candidates)
//                       {type:"event", event, ...}     {type:"result", id, ok, ...}   {type:"log", text}

export function pattern(label, i, size, binary) {
  const head = `${label}#${i}#`;
  if (!binary) {
    let s = head;
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_ÅÉßλ€"; // includes multi-byte UTF-8 on purpose
    let k = 0;
    while (s.length < size) { s += alphabet[(i + k++) % alphabet.length]; }
    return s.length > size ? s.substring(0, Math.max(size, head.length)) : s;
  }
  const out = new Uint8Array(Math.max(size, 8));
  const v = new DataView(out.buffer);
  v.setUint32(0, i);
  v.setUint32(4, out.length);
  for (let j = 8; j < out.length; j++) out[j] = (i * 31 + j * 7 + label.length) & 0xff;
  return out;
}

// SHA-256 (FIPS 180-4) in plain JavaScript, for pages without crypto.subtle (it needs a secure context, and the
// harness serves plain http on the namespace's address). Constants derived as the standard defines them: the first
// 32 bits of the fractional parts of the square roots (H0) and cube roots (K) of the first primes.
let SHA_K = null, SHA_H0 = null;
export function sha256js(data) {
  if (!SHA_K) {
    const primes = [];
    for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
    const frac = (x) => ((x - Math.floor(x)) * 4294967296) >>> 0;
    SHA_K = Uint32Array.from(primes, (p) => frac(Math.cbrt(p)));
    SHA_H0 = Uint32Array.from(primes.slice(0, 8), (p) => frac(Math.sqrt(p)));
  }
  const len = data.length, total = Math.ceil((len + 9) / 64) * 64;
  const m = new Uint8Array(total);
  m.set(data);
  m[len] = 0x80;
  const dv = new DataView(m.buffer);
  dv.setUint32(total - 8, Math.floor(len / 0x20000000));
  dv.setUint32(total - 4, (len * 8) >>> 0);
  const h = Uint32Array.from(SHA_H0), w = new Uint32Array(64), K = SHA_K;
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = dv.getUint32(off + 4 * t);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15], b = w[t - 2];
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3), s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0; h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0; h[5] = (h[5] + f) >>> 0; h[6] = (h[6] + g) >>> 0; h[7] = (h[7] + hh) >>> 0;
  }
  const out = new Uint8Array(32), ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(4 * i, h[i]);
  return out;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function runRemotePeer({ RTCPeerConnection, env, baseUrl, name }) {
  const post = async (msg) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await env.fetch(baseUrl + "/post", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(msg) });
        return;
      } catch (e) { await new Promise((r) => setTimeout(r, 50 * (attempt + 1))); }
    }
  };
  const log = (text) => post({ type: "log", text: `[${name}] ${text}` });
  let pc = null;
  let localCertificate = null;        // what {certificate: "rsa"} generated, if anything
  const channels = new Map();          // label -> RTCDataChannel (latest with that label)
  const pendingCandidates = [];
  let remoteSet = false;

  function describe(ch) {
    return { label: ch.label, id: ch.id, ordered: ch.ordered, maxRetransmits: ch.maxRetransmits ?? null,
             maxPacketLifeTime: ch.maxPacketLifeTime ?? null, protocol: ch.protocol, negotiated: ch.negotiated };
  }

  function attachEcho(ch) {
    channels.set(ch.label, ch);
    ch.binaryType = "arraybuffer";
    let echoed = 0;
    ch.onmessage = (ev) => {
      const data = ev.data;
      echoed++;
      try {
        if (typeof data === "string") ch.send(data); else ch.send(env.binary(env.bytes(data)));
      } catch (e) { log(`echo on ${ch.label} failed: ${e}`); }
    };
    ch.onclose = () => post({ type: "event", event: "close", label: ch.label, echoed });
    const opened = () => post({ type: "event", event: "open", ...describe(ch) });
    if (ch.readyState === "open") opened(); else ch.onopen = opened;
  }

  async function createPc(cfg) {
    const options = { iceServers: cfg.iceServers || [], iceTransportPolicy: cfg.iceTransportPolicy || "all" };
    // {certificate: "rsa"}: a 2048-bit RSA DTLS identity instead of the browser's default ECDSA P-256 one.
    if (cfg.certificate === "rsa") {
      localCertificate = await RTCPeerConnection.generateCertificate({ name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" });
      options.certificates = [localCertificate];
    }
    if (cfg.maxMessageSize) options.maxMessageSize = cfg.maxMessageSize; // werift's option (its default is 64 KiB); browsers ignore it
    // werift waits out its STUN gather timeout (5 s) before gathering completes even with no STUN server configured;
    // setLocalDescription waits for that. Browsers ignore the option.
    options.iceStunGatherTimeout = 0.2;
    pc = new RTCPeerConnection(options);
    pc.onicecandidate = (ev) => {
      const c = ev && ev.candidate;
      if (c && c.candidate) post({ type: "candidate", candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex });
      else post({ type: "candidate", candidate: "", sdpMid: "0", sdpMLineIndex: 0 });
    };
    pc.ondatachannel = (ev) => {
      const ch = ev.channel || ev;
      post({ type: "event", event: "datachannel", ...describe(ch) });
      attachEcho(ch);
    };
    pc.onconnectionstatechange = () => post({ type: "event", event: "connectionstate", state: pc.connectionState });
  }

  async function flushCandidates() {
    while (pendingCandidates.length) await addCandidate(pendingCandidates.shift());
  }

  async function addCandidate(m) {
    if (!m.candidate) {
      try { await pc.addIceCandidate(); } catch (e) { /* end-of-candidates is optional */ }
      return;
    }
    try { await pc.addIceCandidate({ candidate: m.candidate, sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex }); }
    catch (e) { log(`addIceCandidate(${m.candidate}) failed: ${e}`); }
  }

  // Sends `count` messages on a new channel and checks that the Java side echoes each one back exactly.
  function sendAndVerify(cmd) {
    return new Promise((resolve) => {
      const init = cmd.init || {};
      const ch = pc.createDataChannel(cmd.label, init);
      ch.binaryType = "arraybuffer";
      channels.set(cmd.label, ch);
      const count = cmd.count ?? 1, size = cmd.size ?? 16, binary = !!cmd.binary;
      const started = Date.now();
      let received = 0, mismatches = 0, sent = 0;
      const expect = new Map();
      const finish = (ok, why) => resolve({ ok, sent, received, mismatches, why, ms: Date.now() - started, channel: describe(ch) });
      const timer = setTimeout(() => finish(cmd.lossy ? received > 0 : false, "timeout"), cmd.timeoutMs ?? 60000);
      ch.onmessage = (ev) => {
        const d = ev.data;
        let idx;
        if (typeof d === "string") {
          idx = parseInt(d.split("#")[1], 10);
          if (binary || expect.get(idx) !== d) mismatches++;
        } else {
          const b = env.bytes(d);
          idx = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
          const want = expect.get(idx);
          if (!binary || !want || !sameBytes(want, b)) mismatches++;
        }
        expect.delete(idx);
        received++;
        if (received === count) { clearTimeout(timer); finish(mismatches === 0, "done"); }
      };
      ch.onopen = () => {
        let i = 0, waiting = false;
        const pump = () => {
          if (waiting && ch.bufferedAmount >= (1 << 20)) return;
          // Respect the buffer: send while under 1 MiB queued, then wait for bufferedamountlow.
          while (i < count && ch.bufferedAmount < (1 << 20)) {
            const m = pattern(cmd.label, i, size, binary);
            expect.set(i, m);
            ch.send(binary ? env.binary(m) : m);
            sent++; i++;
          }
          if (i < count && !waiting) {
            waiting = true;
            ch.bufferedAmountLowThreshold = 256 * 1024;
            const again = () => { waiting = false; pump(); };
            // Browsers fire onbufferedamountlow; werift exposes an event object instead.
            if (ch.bufferedAmountLow && ch.bufferedAmountLow.subscribe) ch.bufferedAmountLow.subscribe(again);
            else ch.onbufferedamountlow = again;
          }
        };
        pump();
      };
    });
  }

  // Floods `bytes` of `size`-byte binary messages on a new reliable, ordered channel as fast as the API allows: send
  // while bufferedAmount is under `high`, then wait for bufferedamountlow (threshold `low`). Checks the echoes as they
  // come (each message's index and length, in order) and hashes the received stream as a SHA-256 chain
  // (h0 = 32 zero bytes, h = SHA-256(h || message)), which the Java side recomputes from what was sent.
  function flood(cmd) {
    return new Promise((resolve) => {
      const size = cmd.size ?? 65536, count = Math.ceil(cmd.bytes / size);
      const high = cmd.high ?? 8 * 1024 * 1024, low = cmd.low ?? 2 * 1024 * 1024;
      const ch = pc.createDataChannel(cmd.label, { ordered: true });
      ch.binaryType = "arraybuffer";
      channels.set(cmd.label, ch);
      let sent = 0, received = 0, receivedBytes = 0, outOfOrder = 0, maxBuffered = 0, lowEvents = 0, sendErrors = 0;
      let started = Date.now(), finished = false;
      let chain = Promise.resolve(new Uint8Array(32));
      const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, "0")).join("");
      const finish = async (ok, why) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const h = await chain;
        resolve({ ok: ok && outOfOrder === 0 && sendErrors === 0, why, count, sent, received, receivedBytes, outOfOrder,
                  sendErrors, maxBuffered, lowEvents, ms: Date.now() - started, digest: hex(h) });
      };
      const timer = setTimeout(() => finish(false, "timeout"), cmd.timeoutMs ?? 120000);
      ch.onmessage = (ev) => {
        const b = env.bytes(ev.data);
        const idx = b.length >= 4 ? new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0) : -1;
        if (idx !== received || b.length !== size) outOfOrder++;
        received++;
        receivedBytes += b.length;
        const buf = new Uint8Array(32 + b.length);
        buf.set(b, 32);
        chain = chain.then(async (h) => { buf.set(h, 0); return new Uint8Array(await env.sha256(buf)); });
        if (received === count) finish(true, "done");
      };
      const pump = () => {
        try {
          while (sent < count && ch.bufferedAmount < high) {
            ch.send(env.binary(pattern(cmd.label, sent, size, true)));
            sent++;
            if (ch.bufferedAmount > maxBuffered) maxBuffered = ch.bufferedAmount;
          }
        } catch (e) {
          sendErrors++;
          log(`flood send #${sent} failed: ${e}`);
          finish(false, `send failed: ${e}`);
        }
      };
      ch.bufferedAmountLowThreshold = low;
      const onLow = () => { lowEvents++; pump(); };
      // Browsers fire onbufferedamountlow; werift exposes an event object instead.
      if (ch.bufferedAmountLow && ch.bufferedAmountLow.subscribe) ch.bufferedAmountLow.subscribe(onLow);
      else ch.onbufferedamountlow = onLow;
      ch.onopen = () => { started = Date.now(); pump(); };
    });
  }

  async function runCommand(cmd) {
    switch (cmd.cmd) {
      case "send":
        return sendAndVerify(cmd);
      case "flood":
        return flood(cmd);
      case "openMany": {
        const t0 = Date.now();
        const results = await Promise.all(Array.from({ length: cmd.n }, (_, k) =>
          sendAndVerify({ label: `${cmd.prefix}${k}`, count: cmd.count ?? 1, size: cmd.size ?? 32, binary: k % 2 === 1, timeoutMs: cmd.timeoutMs })));
        return { ok: results.every((r) => r.ok), opened: results.length, failed: results.filter((r) => !r.ok).length, ms: Date.now() - t0,
                 ids: results.map((r) => r.channel.id) };
      }
      case "close": {
        const ch = channels.get(cmd.label);
        if (!ch) return { ok: false, why: `no channel ${cmd.label}` };
        return new Promise((resolve) => {
          const t = setTimeout(() => resolve({ ok: false, why: "timeout waiting for close" }), 20000);
          const prev = ch.onclose;
          ch.onclose = () => { clearTimeout(t); if (prev) prev(); resolve({ ok: true, state: ch.readyState }); };
          ch.close();
        });
      }
      case "state": {
        const ch = channels.get(cmd.label);
        return { ok: true, readyState: ch ? ch.readyState : null, connectionState: pc.connectionState };
      }
      case "stats": {
        const out = { ok: true, pairs: [] };
        const report = await pc.getStats();
        const entries = [];
        report.forEach((s) => entries.push(s));
        for (const s of entries) {
          if (s.type === "candidate-pair" && (s.nominated || s.selected || s.state === "succeeded")) {
            const local = entries.find((x) => x.id === s.localCandidateId) || {};
            const remote = entries.find((x) => x.id === s.remoteCandidateId) || {};
            out.pairs.push({ state: s.state, nominated: !!s.nominated, rtt: s.currentRoundTripTime,
                             local: local.candidateType, remote: remote.candidateType, localAddress: local.address, remoteAddress: remote.address });
          }
        }
        return out;
      }
      case "dtls": {
        // The DTLS side of RTCTransportStats and the certificates' fingerprints, as the browser reports them.
        const out = { ok: true, certificates: [], generatedFingerprints: [] };
        // The fingerprints of the certificate this page generated ({certificate: "rsa"}), as the stack computes them.
        if (localCertificate && typeof localCertificate.getFingerprints === "function") {
          for (const f of localCertificate.getFingerprints()) {
            out.generatedFingerprints.push({ algorithm: f.algorithm, value: f.value });
          }
        }
        const report = await pc.getStats();
        report.forEach((s) => {
          if (s.type === "transport") {
            Object.assign(out, { dtlsState: s.dtlsState, dtlsCipher: s.dtlsCipher, tlsVersion: s.tlsVersion,
                                 dtlsRole: s.dtlsRole, localCertificateId: s.localCertificateId,
                                 remoteCertificateId: s.remoteCertificateId });
          } else if (s.type === "certificate") {
            out.certificates.push({ id: s.id, fingerprint: s.fingerprint, fingerprintAlgorithm: s.fingerprintAlgorithm,
                                    base64Certificate: s.base64Certificate });
          }
        });
        return out;
      }
      case "restart-ice": {
        // An ICE-restart offer (RFC 8445 section 9): new ufrag and pwd; the Java side answers it like the first offer.
        const offer = await pc.createOffer({ iceRestart: true });
        await pc.setLocalDescription(offer);
        post({ type: "offer", sdp: pc.localDescription.sdp });
        return { ok: true };
      }
      case "close-pc":
        pc.close();
        return { ok: true };
      default:
        return { ok: false, why: `unknown command ${cmd.cmd}` };
    }
  }

  async function handle(m) {
    switch (m.type) {
      case "config":
        await createPc(m);
        if (m.role === "offerer") {
          const ch = pc.createDataChannel(m.initialLabel || "remote-init");
          attachEcho(ch);
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          post({ type: "offer", sdp: pc.localDescription.sdp });
        }
        break;
      case "offer":
        await pc.setRemoteDescription({ type: "offer", sdp: m.sdp });
        remoteSet = true;
        await flushCandidates();
        {
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          post({ type: "answer", sdp: pc.localDescription.sdp });
        }
        break;
      case "answer":
        await pc.setRemoteDescription({ type: "answer", sdp: m.sdp });
        remoteSet = true;
        await flushCandidates();
        break;
      case "candidate":
        if (!remoteSet) pendingCandidates.push(m); else await addCandidate(m);
        break;
      case "command":
        runCommand(m).then((r) => post({ type: "result", id: m.id, cmd: m.cmd, ...r }),
                           (e) => post({ type: "result", id: m.id, cmd: m.cmd, ok: false, why: String(e) }));
        break;
      case "quit":
        if (pc) pc.close();
        return false;
      default:
        log(`unknown message ${m.type}`);
    }
    return true;
  }

  post({ type: "event", event: "ready", agent: name });
  for (;;) {
    let msgs = [];
    try {
      const r = await env.fetch(baseUrl + "/poll");
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

// Chromium-to-Chromium connection setup time, measured in one page with two RTCPeerConnections: createOffer
// until the data channel opens on both sides. Used as the reference figure beside jrtc's own.
export async function chromiumSetupBenchmark(RTCPeerConnection, n) {
  const times = [];
  for (let k = 0; k < n; k++) {
    const a = new RTCPeerConnection(), b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    const t0 = performance.now();
    const ch = a.createDataChannel("setup");
    const bOpen = new Promise((r) => (b.ondatachannel = (e) => (e.channel.readyState === "open" ? r() : (e.channel.onopen = r))));
    const aOpen = new Promise((r) => (ch.onopen = r));
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    await Promise.all([aOpen, bOpen]);
    times.push(performance.now() - t0);
    a.close(); b.close();
  }
  times.sort((x, y) => x - y);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { n, p50: q(0.5), p95: q(0.95), p99: q(0.99), min: times[0], max: times[times.length - 1] };
}
