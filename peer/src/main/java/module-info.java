/**
 * jrtc's PeerConnection: JSEP offer/answer, trickle ICE, DTLS, SCTP data channels and SRTP media on one BUNDLEd
 * transport, on Netty event loops. The API types of the layers it composes (ICE servers and states, DTLS certificates, data
 * channels, RTP/RTCP packet views) are part of its API, hence the transitive requires.
 */
module io.jrtc.peer {
    requires transitive io.jrtc.common;
    requires transitive io.jrtc.ice;
    requires transitive io.jrtc.ice.netty;
    requires transitive io.jrtc.dtls;
    requires transitive io.jrtc.datachannel;
    requires transitive io.jrtc.sdp;
    requires io.jrtc.sctp;
    requires transitive io.jrtc.srtp;
    requires io.netty.transport;
    requires io.netty.common;
    requires io.netty.buffer;

    exports io.jrtc.peer;
    exports io.jrtc.peer.media;
}
