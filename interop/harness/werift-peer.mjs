// werift as the remote peer of jrtc's interop tests: node werift-peer.mjs http://10.77.x.1:port
import { createHash } from "node:crypto";
import { CipherContext, HashAlgorithm, RTCCertificate, RTCPeerConnection, SignatureAlgorithm } from "werift";
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
// werift has no static RTCPeerConnection.generateCertificate, and it reads `certificates` only when a `dtls` option is
// present. This gives the shared page code the W3C shape: generateCertificate({name: "RSASSA-PKCS1-v1_5", ...}) returns
// werift's own RTCCertificate, and `certificates: [cert]` is honoured.
class WeriftPeerConnection extends RTCPeerConnection {
  constructor(options = {}) {
    super(options.certificates ? { ...options, dtls: { ...(options.dtls || {}) } } : options);
  }

  static async generateCertificate(alg) {
    if (alg.name !== "RSASSA-PKCS1-v1_5") throw new Error(`werift-peer: unsupported certificate ${alg.name}`);
    const keys = await CipherContext.createSelfSignedCertificateWithKey({
      signature: SignatureAlgorithm.rsa_1, hash: HashAlgorithm.sha256_4 });
    return new RTCCertificate(keys.keyPem, keys.certPem, keys.signatureHash);
  }
}
await runRemotePeer({ RTCPeerConnection: WeriftPeerConnection, env, baseUrl, name: "werift" });
process.exit(0);
