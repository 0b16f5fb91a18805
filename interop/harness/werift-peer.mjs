// werift as the remote peer of jrtc's interop tests: node werift-peer.mjs http://10.77.x.1:port
import { createHash } from "node:crypto";
import { RTCPeerConnection } from "werift";
import { runRemotePeer } from "./remote-peer.js";

const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error("usage: node werift-peer.mjs <harness base url>");
  process.exit(2);
}
const env = {
  fetch: (u, o) => fetch(u, o),
  bytes: (d) => (Buffer.isBuffer(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d)),
  binary: (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength),
  sha256: async (u8) => createHash("sha256").update(u8).digest(),
};
await runRemotePeer({ RTCPeerConnection, env, baseUrl, name: "werift" });
process.exit(0);
