package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceGatheringState;

/**
 * What an {@link RtcCore} reports through {@link RtcCore#pollEvent()}: events in a queue, in the order they happened,
 * instead of callbacks into the façade.
 */
sealed interface RtcEvent {

    /** ICE gathered a local candidate: signal it to the peer (trickle). */
    record LocalCandidate(IceCandidate candidate) implements RtcEvent {
    }

    /** ICE's gathering state changed. */
    record GatheringStateChanged(IceGatheringState state) implements RtcEvent {
    }

    /** ICE's connection state changed. */
    record IceStateChanged(IceConnectionState state) implements RtcEvent {
    }

    /** ICE selected a (new) candidate pair. */
    record SelectedPairChanged(IceCandidatePair pair) implements RtcEvent {
    }

    /** The W3C connection state over ICE, DTLS and SCTP changed. */
    record ConnectionStateChanged(RtcPeerConnectionState state) implements RtcEvent {
    }

    /**
     * The peer opened a data channel (admitted by the limits). Its messages wait until {@code onMessage} is set, so
     * those that came with the peer's DATA_CHANNEL_OPEN are not lost: the first listener gets them, in order, inside
     * {@code onMessage(listener)} (they are charged against the receive window meanwhile).
     */
    record DataChannelOpened(DataChannel channel) implements RtcEvent {
    }

    /** ICE's role changed (a role conflict, RFC 8445 section 7.3.1.1). */
    record IceRoleChanged(IceRole role) implements RtcEvent {
    }

    /**
     * ICE asks the owner's sockets for something ({@link IceEvent.OpenStream}, {@link IceEvent.CloseStream},
     * {@link IceEvent.ResolveHost}); the answers go back through {@link RtcCore#streamConnected},
     * {@link RtcCore#streamClosed} and {@link RtcCore#hostResolved}.
     */
    record SocketRequest(IceEvent request) implements RtcEvent {
    }

    /**
     * The connect timeout ({@link RtcLimits#connectTimeout()}) ran out before the connection reached
     * {@code CONNECTED}: the owner fails it and releases its transports.
     */
    record ConnectTimedOut() implements RtcEvent {
    }
}
