package io.jrtc.peer;

/**
 * One entry of an {@link RtcStatsReport}, named after the W3C {@code RTCStats} dictionaries
 * (webrtc-stats). Times are in nanoseconds on the JVM's monotonic clock; round-trip times are in seconds, as W3C.
 */
public sealed interface RtcStats {

    /** The W3C {@code id}: unique within one report, stable across reports. */
    String id();

    /** The W3C {@code type}: {@code "peer-connection"}, {@code "transport"}, {@code "candidate-pair"}, ... */
    String type();

    /** {@code RTCPeerConnectionStats}. */
    record PeerConnection(String id, long dataChannelsOpened, long dataChannelsClosed) implements RtcStats {
        public String type() {
            return "peer-connection";
        }
    }

    /**
     * {@code RTCTransportStats}: the one BUNDLEd ICE+DTLS transport, counted at the UDP/TCP/TLS wire. {@code srtpCipher}
     * is the DTLS-SRTP profile in use ({@code AEAD_AES_128_GCM}, {@code AES_CM_128_HMAC_SHA1_80}), null before keys.
     * {@code dtlsCipher} is the IANA name of the negotiated suite (e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256})
     * and {@code remoteCertificateFingerprint} the peer's certificate as {@code "sha-256 AB:CD:..."}; both null until
     * DTLS has connected.
     */
    record Transport(String id, long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
            String iceState, String iceRole, String dtlsState, String dtlsRole, String selectedCandidatePairId,
            String localCertificateFingerprint, String srtpCipher, String dtlsCipher,
            String remoteCertificateFingerprint) implements RtcStats {
        public String type() {
            return "transport";
        }
    }

    /** {@code RTCIceCandidatePairStats}. */
    record CandidatePair(String id, String localCandidateId, String remoteCandidateId, String state, boolean nominated,
            boolean selected, long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
            double currentRoundTripTime, long requestsSent, long responsesReceived, long requestsReceived) implements RtcStats {
        public String type() {
            return "candidate-pair";
        }
    }

    /** {@code RTCIceCandidateStats}, local or remote. */
    record IceCandidate(String id, boolean local, String address, int port, String protocol, String candidateType,
            long priority, String relatedAddress, int relatedPort) implements RtcStats {
        public String type() {
            return local ? "local-candidate" : "remote-candidate";
        }
    }

    /** {@code RTCDataChannelStats}. */
    record DataChannel(String id, String label, String protocol, int dataChannelIdentifier, String state,
            long messagesSent, long bytesSent, long messagesReceived, long bytesReceived) implements RtcStats {
        public String type() {
            return "data-channel";
        }
    }

    /**
     * The SCTP association under the data channels (W3C's {@code RTCSctpTransportStats} plus jrtc's counters): smoothed
     * RTT, congestion and receive windows, retransmissions and drops.
     */
    record SctpTransport(String id, double smoothedRoundTripTime, long congestionWindow, long receiverWindow,
            long peerReceiverWindow, long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
            long retransmittedChunks, long fastRetransmits, long t3Expiries, long abandonedMessages, long droppedPackets,
            long bufferedAmount) implements RtcStats {
        public String type() {
            return "sctp-transport";
        }
    }

    /**
     * {@code RTCInboundRtpStreamStats}: one remote media SSRC we receive. Counts are RFC 3550's: {@code packetsLost} is
     * expected minus received (repairs by NACK/RTX count as received), {@code jitter} in seconds; {@code bytesReceived}
     * is payload bytes. {@code nackCount}, {@code pliCount}, {@code firCount} are feedback packets we sent.
     * {@code framesReceived} counts marker bits (video), {@code keyFramesReceived} VP8 key frame starts.
     */
    record InboundRtp(String id, long ssrc, String kind, String mid, String transportId, String mimeType,
            int payloadType, long packetsReceived, long bytesReceived, long packetsLost, double jitter, long nackCount,
            long pliCount, long firCount, long framesReceived, long keyFramesReceived, long retransmittedPacketsReceived,
            long retransmittedBytesReceived, long packetsDuplicated, long lastPacketReceivedNanos) implements RtcStats {
        public String type() {
            return "inbound-rtp";
        }
    }

    /**
     * {@code RTCOutboundRtpStreamStats}: one of our senders. {@code packetsSent}/{@code bytesSent} include
     * retransmissions (W3C); {@code nackCount}, {@code pliCount}, {@code firCount} are feedback packets received.
     */
    record OutboundRtp(String id, long ssrc, long rtxSsrc, String kind, String mid, String transportId,
            String mimeType, long packetsSent, long bytesSent, long retransmittedPacketsSent,
            long retransmittedBytesSent, long nackCount, long pliCount, long firCount) implements RtcStats {
        public String type() {
            return "outbound-rtp";
        }
    }

    /**
     * {@code RTCRemoteInboundRtpStreamStats}: what the remote's receiver reports (RFC 3550 report blocks) say about one
     * of our streams: cumulative loss, fraction lost (0-1) of the last interval, jitter and round-trip time in seconds.
     */
    record RemoteInboundRtp(String id, long ssrc, String kind, String localId, String transportId, long packetsLost,
            double fractionLost, double jitter, double roundTripTime, double totalRoundTripTime,
            long roundTripTimeMeasurements, long reportsReceived) implements RtcStats {
        public String type() {
            return "remote-inbound-rtp";
        }
    }
}
