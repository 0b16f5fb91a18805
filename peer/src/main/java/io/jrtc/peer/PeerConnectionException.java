package io.jrtc.peer;

/**
 * Why a {@link PeerConnection} call was refused, in the W3C {@code DOMException} names. The asynchronous calls complete
 * their future exceptionally with one of these; the synchronous ones throw it.
 */
public sealed class PeerConnectionException extends RuntimeException {

    private PeerConnectionException(String message) {
        super(message);
    }

    /** W3C {@code InvalidStateError}: the call does not fit the current state (e.g. the connection is closed). */
    public static final class InvalidState extends PeerConnectionException {
        public InvalidState(String message) {
            super(message);
        }
    }

    /** W3C {@code InvalidAccessError}/{@code OperationError}: a description that cannot be used. */
    public static final class InvalidDescription extends PeerConnectionException {
        public InvalidDescription(String message) {
            super(message);
        }
    }

    /**
     * A limit of {@link RtcLimits} refused the call ({@code createPeerConnection}, {@code createDataChannel},
     * {@code addIceCandidate}); the message names the limit and its value. W3C has no such error; browsers answer the
     * same situations with {@code OperationError}. Every one is counted in {@link PeerConnectionFactory#limitStats()}.
     */
    public static final class LimitExceeded extends PeerConnectionException {
        private final RtcLimits.Limit limit;

        public LimitExceeded(RtcLimits.Limit limit, String message) {
            super(message);
            this.limit = java.util.Objects.requireNonNull(limit, "limit");
        }

        /** Which limit was reached. */
        public RtcLimits.Limit limit() {
            return limit;
        }
    }

    /** W3C {@code InvalidModificationError}: a local description that is not the one this connection created. */
    public static final class InvalidModification extends PeerConnectionException {
        public InvalidModification(String message) {
            super(message);
        }
    }
}
