package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fingerprint in the answer that is not the answerer's certificate (a man in the middle, or a mangled SDP): DTLS
 * fails on both sides, the connection state becomes failed, and no application data is ever delivered.
 */
class FingerprintMismatchIsRefused {

    @Test
    void mismatchedFingerprintFailsBothSidesAndNoChannelOpens() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2); LoopbackPair p = new LoopbackPair(factory)) {
            AtomicInteger delivered = new AtomicInteger();
            p.answerer.onDataChannel(ch -> ch.onMessage(m -> delivered.incrementAndGet()));
            CompletableFuture<RtcPeerConnectionState> offererFailed = new CompletableFuture<>();
            CompletableFuture<RtcPeerConnectionState> answererFailed = new CompletableFuture<>();
            p.offerer.onConnectionStateChange(s -> {
                if (s == RtcPeerConnectionState.FAILED) {
                    offererFailed.complete(s);
                }
            });
            p.answerer.onConnectionStateChange(s -> {
                if (s == RtcPeerConnectionState.FAILED) {
                    answererFailed.complete(s);
                }
            });
            DataChannel ch = p.offerer.createDataChannel("never");
            AtomicInteger opened = new AtomicInteger();
            p.offerer.execute(() -> ch.onOpen(opened::incrementAndGet));

            RtcSessionDescription offer = p.offerer.createOffer().get(5, TimeUnit.SECONDS);
            p.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);
            p.answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
            RtcSessionDescription answer = p.answerer.createAnswer().get(5, TimeUnit.SECONDS);
            p.answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
            // Flip the last hex digit of the answerer's fingerprint before the offerer sees it.
            String sdp = answer.sdp();
            int at = sdp.indexOf("a=fingerprint:sha-256 ");
            int end = sdp.indexOf('\r', at);
            char last = sdp.charAt(end - 1);
            String tampered = sdp.substring(0, end - 1) + (last == '0' ? '1' : '0') + sdp.substring(end);
            p.offerer.setRemoteDescription(RtcSessionDescription.answer(tampered)).get(5, TimeUnit.SECONDS);

            assertThat(offererFailed.get(20, TimeUnit.SECONDS)).isEqualTo(RtcPeerConnectionState.FAILED);
            assertThat(answererFailed.get(20, TimeUnit.SECONDS)).isEqualTo(RtcPeerConnectionState.FAILED);
            assertThat(opened.get()).isZero();
            assertThat(ch.readyState()).isNotEqualTo(DataChannelState.OPEN);
            assertThat(delivered.get()).isZero();
            RtcStatsReport r = p.offerer.getStats().get(5, TimeUnit.SECONDS);
            assertThat(r.first(RtcStats.Transport.class).orElseThrow().dtlsState()).isEqualTo("failed");
            assertThat(r.first(RtcStats.SctpTransport.class).orElseThrow().packetsReceived()).isZero();
        }
    }
}
