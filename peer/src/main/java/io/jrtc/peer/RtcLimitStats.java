package io.jrtc.peer;

/**
 * How often each {@link RtcLimits} limit refused something, across all connections of one
 * {@link PeerConnectionFactory} since it was created ({@link PeerConnectionFactory#limitStats()}). A snapshot: the
 * counters keep counting. Plain numbers, for an application to export to its metrics system.
 *
 * <p>A {@link RtcLimits#maxBufferedBytes()} refusal is also the {@code SendBufferFullException} thrown to the caller of
 * {@code DataChannel.send}; it is counted here as well.
 *
 * @param peerConnections               connections held now (created, not yet closed or freed by the connect timeout)
 * @param peerConnectionsRefused        {@code createPeerConnection} calls refused ({@code maxPeerConnections})
 * @param connectTimeouts               connections failed by {@code connectTimeout}
 * @param localDataChannelsRefused      {@code createDataChannel} calls refused ({@code maxDataChannels})
 * @param remoteDataChannelsRefused     channels the peers opened that were reset ({@code maxDataChannels})
 * @param remoteDescriptionsTooLarge    remote descriptions refused by size ({@code maxRemoteDescriptionBytes})
 * @param remoteDescriptionsWithTooManyCandidates remote descriptions refused by candidate count
 *                                      ({@code maxRemoteCandidates})
 * @param remoteCandidatesRefused       trickled candidates refused ({@code maxRemoteCandidates} per ICE generation)
 * @param queuedRemoteCandidatesRefused candidates refused before the remote description
 *                                      ({@code maxQueuedRemoteCandidates})
 * @param sendsRefusedBufferFull        {@code DataChannel.send} calls refused because the connection's send buffer
 *                                      was full ({@code maxBufferedBytes})
 */
public record RtcLimitStats(int peerConnections, long peerConnectionsRefused, long connectTimeouts,
        long localDataChannelsRefused, long remoteDataChannelsRefused, long remoteDescriptionsTooLarge,
        long remoteDescriptionsWithTooManyCandidates, long remoteCandidatesRefused, long queuedRemoteCandidatesRefused,
        long sendsRefusedBufferFull) {

    /** The sum of every refusal counter (not {@link #peerConnections()}). */
    public long totalRefusals() {
        return peerConnectionsRefused + connectTimeouts + localDataChannelsRefused + remoteDataChannelsRefused
                + remoteDescriptionsTooLarge + remoteDescriptionsWithTooManyCandidates + remoteCandidatesRefused
                + queuedRemoteCandidatesRefused + sendsRefusedBufferFull;
    }
}
