package io.jrtc.peer.internal.media;

import java.util.List;

/**
 * The media counters of one {@link MediaEngine} at one instant, for {@code getStats()}. Times in seconds, as W3C.
 *
 * @param srtpCipher        the SRTP profile in use, as W3C names it ({@code AEAD_AES_128_GCM}), or null before keys
 * @param inbound           one per remote media SSRC
 * @param outbound          one per sender that has negotiated
 * @param remoteInbound     one per sender the remote has reported on (RR/SR report blocks)
 * @param srtpInboundDropped packets SRTP refused (authentication, replay, ...)
 * @param unroutable        RTP packets no transceiver claimed (unknown SSRC, mid and payload type)
 * @param rtcpMalformed     RTCP compounds with a malformed packet
 * @param droppedBeforeKeys packets that arrived before the SRTP keys and overflowed the early buffer
 * @param rtcpSent          RTCP compounds sent
 * @param rtcpReceived      RTCP compounds received (after SRTCP)
 */
public record MediaStatsSnapshot(String srtpCipher, List<Inbound> inbound, List<Outbound> outbound,
        List<RemoteInbound> remoteInbound, long srtpInboundDropped, long unroutable, long rtcpMalformed,
        long droppedBeforeKeys, long rtcpSent, long rtcpReceived) {

    public MediaStatsSnapshot {
        inbound = List.copyOf(inbound);
        outbound = List.copyOf(outbound);
        remoteInbound = List.copyOf(remoteInbound);
    }

    /** W3C {@code RTCInboundRtpStreamStats} fields jrtc fills. */
    public record Inbound(long ssrc, String kind, String mid, String mimeType, int payloadType, long packetsReceived,
            long bytesReceived, long packetsLost, double jitter, long nackCount, long pliCount, long firCount,
            long framesReceived, long keyFramesReceived, long retransmittedPacketsReceived,
            long retransmittedBytesReceived, long packetsDuplicated, long lastPacketReceivedNanos) {
    }

    /** W3C {@code RTCOutboundRtpStreamStats} fields jrtc fills. */
    public record Outbound(long ssrc, long rtxSsrc, String kind, String mid, String mimeType, long packetsSent,
            long bytesSent, long retransmittedPacketsSent, long retransmittedBytesSent, long nackCount, long pliCount,
            long firCount, long packetsNotSent) {
    }

    /** W3C {@code RTCRemoteInboundRtpStreamStats}: what the remote reported about one of our streams. */
    public record RemoteInbound(long ssrc, String kind, String mid, long packetsLost, double fractionLost,
            double jitter, double roundTripTime, double totalRoundTripTime, long roundTripTimeMeasurements,
            long reportsReceived) {
    }
}
