/**
 * SDP for WebRTC: RFC 8866 session descriptions, the ICE (RFC 8839), DTLS (RFC 8122, RFC 4145),
 * SCTP (RFC 8841), BUNDLE (RFC 9143) and RTP attributes that JSEP (RFC 9429) uses, parsed into
 * immutable records that serialise back byte for byte.
 */
module io.jrtc.sdp {
    requires transitive io.jrtc.common;
    exports io.jrtc.sdp;
}
