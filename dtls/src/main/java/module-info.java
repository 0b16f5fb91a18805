/**
 * DTLS 1.2 for WebRTC (RFC 6347, RFC 8827, RFC 5763, RFC 5764) on BouncyCastle: certificates, fingerprint
 * authentication, use_srtp negotiation and exporter keying material, driven in the sans-IO shape as far as
 * BouncyCastle's blocking handshake allows. Only {@code io.jrtc.dtls} is exported.
 */
module io.jrtc.dtls {
    requires transitive io.jrtc.common;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;

    exports io.jrtc.dtls;
}
