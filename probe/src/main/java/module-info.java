/**
 * The conformance probe: runs scenarios (each tied to an RFC clause) against another WebRTC stack over jrtc's own
 * PeerConnection, with a {@link io.jrtc.peer.PacketTap} between SCTP and DTLS for observation and fault injection, and
 * writes a JSON and an HTML report.
 */
module io.jrtc.probe {
    requires transitive io.jrtc.peer;
    requires io.jrtc.sctp;
    requires transitive io.jrtc.signaling.client;
    requires com.fasterxml.jackson.databind;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires org.slf4j;

    exports io.jrtc.probe;
}
