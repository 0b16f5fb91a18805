package io.jrtc.perf.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Two jrtc PeerConnections over real UDP on 127.0.0.1, signalled by direct calls (trickle), for the harnesses. */
final class LoopbackPeers implements AutoCloseable {

    final PeerConnection offerer;
    final PeerConnection answerer;

    LoopbackPeers(PeerConnectionFactory factory) {
        RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
        offerer = factory.createPeerConnection(cfg);
        answerer = factory.createPeerConnection(cfg);
        offerer.onIceCandidate(answerer::addIceCandidate);
        answerer.onIceCandidate(offerer::addIceCandidate);
    }

    /** Offer/answer without waiting between steps; completes when both descriptions are applied on both sides. */
    CompletableFuture<Void> negotiate() {
        return offerer.createOffer()
                .thenCompose(o -> offerer.setLocalDescription(o).thenApply(v -> o))
                .thenCompose(o -> answerer.setRemoteDescription(o))
                .thenCompose(v -> answerer.createAnswer())
                .thenCompose(a -> answerer.setLocalDescription(a).thenApply(v -> a))
                .thenCompose((RtcSessionDescription a) -> offerer.setRemoteDescription(a));
    }

    static CompletableFuture<Void> opened(PeerConnection pc, DataChannel ch) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.execute(() -> {
            if (ch.readyState() == DataChannelState.OPEN) {
                f.complete(null);
            } else {
                ch.onOpen(() -> f.complete(null));
            }
        });
        return f;
    }

    /** Both ends of one channel. */
    record Channel(DataChannel near, DataChannel far) {
    }

    /** Opens one channel from the offerer and waits for both its ends to be open. */
    Channel connect(String label, long timeoutSeconds) throws Exception {
        CompletableFuture<DataChannel> far = new CompletableFuture<>();
        answerer.onDataChannel(far::complete);
        DataChannel ch = offerer.createDataChannel(label);
        CompletableFuture<Void> open = opened(offerer, ch);
        negotiate().get(timeoutSeconds, TimeUnit.SECONDS);
        open.get(timeoutSeconds, TimeUnit.SECONDS);
        return new Channel(ch, far.get(timeoutSeconds, TimeUnit.SECONDS));
    }

    @Override
    public void close() {
        offerer.close();
        answerer.close();
    }
}
