package io.jrtc.probe;

import java.util.concurrent.CompletableFuture;

/**
 * What a target can be asked to do beyond answering and echoing, when its route allows it (a test harness, a page
 * the probe serves). Scenarios that need it are {@link Verdict#NOT_APPLICABLE} without it.
 */
public interface TargetControl {

    /**
     * The target opens a channel {@code label} with {@code options} and sends {@code count} messages of {@code size}
     * bytes on it; jrtc's side echoes them. Completes with true when the target got every echo back, false when it
     * gave up; the probe itself watches the wire.
     */
    CompletableFuture<Boolean> openAndSend(String label, ChannelOptions options, int count, int size, boolean binary);

    /** The target closes its channel {@code label} (W3C {@code close()}); completes when it reports it closed. */
    CompletableFuture<Boolean> close(String label);

    /**
     * The target closes its whole connection (W3C {@code RTCPeerConnection.close()}); completes when it has. Routes
     * that cannot ask for it complete with false.
     */
    default CompletableFuture<Boolean> closePeerConnection() {
        return CompletableFuture.completedFuture(false);
    }
}
