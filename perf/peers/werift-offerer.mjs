// werift as the offerer of jrtc's latency benchmarks:
//   node werift-offerer.mjs <dir holding node_modules with werift and ws> ws://HOST:PORT/ws <id> <to> <n> <echoes>
// One JSON line per connection on standard output (see offerer.js).
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runOfferer } from "./offerer.js";

const [modules, url, id, to, n, echoes] = process.argv.slice(2);
const require = createRequire(path.resolve(modules, "package.json"));
const { RTCPeerConnection } = require("werift");
const WebSocket = require("ws");
await runOfferer({ RTCPeerConnection, WebSocket, url, id: id || "werift", to: to || "echo", n: parseInt(n || "10", 10),
  echoes: parseInt(echoes || "0", 10), out: (s) => console.log(s), now: () => performance.now() });
process.exit(0);
