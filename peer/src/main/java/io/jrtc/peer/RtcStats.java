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

    /** {@code RTCTransportStats}: the one BUNDLEd ICE+DTLS transport, counted at the UDP/TCP/TLS wire. */
    record Transport(String id, long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
            String iceState, String iceRole, String dtlsState, String dtlsRole, String selectedCandidatePairId,
            String localCertificateFingerprint) implements RtcStats {
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
}
