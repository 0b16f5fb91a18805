// jrtc signaling demo page: registers over /ws (protocol version 1), lists agents live, opens an
// RTCDataChannel to a chosen agent, sends messages and measures their echo round trip, and shows the
// connection's getStats(). It also answers incoming offers and echoes what other agents send it.
//
// Automation: ?id=<me>&token=<t>&auto=<agent>&count=N[&interval=ms][&timeout=ms] registers, waits for
// <agent>, connects, sends N messages, then POSTs a JSON summary to /results and stores it in
// window.jrtcResults. ?id=<me> alone registers at once (useful for an echo/answering tab).
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);

  const state = {
    ws: null,
    me: null,
    registered: false,
    iceServers: [],
    agents: new Set(),
    agentsSeen: new Set(),
    peers: new Map(),          // agent id -> Peer
    active: null,              // the Peer the UI controls
    seq: 0,
    pending: new Map(),        // seq -> send time (performance.now())
    rtts: [],
    errors: [],
    echoed: 0,
    waiters: [],               // [{pred, resolve}] on signaling messages
  };
  window.jrtcResults = null;
  window.jrtcState = state;

  // ---------------------------------------------------------------- log & UI helpers
  const logLines = [];
  function log(text) {
    const line = new Date().toISOString().substring(11, 23) + '  ' + text;
    logLines.push(line);
    if (logLines.length > 200) logLines.shift();
    const li = document.createElement('li');
    li.textContent = line;
    const ol = $('log');
    ol.appendChild(li);
    while (ol.children.length > 500) ol.removeChild(ol.firstChild);
    ol.scrollTop = ol.scrollHeight;
  }

  function badge(el, text, cls) {
    el.textContent = text;
    el.className = 'badge' + (cls ? ' ' + cls : '');
  }

  function renderAgents() {
    const ul = $('agents');
    ul.replaceChildren();
    const ids = [...state.agents].sort();
    for (const id of ids) {
      const li = document.createElement('li');
      li.textContent = id;
      const b = document.createElement('button');
      b.textContent = 'Connect';
      b.addEventListener('click', () => connectTo(id).catch((e) => log('connect failed: ' + e)));
      li.appendChild(b);
      ul.appendChild(li);
    }
    $('agents-empty').hidden = ids.length > 0;
  }

  // ---------------------------------------------------------------- signaling
  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function send(msg) {
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN) {
      log('signaling not open; dropped ' + msg.type);
      return false;
    }
    state.ws.send(JSON.stringify(msg));
    return true;
  }

  function register(id, token) {
    if (state.ws) state.ws.close();
    state.me = id;
    state.registered = false;
    badge($('signaling-state'), 'connecting');
    const ws = new WebSocket(wsUrl());
    state.ws = ws;
    ws.onopen = () => {
      const msg = { type: 'register', agent_id: id };
      if (token) msg.token = token;
      ws.send(JSON.stringify(msg));
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { log('bad JSON from server'); return; }
      onSignal(msg);
    };
    ws.onclose = (ev) => {
      badge($('signaling-state'), 'disconnected (' + ev.code + ')', 'bad');
      log('signaling closed: ' + ev.code + ' ' + ev.reason);
      if (state.ws === ws) {
        state.ws = null;
        state.registered = false;
      }
    };
    ws.onerror = () => log('signaling error');
  }

  function waitFor(pred, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      state.waiters.push(w);
      setTimeout(() => {
        const i = state.waiters.indexOf(w);
        if (i >= 0) { state.waiters.splice(i, 1); reject(new Error('timeout waiting for ' + what)); }
      }, timeoutMs);
    });
  }

  function onSignal(msg) {
    switch (msg.type) {
      case 'registered':
        state.registered = true;
        state.iceServers = Array.isArray(msg.ice_servers) ? msg.ice_servers : [];
        state.agents = new Set(msg.connected_agents || []);
        state.agents.forEach((a) => state.agentsSeen.add(a));
        badge($('signaling-state'), 'registered as ' + msg.agent_id, 'ok');
        $('register-status').textContent = 'Registered as ' + msg.agent_id + ' (' + state.iceServers.length
          + ' ICE server entries)';
        log('registered as ' + msg.agent_id + '; present: ' + [...state.agents].join(', '));
        renderAgents();
        break;
      case 'agent_joined':
        state.agents.add(msg.agent_id);
        state.agentsSeen.add(msg.agent_id);
        log('agent joined: ' + msg.agent_id);
        renderAgents();
        break;
      case 'agent_left':
        state.agents.delete(msg.agent_id);
        log('agent left: ' + msg.agent_id);
        renderAgents();
        break;
      case 'offer':
        onOffer(msg).catch((e) => { log('answering ' + msg.from + ' failed: ' + e); state.errors.push(String(e)); });
        break;
      case 'answer':
        onAnswer(msg).catch((e) => { log('applying answer failed: ' + e); state.errors.push(String(e)); });
        break;
      case 'candidate':
        onCandidate(msg).catch((e) => log('candidate from ' + msg.from + ' failed: ' + e));
        break;
      case 'bye':
        log('bye from ' + msg.from);
        closePeer(msg.from);
        break;
      case 'error':
        log('server error ' + msg.code + ': ' + msg.message);
        state.errors.push(msg.code + ': ' + msg.message);
        break;
      default:
        log('unknown message type ' + msg.type);
    }
    for (const w of [...state.waiters]) {
      if (w.pred(msg)) {
        state.waiters.splice(state.waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  }

  // ---------------------------------------------------------------- peer connections
  class Peer {
    constructor(remote, initiator) {
      this.remote = remote;
      this.initiator = initiator;
      this.pc = new RTCPeerConnection({ iceServers: state.iceServers });
      this.dc = null;
      this.remoteSet = false;
      this.queued = [];
      this.openedAt = null;
      this.startedAt = performance.now();
      this.pc.onicecandidate = (ev) => {
        if (ev.candidate && ev.candidate.candidate) {
          log('local candidate for ' + remote + ': ' + ev.candidate.candidate);
          send({ type: 'candidate', to: remote, candidate: ev.candidate.candidate,
                 sdpMid: ev.candidate.sdpMid, sdpMLineIndex: ev.candidate.sdpMLineIndex });
        } else if (!ev.candidate) {
          // end-of-candidates: an empty candidate
          log('local candidates for ' + remote + ' complete');
          send({ type: 'candidate', to: remote, candidate: '', sdpMid: '0', sdpMLineIndex: 0 });
        }
      };
      this.pc.onconnectionstatechange = () => {
        const s = this.pc.connectionState;
        if (this === state.active) badge($('pc-state'), s, s === 'connected' ? 'ok' : (s === 'failed' ? 'bad' : ''));
        log('connection to ' + remote + ': ' + s);
      };
      this.pc.ondatachannel = (ev) => this.attach(ev.channel);
      this.pc.oniceconnectionstatechange = () => log('ICE to ' + remote + ': ' + this.pc.iceConnectionState);
      this.pc.onicegatheringstatechange = () => log('gathering for ' + remote + ': ' + this.pc.iceGatheringState);
    }

    attach(dc) {
      this.dc = dc;
      dc.onopen = () => {
        this.openedAt = performance.now();
        log('data channel "' + dc.label + '" to ' + this.remote + ' open after '
          + Math.round(this.openedAt - this.startedAt) + ' ms');
        if (this === state.active) { badge($('dc-state'), 'open', 'ok'); $('send').disabled = false; }
      };
      dc.onclose = () => {
        log('data channel to ' + this.remote + ' closed');
        if (this === state.active) { badge($('dc-state'), 'closed'); $('send').disabled = true; }
      };
      dc.onmessage = (ev) => this.onData(ev.data);
    }

    onData(data) {
      let m = null;
      if (typeof data === 'string') { try { m = JSON.parse(data); } catch (e) { m = null; } }
      if (m && m.from === state.me && typeof m.seq === 'number' && state.pending.has(m.seq)) {
        const rtt = performance.now() - state.pending.get(m.seq);
        state.pending.delete(m.seq);
        state.rtts.push(rtt);
        state.echoed++;
        $('stat-echoes').textContent = String(state.echoed);
        $('stat-msg-rtt').textContent = rtt.toFixed(2) + ' ms / ' + median(state.rtts).toFixed(2) + ' ms';
        log('echo #' + m.seq + ' "' + m.text + '" in ' + rtt.toFixed(2) + ' ms');
        return;
      }
      // Someone else's message: show it and echo it back verbatim (this page is an echo agent too).
      log('message from ' + this.remote + ': ' + (typeof data === 'string' ? data.substring(0, 200) : '[binary]'));
      if (this.dc && this.dc.readyState === 'open') this.dc.send(data);
    }

    async applyQueued() {
      for (const c of this.queued) await addCandidate(this.pc, c);
      this.queued = [];
    }

    close() {
      try { if (this.dc) this.dc.close(); } catch (e) { /* closing */ }
      this.pc.close();
    }
  }

  async function addCandidate(pc, msg) {
    if (msg.candidate === '') {
      try {
        await pc.addIceCandidate({ candidate: '', sdpMid: msg.sdpMid ?? '0', sdpMLineIndex: msg.sdpMLineIndex ?? 0 });
      } catch (e) {
        // older engines want no argument for end-of-candidates; both are optional hints
        try { await pc.addIceCandidate(); } catch (e2) { /* ignore */ }
      }
      return;
    }
    await pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.sdpMid, sdpMLineIndex: msg.sdpMLineIndex });
  }

  function activate(peer) {
    state.active = peer;
    $('peer').textContent = peer.remote;
    $('hangup').disabled = false;
    badge($('pc-state'), peer.pc.connectionState);
    badge($('dc-state'), peer.dc ? peer.dc.readyState : 'closed');
  }

  function closePeer(remote) {
    const p = state.peers.get(remote);
    if (!p) return;
    p.close();
    state.peers.delete(remote);
    if (state.active === p) {
      state.active = null;
      $('peer').textContent = 'none';
      $('send').disabled = true;
      $('hangup').disabled = true;
      badge($('pc-state'), 'closed');
      badge($('dc-state'), 'closed');
    }
  }

  async function connectTo(remote) {
    if (!state.registered) throw new Error('register first');
    closePeer(remote);
    const peer = new Peer(remote, true);
    state.peers.set(remote, peer);
    activate(peer);
    peer.attach(peer.pc.createDataChannel('jrtc', { ordered: true }));
    const offer = await peer.pc.createOffer();
    await peer.pc.setLocalDescription(offer);
    send({ type: 'offer', to: remote, sdp: peer.pc.localDescription.sdp });
    log('offer sent to ' + remote);
    return peer;
  }

  async function onOffer(msg) {
    closePeer(msg.from);
    const peer = new Peer(msg.from, false);
    state.peers.set(msg.from, peer);
    if (!state.active) activate(peer);
    await peer.pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    peer.remoteSet = true;
    await peer.applyQueued();
    const answer = await peer.pc.createAnswer();
    await peer.pc.setLocalDescription(answer);
    send({ type: 'answer', to: msg.from, sdp: peer.pc.localDescription.sdp });
    log('answered offer from ' + msg.from);
  }

  async function onAnswer(msg) {
    const peer = state.peers.get(msg.from);
    if (!peer) { log('answer from ' + msg.from + ' without an offer'); return; }
    await peer.pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
    peer.remoteSet = true;
    await peer.applyQueued();
    log('answer from ' + msg.from + ' applied');
  }

  async function onCandidate(msg) {
    const peer = state.peers.get(msg.from);
    if (!peer) return;
    if (!peer.remoteSet) { peer.queued.push(msg); return; }
    await addCandidate(peer.pc, msg);
  }

  // ---------------------------------------------------------------- messages & stats
  function sendMessage(text) {
    const p = state.active;
    if (!p || !p.dc || p.dc.readyState !== 'open') throw new Error('no open data channel');
    const seq = ++state.seq;
    const t = performance.now();
    state.pending.set(seq, t);
    p.dc.send(JSON.stringify({ seq, t, from: state.me, text }));
    return seq;
  }

  function median(xs) {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)];
  }

  function pct(xs, q) {
    if (!xs.length) return null;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  }

  async function selectedPairStats(pc) {
    const report = await pc.getStats();
    let pair = null;
    const byId = new Map();
    report.forEach((r) => byId.set(r.id, r));
    report.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) pair = byId.get(r.selectedCandidatePairId);
    });
    if (!pair) report.forEach((r) => { if (!pair && r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
    if (!pair) return null;
    const local = byId.get(pair.localCandidateId) || {};
    const remote = byId.get(pair.remoteCandidateId) || {};
    return {
      state: pair.state,
      local: { type: local.candidateType, address: local.address || local.ip, port: local.port, protocol: local.protocol },
      remote: { type: remote.candidateType, address: remote.address || remote.ip, port: remote.port, protocol: remote.protocol },
      currentRoundTripTimeMs: pair.currentRoundTripTime != null ? pair.currentRoundTripTime * 1000 : null,
      bytesSent: pair.bytesSent,
      bytesReceived: pair.bytesReceived,
    };
  }

  async function refreshStats() {
    const p = state.active;
    if (!p) return;
    try {
      const s = await selectedPairStats(p.pc);
      if (!s) return;
      $('stat-pair').textContent = s.local.type + ' ' + s.local.address + ':' + s.local.port + ' ⇄ '
        + s.remote.type + ' ' + s.remote.address + ':' + s.remote.port + ' (' + s.local.protocol + ')';
      $('stat-rtt').textContent = s.currentRoundTripTimeMs != null ? s.currentRoundTripTimeMs.toFixed(1) + ' ms' : '–';
      $('stat-bytes').textContent = s.bytesSent + ' / ' + s.bytesReceived;
    } catch (e) { /* the connection may be closing */ }
  }

  // ---------------------------------------------------------------- automation
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  async function automate(target, count, intervalMs, timeoutMs) {
    const t0 = performance.now();
    const summary = { agent: state.me, peer: target, count, ok: false };
    try {
      if (!state.registered) await waitFor((m) => m.type === 'registered', timeoutMs, 'registration');
      if (!state.agents.has(target)) {
        await waitFor((m) => m.type === 'agent_joined' && m.agent_id === target, timeoutMs, 'agent ' + target);
      }
      const peer = await connectTo(target);
      await new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('data channel did not open')), timeoutMs);
        const check = () => {
          if (peer.dc && peer.dc.readyState === 'open') { clearTimeout(deadline); resolve(); return; }
          setTimeout(check, 20);
        };
        check();
      });
      summary.channel_open_ms = peer.openedAt - peer.startedAt;
      for (let i = 0; i < count; i++) {
        sendMessage('message ' + (i + 1) + ' of ' + count);
        if (intervalMs > 0) await sleep(intervalMs);
      }
      const deadline = performance.now() + timeoutMs;
      while (state.echoed < count && performance.now() < deadline) await sleep(20);
      summary.stats = await selectedPairStats(peer.pc);
    } catch (e) {
      summary.error = String(e && e.message ? e.message : e);
      log('automation failed: ' + summary.error);
    }
    summary.sent = state.seq;
    summary.received = state.echoed;
    summary.rtt_ms = {
      min: state.rtts.length ? Math.min(...state.rtts) : null,
      p50: pct(state.rtts, 0.5),
      p95: pct(state.rtts, 0.95),
      max: state.rtts.length ? Math.max(...state.rtts) : null,
    };
    summary.rtts = state.rtts.map((x) => Math.round(x * 1000) / 1000);
    summary.agents_seen = [...state.agentsSeen].sort();
    summary.errors = state.errors.slice(0, 20);
    summary.elapsed_ms = performance.now() - t0;
    summary.user_agent = navigator.userAgent;
    summary.log = logLines.slice(-80);
    summary.ok = !summary.error && summary.received === count;
    window.jrtcResults = summary;
    log('automation done: ' + summary.received + '/' + count + ' echoed, p50 ' + summary.rtt_ms.p50);
    try {
      await fetch('/results', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(summary) });
    } catch (e) {
      log('could not POST results: ' + e);
    }
    send({ type: 'bye', to: target });
    return summary;
  }

  // ---------------------------------------------------------------- wiring
  function randomId() {
    const a = new Uint8Array(3);
    crypto.getRandomValues(a);
    return 'web-' + [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function init() {
    $('agent-id').value = params.get('id') || randomId();
    $('token').value = params.get('token') || '';
    $('register').addEventListener('click', () => register($('agent-id').value.trim(), $('token').value.trim()));
    $('send-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = $('message').value;
      if (!text) return;
      try { sendMessage(text); $('message').value = ''; } catch (e) { log(String(e)); }
    });
    $('hangup').addEventListener('click', () => {
      const p = state.active;
      if (!p) return;
      send({ type: 'bye', to: p.remote });
      closePeer(p.remote);
    });
    setInterval(refreshStats, 1000);
    setInterval(refreshMesh, 1000);
    refreshMesh();
    renderAgents();
    const auto = params.get('auto');
    if (params.get('id') || auto) {
      register($('agent-id').value.trim(), $('token').value.trim());
    }
    if (auto) {
      const count = parseInt(params.get('count') || '10', 10);
      const interval = parseInt(params.get('interval') || '0', 10);
      const timeout = parseInt(params.get('timeout') || '20000', 10);
      automate(auto, count, interval, timeout);
    }
  }

  // ---------------------------------------------------------------- mesh console (GET /mesh, revision 4)
  // Agents on a circle, one line per link (a link both ends report is drawn once, with the worse mode and the
  // higher RTT). The DOM carries the counts for tests: #mesh-summary[data-agents][data-links].
  const svgNs = () => $('mesh-graph').namespaceURI; // the SVG namespace, from the page's own <svg>
  const MODE_RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 };
  function meshModel(view) {
    const agents = new Map();   // id -> reported (bool)
    const nats = new Map();     // id -> {status, mapping, filtering} (revision 6)
    const links = new Map();    // "a|b" (sorted) -> {a, b, mode, rtt}
    for (const a of view.agents || []) {
      agents.set(a.id, a.reported_ms_ago !== null);
      if (a.nat) nats.set(a.id, a.nat);
    }
    for (const a of view.agents || []) {
      for (const l of a.links || []) {
        if (!agents.has(l.agent)) agents.set(l.agent, false);
        const [x, y] = a.id < l.agent ? [a.id, l.agent] : [l.agent, a.id];
        const key = x + '|' + y;
        const old = links.get(key);
        const rank = (m) => (m in MODE_RANK ? MODE_RANK[m] : -1);
        if (!old) {
          links.set(key, { a: x, b: y, mode: l.mode, rtt: l.rtt_ms });
        } else {
          if (rank(l.mode) < rank(old.mode)) old.mode = l.mode;
          if (l.rtt_ms !== null && (old.rtt === null || l.rtt_ms > old.rtt)) old.rtt = l.rtt_ms;
        }
      }
    }
    return { agents, links, nats };
  }
  function renderMesh(view) {
    const { agents, links, nats } = meshModel(view);
    const svg = $('mesh-graph');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const ids = [...agents.keys()].sort();
    const pos = new Map();
    const c = 200, r = ids.length > 1 ? 160 : 0;
    ids.forEach((id, i) => {
      const t = (2 * Math.PI * i) / Math.max(1, ids.length) - Math.PI / 2;
      pos.set(id, [c + r * Math.cos(t), c + r * Math.sin(t)]);
    });
    const counts = { HIGH: 0, MEDIUM: 0, LOW: 0 };
    for (const l of links.values()) {
      const [x1, y1] = pos.get(l.a), [x2, y2] = pos.get(l.b);
      const line = document.createElementNS(svgNs(), 'line');
      line.setAttribute('x1', x1); line.setAttribute('y1', y1);
      line.setAttribute('x2', x2); line.setAttribute('y2', y2);
      line.setAttribute('class', 'link mode-' + String(l.mode).toLowerCase());
      line.dataset.a = l.a; line.dataset.b = l.b; line.dataset.mode = l.mode;
      if (l.rtt !== null) line.dataset.rttMs = String(l.rtt);
      const title = document.createElementNS(svgNs(), 'title');
      title.textContent = l.a + ' - ' + l.b + ': ' + l.mode + (l.rtt !== null ? ', RTT ' + l.rtt.toFixed(2) + ' ms' : '');
      line.appendChild(title);
      svg.appendChild(line);
      if (l.mode in counts) counts[l.mode]++;
    }
    for (const id of ids) {
      const [x, y] = pos.get(id);
      const dot = document.createElementNS(svgNs(), 'circle');
      dot.setAttribute('cx', x); dot.setAttribute('cy', y); dot.setAttribute('r', 6);
      dot.setAttribute('class', agents.get(id) ? 'agent' : 'agent silent');
      dot.dataset.id = id;
      const nat = nats.get(id);
      if (nat) {
        dot.dataset.natMapping = nat.mapping; dot.dataset.natFiltering = nat.filtering;
      }
      const title = document.createElementNS(svgNs(), 'title');
      title.textContent = id + (agents.get(id) ? '' : ' (no report here)')
        + (nat ? '; NAT mapping ' + nat.mapping + ', filtering ' + nat.filtering + ' (' + nat.status + ')' : '');
      dot.appendChild(title);
      svg.appendChild(dot);
      const label = document.createElementNS(svgNs(), 'text');
      label.setAttribute('x', x + 8); label.setAttribute('y', y - 8);
      label.textContent = id.length > 14 ? id.substring(0, 12) + '…' : id;
      svg.appendChild(label);
    }
    const summary = $('mesh-summary');
    summary.dataset.agents = String(ids.length);
    summary.dataset.links = String(links.size);
    summary.textContent = ids.length === 0 ? 'No mesh agents have reported links.'
      : ids.length + ' agents, ' + links.size + ' links (' + counts.HIGH + ' HIGH, ' + counts.MEDIUM + ' MEDIUM, '
        + counts.LOW + ' LOW), instance ' + view.instance;
  }
  async function refreshMesh() {
    try {
      const res = await fetch('/mesh', { cache: 'no-store' });
      if (res.ok) renderMesh(await res.json());
    } catch (e) {
      // the server may be restarting: the next tick tries again
    }
  }

  window.jrtc = { register, connectTo, sendMessage, automate, state, refreshMesh };
  init();
})();
