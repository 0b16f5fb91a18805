/**
 * SRTP and SRTCP (RFC 3711, RFC 7714, keyed by DTLS-SRTP per RFC 5764) through jitsi-srtp in pure Java, zero-copy
 * RTP/RTCP views and writers, sans-IO RTP statistics, NACK generation and retransmission, and small codec
 * payload parsers (VP8, Opus).
 */
module io.jrtc.srtp {
    requires transitive io.jrtc.common;
    requires jitsi.srtp;
    requires jitsi.utils;
    requires java.logging;

    exports io.jrtc.srtp;
    exports io.jrtc.srtp.rtp;
    exports io.jrtc.srtp.codec;
}
