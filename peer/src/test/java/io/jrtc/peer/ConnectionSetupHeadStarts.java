package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.ice.IceGatheringState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two head starts of a connection's set-up: candidates gathered before {@code setLocalDescription}
 * ({@code iceCandidatePoolSize}, W3C) and a DTLS client whose ClientHello is made before ICE connects and held until
 * it does. Real UDP on 127.0.0.1.
 */
@Timeout(60)
class ConnectionSetupHeadStarts {

    private static PeerConnectionFactory factory;

    @BeforeAll
    static void start() {
        factory = new PeerConnectionFactory(2);
    }

    @AfterAll
    static void stop() {
        factory.close();
    }

    @Test
    void pooledCandidatesWaitForSetLocalDescriptionAndAreInItsDescription() throws Exception {
        PeerConnection pooled = factory.createPeerConnection(LoopbackPair.base().iceCandidatePoolSize(1).build());
        PeerConnection other = factory.createPeerConnection(LoopbackPair.base().build());
        List<RtcIceCandidate> announced = new CopyOnWriteArrayList<>();
        pooled.onIceCandidate(announced::add);
        try (LoopbackPair pair = new LoopbackPair(other, pooled)) {
            pooled.onIceCandidate(c -> {
                announced.add(c);
                other.addIceCandidate(c);
            });
            // gathered ahead: the gathering states and the host candidate wait for setLocalDescription
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pooled.gatheringEventsHeld().get(5, TimeUnit.SECONDS) < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(pooled.gatheringEventsHeld().get(5, TimeUnit.SECONDS)).isEqualTo(3); // gathering, the candidate, complete
            assertThat(announced).isEmpty();
            assertThat(pooled.iceGatheringState()).isEqualTo(IceGatheringState.NEW);

            pooled.onDataChannel(c -> c.onMessage(m -> c.send(m.text())));
            DataChannel ch = other.createDataChannel("pooled");
            RtcSessionDescription offer = other.createOffer().get(5, TimeUnit.SECONDS);
            other.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            pooled.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = pooled.createAnswer().get(5, TimeUnit.SECONDS);
            // when setLocalDescription completes, the candidates are announced and in the local description
            String described = pooled.setLocalDescription(answer)
                    .thenCompose(v -> CompletableFuture.supplyAsync(() -> pooled.localDescription().orElseThrow().sdp(),
                            loopOf(pooled)))
                    .get(5, TimeUnit.SECONDS);
            assertThat(described).contains("a=candidate:").contains("a=end-of-candidates");
            assertThat(announced).hasSize(2);
            assertThat(announced.get(0).candidate()).contains("127.0.0.1");
            assertThat(announced.get(1).isEndOfCandidates()).isTrue();
            assertThat(pooled.iceGatheringState()).isEqualTo(IceGatheringState.COMPLETE);
            assertThat(pooled.gatheringEventsHeld().get(5, TimeUnit.SECONDS)).isZero();
            other.setRemoteDescription(RtcSessionDescription.answer(described)).get(5, TimeUnit.SECONDS);
            assertEchoes(pooled, ch);
        }
    }

    @Test
    void aDtlsClientWhoseIceConnectsAtOnceSendsItsHeldClientHello() throws Exception {
        try (LoopbackPair pair = new LoopbackPair(factory)) {
            pair.answererEchoes();
            DataChannel ch = pair.offerer.createDataChannel("at-once");
            pair.negotiate();
            assertEchoes(pair.answerer, ch);
            pair.assertConnected();
        }
    }

    /**
     * The answerer (the DTLS client) learns no candidate for 300 ms, so its held ClientHello is older than BouncyCastle's
     * first retransmission when ICE connects: it is dropped unsent and a fresh handshake runs. Meanwhile W3C sees a
     * DTLS transport that is still "new".
     */
    @Test
    void aDtlsClientWhoseIceIsSlowStartsAFreshHandshake() throws Exception {
        PeerConnection offerer = factory.createPeerConnection(LoopbackPair.base().build());
        PeerConnection answerer = factory.createPeerConnection(LoopbackPair.base().build());
        List<RtcIceCandidate> fromOfferer = new CopyOnWriteArrayList<>();
        List<RtcIceCandidate> fromAnswerer = new CopyOnWriteArrayList<>();
        offerer.onIceCandidate(fromOfferer::add);
        answerer.onIceCandidate(fromAnswerer::add);
        try {
            answerer.onDataChannel(c -> c.onMessage(m -> c.send(m.text())));
            DataChannel ch = offerer.createDataChannel("late");
            RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
            offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
            answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
            offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
            RtcStats.Transport before = answerer.getStats().get(5, TimeUnit.SECONDS).first(RtcStats.Transport.class)
                    .orElseThrow();
            assertThat(before.dtlsState()).isEqualTo("new");
            // no candidate crosses for 300 ms: ICE cannot connect before the hold limit (90 ms)
            CompletableFuture<Void> later = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> later.complete(null));
            later.get(5, TimeUnit.SECONDS);
            assertThat(answerer.getStats().get(5, TimeUnit.SECONDS).first(RtcStats.Transport.class).orElseThrow()
                    .dtlsState()).isEqualTo("new");
            offerer.onIceCandidate(answerer::addIceCandidate);
            answerer.onIceCandidate(offerer::addIceCandidate);
            fromOfferer.forEach(answerer::addIceCandidate);
            fromAnswerer.forEach(offerer::addIceCandidate);
            assertEchoes(answerer, ch);
            assertThat(answerer.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        } finally {
            offerer.close();
            answerer.close();
        }
    }

    private static Executor loopOf(PeerConnection pc) {
        return pc::execute;
    }

    /** {@code ch} (the offerer's) opens, and three messages come back in order. */
    private static void assertEchoes(PeerConnection answerer, DataChannel ch) throws Exception {
        CompletableFuture<Void> open = new CompletableFuture<>();
        List<String> back = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        ch.onMessage(m -> {
            back.add(m.text());
            if (back.size() == 3) {
                all.complete(null);
            }
        });
        ch.onOpen(() -> open.complete(null));
        if (ch.readyState() == DataChannelState.OPEN) {
            open.complete(null);
        }
        open.get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            ch.send("m" + i);
        }
        all.get(20, TimeUnit.SECONDS);
        assertThat(back).containsExactly("m0", "m1", "m2");
    }
}
