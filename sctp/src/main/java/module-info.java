/**
 * SCTP (RFC 9260) for WebRTC, carried over DTLS (RFC 8261), as a sans-IO core.
 *
 * <p>{@code io.jrtc.sctp} holds the association API; {@code io.jrtc.sctp.packet} holds the wire format (one record
 * per chunk, parameter and error cause), exported for conformance tools and fuzzers.
 */
module io.jrtc.sctp {
    requires transitive io.jrtc.common;
    exports io.jrtc.sctp;
    exports io.jrtc.sctp.packet;
}
