package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 7675 consent freshness: when the far end goes silent without a word (here: its process freezes, modelled by
 * blocking its event loop), the near end's consent checks go unanswered, and its state moves to disconnected, then to
 * failed, within the configured times.
 */
class ConsentLossIsDetectedWhenThePeerGoesSilent {

    @Test
    void silentPeerMovesUsToDisconnectedThenFailed() throws Exception {
        IceConfig fastConsent = IceConfig.builder()
                .consentInterval(Duration.ofMillis(200))
                .disconnectedTimeout(Duration.ofSeconds(1))
                .consentTimeout(Duration.ofSeconds(3))
                .build();
        try (PeerConnectionFactory nearFactory = new PeerConnectionFactory(1);
             PeerConnectionFactory farFactory = new PeerConnectionFactory(1)) {
            LoopbackPair p = new LoopbackPair(nearFactory, b -> b.iceTuning(fastConsent), b -> b);
            // The answerer must live on its own loop so that freezing it freezes nothing else.
            p.answerer.close();
            PeerConnection far = farFactory.createPeerConnection(RtcConfiguration.builder()
                    .addBindAddress(java.net.InetAddress.getLoopbackAddress()).build());
            LoopbackPair pair = new LoopbackPair(p.offerer, far);
            DataChannel ch = pair.offerer.createDataChannel("c");
            pair.negotiate();
            ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
            List<IceConnectionState> states = new CopyOnWriteArrayList<>();
            List<Long> times = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> failed = new CompletableFuture<>();
            pair.offerer.onIceConnectionStateChange(s -> {
                states.add(s);
                times.add(System.nanoTime());
                if (s == IceConnectionState.FAILED) {
                    failed.complete(null);
                }
            });
            CompletableFuture<RtcPeerConnectionState> pcFailed = new CompletableFuture<>();
            pair.offerer.onConnectionStateChange(s -> {
                if (s == RtcPeerConnectionState.FAILED) {
                    pcFailed.complete(s);
                }
            });

            CountDownLatch release = new CountDownLatch(1);
            long frozeAt = System.nanoTime();
            far.eventLoop().execute(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                failed.get(15, TimeUnit.SECONDS);
                assertThat(pcFailed.get(5, TimeUnit.SECONDS)).isEqualTo(RtcPeerConnectionState.FAILED);
            } finally {
                release.countDown();
            }
            assertThat(states).containsSubsequence(IceConnectionState.DISCONNECTED, IceConnectionState.FAILED);
            long toDisconnected = times.get(states.indexOf(IceConnectionState.DISCONNECTED)) - frozeAt;
            long toFailed = times.get(states.indexOf(IceConnectionState.FAILED)) - frozeAt;
            assertThat(Duration.ofNanos(toDisconnected)).isBetween(Duration.ofMillis(500), Duration.ofMillis(2500));
            assertThat(Duration.ofNanos(toFailed)).isBetween(Duration.ofMillis(2500), Duration.ofMillis(5000));
            pair.offerer.close();
            far.close();
        }
    }
}
