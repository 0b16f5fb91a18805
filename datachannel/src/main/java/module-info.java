/**
 * WebRTC data channels: the Data Channel Establishment Protocol (RFC 8832) and the data channel model of RFC 8831,
 * with a W3C-style API, on the jrtc SCTP core. Sans-IO like the core beneath it.
 */
module io.jrtc.datachannel {
    requires transitive io.jrtc.sctp;
    exports io.jrtc.datachannel;
    exports io.jrtc.datachannel.dcep;
}
