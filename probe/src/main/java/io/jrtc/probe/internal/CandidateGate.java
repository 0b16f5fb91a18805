package io.jrtc.probe.internal;

import io.jrtc.peer.RtcIceCandidate;
import io.jrtc.probe.ProbeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A route's way of sending jrtc's trickled candidates: it holds them while one of jrtc's descriptions is on its way
 * (between {@link #hold} and {@link #release}), so that no candidate of a new ICE generation reaches the target before
 * the description that names its credentials, and records each one it sends in the connection's
 * {@link ProbeTarget.Trickle}. Any thread.
 */
public final class CandidateGate {

    private final ProbeTarget.Trickle trickle;
    private final Consumer<RtcIceCandidate> send;
    private final List<RtcIceCandidate> held = new ArrayList<>();
    private int holds;

    public CandidateGate(ProbeTarget.Trickle trickle, Consumer<RtcIceCandidate> send) {
        this.trickle = trickle;
        this.send = send;
    }

    /** Holds candidates from now until the matching {@link #release}. */
    public synchronized void hold() {
        holds++;
    }

    /** Ends one {@link #hold}; the last one sends what was held, in order. */
    public synchronized void release() {
        if (holds > 0 && --holds == 0) {
            held.forEach(this::send);
            held.clear();
        }
    }

    /** jrtc's {@code onIceCandidate}: sends the candidate, or holds it. */
    public synchronized void candidate(RtcIceCandidate c) {
        if (holds > 0) {
            held.add(c);
        } else {
            send(c);
        }
    }

    private void send(RtcIceCandidate c) {
        trickle.sent(c.candidate());
        send.accept(c);
    }
}
