// werift as a peer of jrtc's side-by-side benchmark (see bench.js):
//   node werift-bench.mjs <dir holding node_modules with werift and ws> offer <ws url> <id> <to> <n> <echoes>
//        <bigSize> <bigCount> <smallCount> <result url>
//   node werift-bench.mjs <dir> echo <ws url> <id>
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runBenchOfferer, runEchoAnswerer } from "./bench.js";

const [modules, mode, url, id, to, n, echoes, bigSize, bigCount, smallCount, resultUrl] = process.argv.slice(2);
const require = createRequire(path.resolve(modules, "package.json"));
const { RTCPeerConnection } = require("werift");
const WebSocket = require("ws");
const now = () => performance.now();
const post = async (u, body) => {
  await fetch(u, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
};
if (mode === "echo") {
  await runEchoAnswerer({ RTCPeerConnection, WebSocket, url, id, now, log: (s) => console.log(s) });
} else {
  try {
    await runBenchOfferer({ RTCPeerConnection, WebSocket, url, id, to, n: +n, echoes: +echoes, bigSize: +bigSize,
      bigCount: +bigCount, smallCount: +smallCount, resultUrl, post, now });
  } catch (e) {
    await post(resultUrl, { peer: id, error: "werift failed: " + (e && e.stack || e) });
  }
  process.exit(0);
}
