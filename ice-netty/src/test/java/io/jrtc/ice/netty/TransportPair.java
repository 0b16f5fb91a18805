package io.jrtc.ice.netty;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.testkit.WritesByDestination;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.netty.channel.EventLoopGroup;

/** Two {@link IceTransport}s wired to each other in-process (the signalling channel), for tests and benchmarks. */
final class TransportPair {

    final IceTransport a;
    final IceTransport b;
    /** Every write of {@link #a} and {@link #b}, by destination (through {@code IceConfig.writeObserver}). */
    final WritesByDestination writesOfA = new WritesByDestination();
    final WritesByDestination writesOfB = new WritesByDestination();
    final List<byte[]> receivedByA = new CopyOnWriteArrayList<>();
    final List<byte[]> receivedByB = new CopyOnWriteArrayList<>();
    final List<IceCandidate> candidatesOfA = new CopyOnWriteArrayList<>();
    final List<IceCandidate> candidatesOfB = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> aConnected = new CompletableFuture<>();
    final CompletableFuture<Void> bConnected = new CompletableFuture<>();
    final CompletableFuture<Void> aFailed = new CompletableFuture<>();
    final CompletableFuture<Void> bFailed = new CompletableFuture<>();

    TransportPair(EventLoopGroup group, IceConfig ca, IceConfig cb) {
        a = new IceTransport(group.next(), ca.toBuilder().writeObserver(writesOfA::record).build());
        b = new IceTransport(group.next(), cb.toBuilder().writeObserver(writesOfB::record).build());
        a.setRole(IceRole.CONTROLLING);
        b.setRole(IceRole.CONTROLLED);
        wire(a, b, candidatesOfA, receivedByA, aConnected, aFailed);
        wire(b, a, candidatesOfB, receivedByB, bConnected, bFailed);
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
    }

    private static void wire(IceTransport self, IceTransport peer, List<IceCandidate> candidates, List<byte[]> received,
                             CompletableFuture<Void> connected, CompletableFuture<Void> failed) {
        self.onLocalCandidate(c -> {
            candidates.add(c);
            peer.addRemoteCandidate(c);
        });
        self.onGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                peer.addRemoteEndOfCandidates();
            }
        });
        self.onConnectionStateChange(s -> {
            if (s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED) {
                connected.complete(null);
            } else if (s == IceConnectionState.FAILED) {
                failed.complete(null);
                connected.completeExceptionally(new IllegalStateException("ICE failed"));
            }
        });
        self.onData(buf -> {
            byte[] x = new byte[buf.remaining()];
            buf.get(x);
            received.add(x);
        });
    }

    void start() {
        a.startGathering();
        b.startGathering();
    }

    void awaitConnected(long seconds) throws Exception {
        CompletableFuture.allOf(aConnected, bConnected).get(seconds, TimeUnit.SECONDS);
    }

    /** Sends from the transport's own loop (the data path). */
    static void sendOnLoop(IceTransport t, byte[] data) {
        t.eventLoop().execute(() -> t.send(ByteBuffer.wrap(data)));
    }

    void close() throws Exception {
        CompletableFuture.allOf(a.close(), b.close()).get(10, TimeUnit.SECONDS);
    }
}
