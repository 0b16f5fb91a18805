package io.jrtc.probe;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcConfiguration;
import java.time.Duration;
import java.util.List;
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

        /** The target's session description (SDP) on this connection: the latest one, after {@link #restartIce}. */
        String remoteSdp();

        /**
         * The renegotiation hook: restarts ICE on this live connection (RFC 8445 §9) and returns the target's new
         * description once both sides have applied theirs. With jrtc the offerer, jrtc makes an offer with new
         * credentials ({@code createOffer(true)}), the route carries it (through the connection's rewrite) and the
         * target's answer; with jrtc the answerer, the route asks the target for an ICE-restart offer and carries jrtc's
         * answer. Candidates trickle as on the first exchange. Called from the scenario's thread.
         *
         * @throws UnsupportedOperationException when the route (or the target) cannot renegotiate; the message says why
         */
        default String restartIce(Duration timeout) throws Exception {
            throw new UnsupportedOperationException("this route cannot renegotiate a live connection");
        }

        /**
         * The candidates the route carried by trickle on this connection, both ways, in order ({@code ""} is an
         * end-of-candidates), when the route trickles; empty for a route that exchanges whole descriptions only.
         */
        default Optional<Trickle> trickle() {
            return Optional.empty();
        }

        @Override
        void close();
    }

    @Override
    void close();

    /**
     * What a trickling route carried: {@link #sent()} are jrtc's candidates as the target got them, {@link #received()}
     * the target's, each as the {@code candidate:} attribute text or {@code ""} for end-of-candidates (W3C
     * {@code addIceCandidate} with an empty candidate; a null {@code onicecandidate} on the target's side). The route
     * adds to it while the connection lives; any thread.
     */
    final class Trickle {
        private final List<String> sent = new java.util.ArrayList<>();
        private final List<String> received = new java.util.ArrayList<>();

        /** Records a candidate of jrtc's handed to the target. */
        public synchronized void sent(String candidate) {
            sent.add(candidate);
            notifyAll();
        }

        /** Records a candidate of the target's handed to jrtc. */
        public synchronized void received(String candidate) {
            received.add(candidate);
            notifyAll();
        }

        public synchronized List<String> sent() {
            return List.copyOf(sent);
        }

        public synchronized List<String> received() {
            return List.copyOf(received);
        }

        /** Waits until both sides' end-of-candidates have been carried, or the timeout passes; whether they were. */
        public synchronized boolean awaitBothEnds(long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (!sent.contains("") || !received.contains("")) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        }
    }
}
