// Captures real SDP offers and answers from headless Chromium and werift, for jrtc's sdp tests.
//
// Run it ONLY inside the private network namespace made by ./run-in-netns.sh (see README.md).
// It refuses to start when it can see any interface other than lo, v0 and v1, so that neither
// Chromium nor werift nor coturn can gather candidates on, or send traffic to, a real network.
//
// For each scenario it: serves page.html on 10.77.0.1, starts a fresh headless Chromium on it,
// runs the offer/answer exchange between Chromium (in the page) and a werift peer (in this
// process), waits until the data channel is open and echoed one message (so every stored SDP is
// one that really connected), and writes every SDP verbatim (bytes as produced) to the output
// directory.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { RTCPeerConnection } from "werift";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const HOST = "10.77.0.1";
const TURN_PORT = 3478;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUT = resolve(process.argv[2] ?? join(here, "..", "..", "sdp", "src", "test", "resources", "captures"));
const ONLY = process.argv[3]; // optional: run a single scenario by name
const SCENARIO_TIMEOUT_MS = 45_000;

function refuseOutsideNamespace() {
  const names = Object.keys(networkInterfaces()).sort();
  const allowed = new Set(["lo", "v0", "v1"]);
  const foreign = names.filter((n) => !allowed.has(n));
  const addrs = Object.values(networkInterfaces()).flat().map((a) => a.address);
  if (foreign.length > 0 || !addrs.includes(HOST)) {
    console.error(`refusing to run: interfaces ${names.join(",")}; run me through run-in-netns.sh`);
    process.exit(2);
  }
}

function versionOf(cmd, args, pattern) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("close", () => {
      const m = out.match(pattern);
      m ? res(m[1]) : rej(new Error(`no version in: ${out}`));
    });
  });
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

function gatheringComplete(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((res) => {
    const sub = pc.iceGatheringStateChange.subscribe((s) => {
      if (s === "complete") {
        sub.unSubscribe();
        res();
      }
    });
  });
}

function echo(channel) {
  channel.onMessage.subscribe((m) => channel.send(m));
}

/** The scenarios: who offers, with what, and under which file names the SDP is stored. */
function scenarios(chromium, werift) {
  const c = `chromium${chromium}`;
  const w = `werift${werift}`;
  return [
    { name: "chromium-offer-datachannel", mdns: false,
      files: { offer: `${c}-offer-datachannel.sdp`, answer: `${w}-answer-datachannel.sdp`,
               trickled: `${c}-trickled-candidates-datachannel.txt` } },
    { name: "chromium-offer-datachannel-mdns", mdns: true,
      files: { offer: `${c}-offer-datachannel-mdns.sdp`, answer: `${w}-answer-datachannel-to-mdns.sdp`,
               trickled: `${c}-trickled-candidates-datachannel-mdns.txt` } },
    { name: "chromium-offer-media-datachannel", mdns: false,
      files: { offer: `${c}-offer-audio-video-datachannel.sdp`, answer: `${w}-answer-audio-video-datachannel.sdp`,
               trickled: `${c}-trickled-candidates-audio-video-datachannel.txt` } },
    { name: "chromium-offer-datachannel-turn", mdns: true, turn: true,
      files: { offer: `${c}-offer-datachannel-mdns-turn.sdp`, answer: `${w}-answer-datachannel-turn.sdp`,
               trickled: `${c}-trickled-candidates-datachannel-mdns-turn.txt` } },
    { name: "werift-offer-datachannel", mdns: false, weriftTcp: true,
      files: { offer: `${w}-offer-datachannel-tcp.sdp`, answer: `${c}-answer-datachannel.sdp`,
               trickled: `${c}-trickled-candidates-answer-datachannel.txt` } },
    // mDNS hiding stays on here, but Chromium shows real IPs anyway once getUserMedia is granted.
    { name: "werift-offer-media-datachannel", mdns: true,
      files: { offer: `${w}-offer-audio-video-datachannel.sdp`, answer: `${c}-answer-audio-video-datachannel.sdp`,
               trickled: `${c}-trickled-candidates-answer-audio-video-datachannel.txt` } },
  ];
}

function weriftConfig(scenario) {
  const config = { iceServers: [], iceUseIpv6: false };
  if (scenario.turn) {
    config.iceServers = [{ urls: `turn:${HOST}:${TURN_PORT}`, username: "alice", credential: "secret" }];
  }
  if (scenario.weriftTcp) config.iceUseTcp = true;
  return config;
}

class Run {
  constructor(scenario) {
    this.scenario = scenario;
    this.results = {};
    this.werift = new RTCPeerConnection(weriftConfig(scenario));
    this.werift.onDataChannel.subscribe(echo);
    this.done = new Promise((res) => (this.finish = res));
  }

