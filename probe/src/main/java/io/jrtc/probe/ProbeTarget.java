package io.jrtc.probe;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The stack under test, reached through one route (the signaling protocol, standard input and output, a test harness,
 * or jrtc itself in the same JVM). Each scenario gets a fresh connection from {@link #connect}.
 */
public interface ProbeTarget extends AutoCloseable {

    /** A short name for the report, e.g. {@code werift}, {@code pion}, {@code jrtc}. */
    String name();

    /** The base of jrtc's own configuration for this route: which addresses to gather on, mostly. */
    RtcConfiguration.Builder baseConfiguration();

    /**
     * Connects {@code ours} (fresh, with its data channel "probe" already created when jrtc offers) to a fresh
     * connection of the target, jrtc in {@code role}: exchanges the descriptions and candidates and returns once
     * they are applied (not necessarily once connected).
     */
    default Link connect(PeerConnection ours, Role role, Duration timeout) throws Exception {
        return connect(ours, role, timeout, UnaryOperator.identity());
    }

    /**
     * As {@link #connect(PeerConnection, Role, Duration)}, with {@code rewrite} applied to every session description
     * of jrtc's before the route hands it to the target; jrtc's own local description stays as jrtc made it. A
     * scenario that tells the target something untrue about jrtc (a fingerprint that does not match its certificate,
     * another hash algorithm) uses it. Candidates are not rewritten.
     */
    Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception;

    /** One connection to the target. */
    interface Link extends AutoCloseable {

        /** What the target can be asked to do on this connection, if its route allows it. */
        Optional<TargetControl> control();

        /** The target's session description (SDP) on this connection. */
        String remoteSdp();

        @Override
        void close();
    }

    @Override
    void close();
}
