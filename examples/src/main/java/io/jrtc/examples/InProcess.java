package io.jrtc.examples;

import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.RtcSessionDescription;
import java.util.concurrent.TimeUnit;

/** What the examples that keep both ends in one process share: a direct offer/answer, and deadlines. */
final class InProcess {

    private InProcess() {
    }

    /**
     * Offer/answer and trickle ICE between two connections of this process, with no signaling server: each side's
     * candidates go straight to the other.
     */
    static void negotiate(PeerConnection offerer, PeerConnection answerer, long deadline) throws Exception {
        offerer.onIceCandidate(answerer::addIceCandidate);
        answerer.onIceCandidate(offerer::addIceCandidate);
        RtcSessionDescription offer = offerer.createOffer().get(remaining(deadline), TimeUnit.NANOSECONDS);
        offerer.setLocalDescription(offer).get(remaining(deadline), TimeUnit.NANOSECONDS);
        answerer.setRemoteDescription(offer).get(remaining(deadline), TimeUnit.NANOSECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(remaining(deadline), TimeUnit.NANOSECONDS);
        answerer.setLocalDescription(answer).get(remaining(deadline), TimeUnit.NANOSECONDS);
        offerer.setRemoteDescription(answer).get(remaining(deadline), TimeUnit.NANOSECONDS);
    }

    /** Nanoseconds left until {@code deadline} (a {@link System#nanoTime()} value), at least 1. */
    static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