  async weriftAnswer(offerSdp) {
    const pc = this.werift;
    await pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    return pc.localDescription.sdp;
  }

  async weriftOffer() {
    const pc = this.werift;
    if (this.scenario.name.includes("media")) {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "sendrecv" });
    }
    echo(pc.createDataChannel("capture"));
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringComplete(pc);
    return pc.localDescription.sdp;
  }

  async handle(path, body) {
    const f = this.scenario.files;
    switch (path) {
      case "/chromium-offer": {
        this.results[f.offer] = body;
        const answer = await this.weriftAnswer(body);
        this.results[f.answer] = answer;
        return answer;
      }
      case "/werift-offer": {
        const offer = await this.weriftOffer();
        this.results[f.offer] = offer;
        return offer;
      }
      case "/chromium-answer":
        this.results[f.answer] = body;
        await this.werift.setRemoteDescription({ type: "answer", sdp: body });
        return "";
      case "/trickled":
        this.results[f.trickled] = body;
        return "";
      case "/done":
        this.finish(body);
        return "";
      default:
        throw new Error(`unknown path ${path}`);
    }
  }
}

function startTurn() {
  const args = ["-n", `--listening-ip=${HOST}`, `--relay-ip=${HOST}`, `--listening-port=${TURN_PORT}`,
    "--min-port=49160", "--max-port=49200", "--lt-cred-mech", "--user=alice:secret", "--realm=jrtc.test",
    "--no-tls", "--no-dtls", "--no-cli", "--log-file=stdout", "--simple-log"];
  const p = spawn("turnserver", args, { stdio: ["ignore", "ignore", "inherit"] });
  return p;
}

function startChromium(url, mdns, media) {
  const profile = mkdtempSync(join(tmpdir(), "jrtc-capture-chromium-"));
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    `--user-data-dir=${profile}`];
  if (!mdns) args.push("--disable-features=WebRtcHideLocalIpsWithMdns");
  if (media) {
    // getUserMedia needs a secure context; the page is plain http on the namespace address.
    args.push("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
      `--unsafely-treat-insecure-origin-as-secure=${new URL(url).origin}`);
  }
  args.push(url);
  const child = spawn(CHROMIUM, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  return {
    args,
    stderr: () => stderr,
    stop: async () => {
      // Our own child's process group only (Chromium forks its renderer and utility processes).
      try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
      await wait(500);
      try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function main() {
  refuseOutsideNamespace();
  mkdirSync(OUT, { recursive: true });
  const chromium = await versionOf(CHROMIUM, ["--version"], /Chromium (\d+)\./);
  const weriftMain = require.resolve("werift"); // .../node_modules/werift/lib/webrtc/src/index.js
  const weriftPkg = join(weriftMain.slice(0, weriftMain.lastIndexOf("/lib/")), "package.json");
  const werift = JSON.parse(readFileSync(weriftPkg, "utf8")).version;
  const page = readFileSync(join(here, "page.html"));
  let current = null;

  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${HOST}`);
    if (req.method === "GET" && url.pathname === "/page.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return;
    }
    if (req.method !== "POST" || current === null) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const out = await current.handle(url.pathname, Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { "content-type": "text/plain" }).end(out);
      } catch (e) {
        console.error(`[${current.scenario.name}] ${url.pathname}: ${e.stack ?? e}`);
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise((r) => server.listen(0, HOST, r));
  const port = server.address().port;
  console.log(`capture: chromium ${chromium}, werift ${werift}, page http://${HOST}:${port}/page.html, out ${OUT}`);

  const turn = startTurn();
  process.on("exit", () => turn.kill("SIGTERM")); // also on an early failure
  await wait(1000);
  let failures = 0;
  for (const scenario of scenarios(chromium, werift)) {
    if (ONLY && scenario.name !== ONLY) continue;
    current = new Run(scenario);
    let query = `scenario=${scenario.name}`;
    if (scenario.turn) query += `&turn=${encodeURIComponent(`turn:${HOST}:${TURN_PORT}`)}`;
    const browser = startChromium(`http://${HOST}:${port}/page.html?${query}`, scenario.mdns,
      scenario.name.includes("media"));
    const outcome = await Promise.race([current.done,
      wait(SCENARIO_TIMEOUT_MS).then(() => "failed timeout")]);
    await browser.stop();
    current.werift.close();
    console.log(`[${scenario.name}] ${outcome}`);
    if (!outcome.startsWith("ok")) {
      failures++;
      console.error(browser.stderr());
      continue;
    }
    for (const [file, text] of Object.entries(current.results)) {
      writeFileSync(join(OUT, file), text);
      console.log(`  wrote ${file} (${Buffer.byteLength(text)} bytes)`);
    }
  }
  current = null;
  turn.kill("SIGTERM");
  server.close();
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
