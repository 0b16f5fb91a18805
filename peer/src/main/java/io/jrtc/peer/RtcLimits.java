package io.jrtc.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one remote party can make a {@link PeerConnection} (and a {@link PeerConnectionFactory}) hold. An
 * endpoint on a signaling server can be offered to by anyone; these keep one remote, or many, from growing the heap,
 * the socket count or the stream count without limit. The defaults are far above what a browser, Pion or werift peer
 * does, so legitimate traffic never meets them.
 *
 * <p>A {@link PeerConnectionFactory} has limits ({@link PeerConnectionFactory#limits()}, {@link #defaults()} unless
 * set); a connection uses those of its {@link RtcConfiguration#limits()}, or the factory's when that is null.
 * {@link #maxPeerConnections()} is always the factory's. Each refusal is counted in
 * {@link PeerConnectionFactory#limitStats()}.
 *
 * <p><b>Threads.</b> The per-connection checks run on the connection's event loop, where the refused call runs (the
 * asynchronous calls complete their future exceptionally there; {@code createDataChannel} throws to its caller). The
 * connect timeout fires on that loop too, and the {@code FAILED} state change it causes is delivered there, like every
 * callback of the connection. {@code createPeerConnection} checks its limit on the calling thread.
 *
 * @param maxPeerConnections        connections a factory holds at once (from {@code createPeerConnection} until
 *                                  {@code close()}, or until the connect timeout freed it); beyond it
 *                                  {@code createPeerConnection} throws {@link PeerConnectionException.LimitExceeded}.
 *                                  Default 10,000
 * @param connectTimeout            a connection not {@code CONNECTED} within this time after its first description
 *                                  (local or remote) was set goes to {@code FAILED} and frees its sockets, timers and
 *                                  transports; one WARN line names the cause. Zero: no timeout. Default 30 s
 * @param maxDataChannels           data channels per connection, open, opening or closing, from either side. A local
 *                                  {@code createDataChannel} beyond it throws
 *                                  {@link PeerConnectionException.LimitExceeded}; a channel the peer opens beyond it
 *                                  is refused by resetting its stream (the application never sees it; logged at 1-3,
 *                                  10, 100, ... per connection). Default 1,024
 * @param maxRemoteDescriptionBytes the size of a remote description, UTF-8 bytes; a larger one is refused by
 *                                  {@code setRemoteDescription} with {@link PeerConnectionException.InvalidDescription}
 *                                  before it is parsed. Default 256 KiB (a browser's offer with audio, video and data
 *                                  is 5-10 KB)
 * @param maxRemoteCandidates       {@code a=candidate} lines in one remote description (refused as above), and
 *                                  candidates trickled through {@code addIceCandidate} per remote ICE generation
 *                                  (ufrag) (refused with {@link PeerConnectionException.LimitExceeded}). Default 1,000.
 *                                  ICE itself pairs at most {@code IceConfig.maxRemoteCandidates} of them (100)
 * @param maxQueuedRemoteCandidates candidates held by {@code addIceCandidate} before the remote description arrives;
 *                                  more are refused with {@link PeerConnectionException.LimitExceeded}. Default 256
 * @param maxBufferedBytes          bytes queued to send per connection, across all its data channels (SCTP's send
 *                                  buffer); a {@code DataChannel.send} beyond it throws
 *                                  {@code io.jrtc.sctp.SendBufferFullException}. Raised to {@code maxMessageSize} if
 *                                  smaller, so that one message always fits. Default 8 MiB
 * @param maxBufferedBytesPerChannel bytes queued to send on one data channel ({@code bufferedAmount}); a
 *                                  {@code DataChannel.send} that would exceed it throws
 *                                  {@code io.jrtc.sctp.SendBufferFullException} naming the channel's limit, so one
 *                                  channel cannot take the whole connection's buffer. Raised to {@code maxMessageSize}
 *                                  if smaller. Default 8 MiB: a channel may use the whole connection's buffer, as
 *                                  in browsers (Chromium's per-channel limit is 16 MiB, with no connection-wide one)
 */
public record RtcLimits(int maxPeerConnections, Duration connectTimeout, int maxDataChannels,
        int maxRemoteDescriptionBytes, int maxRemoteCandidates, int maxQueuedRemoteCandidates, long maxBufferedBytes,
        long maxBufferedBytesPerChannel) {

    public static final int DEFAULT_MAX_PEER_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_DATA_CHANNELS = 1_024;
    public static final int DEFAULT_MAX_REMOTE_DESCRIPTION_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_REMOTE_CANDIDATES = 1_000;
    public static final int DEFAULT_MAX_QUEUED_REMOTE_CANDIDATES = 256;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 8L * 1024 * 1024;

    private static final RtcLimits DEFAULTS = new RtcLimits(DEFAULT_MAX_PEER_CONNECTIONS, DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_MAX_DATA_CHANNELS, DEFAULT_MAX_REMOTE_DESCRIPTION_BYTES, DEFAULT_MAX_REMOTE_CANDIDATES,
            DEFAULT_MAX_QUEUED_REMOTE_CANDIDATES, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_BUFFERED_BYTES);

    public RtcLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must not be negative (zero: no timeout), was " + connectTimeout);
        }
        positive(maxPeerConnections, "maxPeerConnections");
        positive(maxDataChannels, "maxDataChannels");
        positive(maxRemoteDescriptionBytes, "maxRemoteDescriptionBytes");
        positive(maxRemoteCandidates, "maxRemoteCandidates");
        positive(maxQueuedRemoteCandidates, "maxQueuedRemoteCandidates");
        positive(maxBufferedBytes, "maxBufferedBytes");
        positive(maxBufferedBytesPerChannel, "maxBufferedBytesPerChannel");
    }

    private static void positive(long v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive, was " + v);
        }
    }

    /** The defaults listed above. */
    public static RtcLimits defaults() {
        return DEFAULTS;
    }

    public RtcLimits withMaxPeerConnections(int v) {
        return new RtcLimits(v, connectTimeout, maxDataChannels, maxRemoteDescriptionBytes, maxRemoteCandidates,
                maxQueuedRemoteCandidates, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withConnectTimeout(Duration v) {
        return new RtcLimits(maxPeerConnections, v, maxDataChannels, maxRemoteDescriptionBytes, maxRemoteCandidates,
                maxQueuedRemoteCandidates, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxDataChannels(int v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, v, maxRemoteDescriptionBytes, maxRemoteCandidates,
                maxQueuedRemoteCandidates, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxRemoteDescriptionBytes(int v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, maxDataChannels, v, maxRemoteCandidates,
                maxQueuedRemoteCandidates, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxRemoteCandidates(int v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, maxDataChannels, maxRemoteDescriptionBytes, v,
                maxQueuedRemoteCandidates, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxQueuedRemoteCandidates(int v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, maxDataChannels, maxRemoteDescriptionBytes,
                maxRemoteCandidates, v, maxBufferedBytes, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxBufferedBytes(long v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, maxDataChannels, maxRemoteDescriptionBytes,
                maxRemoteCandidates, maxQueuedRemoteCandidates, v, maxBufferedBytesPerChannel);
    }

    public RtcLimits withMaxBufferedBytesPerChannel(long v) {
        return new RtcLimits(maxPeerConnections, connectTimeout, maxDataChannels, maxRemoteDescriptionBytes,
                maxRemoteCandidates, maxQueuedRemoteCandidates, maxBufferedBytes, v);
    }

    /** Which limit a {@link PeerConnectionException.LimitExceeded} or a counter is about. */
    public enum Limit {
        PEER_CONNECTIONS, CONNECT_TIMEOUT, DATA_CHANNELS, REMOTE_DESCRIPTION_BYTES, REMOTE_CANDIDATES,
        QUEUED_REMOTE_CANDIDATES, BUFFERED_BYTES
    }
}
