package io.jrtc.perf.ice;

import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.netty.IceTransport;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** Two {@link IceTransport}s on 127.0.0.1 wired to each other in-process (the signalling), for the harnesses. */
final class LoopbackPair {

    final IceTransport a;
    final IceTransport b;
    final CompletableFuture<Long> aConnectedAt = new CompletableFuture<>();
    final CompletableFuture<Long> bConnectedAt = new CompletableFuture<>();

    LoopbackPair(EventLoopGroup group, IceConfig config) {
        a = new IceTransport(group.next(), config);
        b = new IceTransport(group.next(), config);
        a.setRole(IceRole.CONTROLLING);
        b.setRole(IceRole.CONTROLLED);
        wire(a, b, aConnectedAt);
        wire(b, a, bConnectedAt);
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
    }

    static IceConfig loopbackConfig() {
        return IceConfig.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
    }

    private static void wire(IceTransport self, IceTransport peer, CompletableFuture<Long> connectedAt) {
        self.onLocalCandidate(peer::addRemoteCandidate);
        self.onGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                peer.addRemoteEndOfCandidates();
            }
        });
        self.onConnectionStateChange(s -> {
            if (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED) {
                connectedAt.complete(System.nanoTime());
            } else if (s == IceConnectionState.FAILED) {
                connectedAt.completeExceptionally(new IllegalStateException("ICE failed"));
            }
        });
    }

    void start() {
        a.startGathering();
        b.startGathering();
    }

    CompletableFuture<Void> connected() {
        return CompletableFuture.allOf(aConnectedAt, bConnectedAt);
    }

    CompletableFuture<Void> close() {
        return CompletableFuture.allOf(a.close(), b.close());
    }
}
