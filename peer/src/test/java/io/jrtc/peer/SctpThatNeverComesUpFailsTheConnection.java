package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelError;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.sctp.SctpConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ICE and DTLS come up but SCTP never does: the answerer drops every SCTP packet it receives (the package-private test
 * seam {@code PeerConnection.dropInboundSctpForTesting}), so neither side's INIT is ever answered in full. Each pending
 * data channel gets {@code onError} then {@code onClose}, and the connection state moves from connected to failed
 * instead of claiming connected for ever.
 */
class SctpThatNeverComesUpFailsTheConnection {

    /** Gives up on INIT quickly: 100 ms, 200 ms, 200 ms, then abort (about 0.5 s instead of minutes). */
    private static SctpConfig.Builder fastGiveUp() {
        return SctpConfig.builder().rtoInitial(Duration.ofMillis(100)).rtoMin(Duration.ofMillis(100)).rtoMax(Duration.ofMillis(200))
                .maxInitRetransmits(2);
    }

    @Test
    void unansweredInitsCloseEveryPendingChannelWithAnErrorAndFailTheConnection() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(factory, b -> b.sctpTuning(fastGiveUp().build()))) {
            p.answerer.dropInboundSctpForTesting(packet -> true);
            List<String> offererStates = new CopyOnWriteArrayList<>();
            List<String> answererStates = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> offererFailed = new CompletableFuture<>();
            CompletableFuture<Void> answererFailed = new CompletableFuture<>();
            p.offerer.onConnectionStateChange(s -> {
                offererStates.add(s.name());
                if (s == RtcPeerConnectionState.FAILED) {
                    offererFailed.complete(null);
                }
            });
            p.answerer.onConnectionStateChange(s -> {
                answererStates.add(s.name());
                if (s == RtcPeerConnectionState.FAILED) {
                    answererFailed.complete(null);
                }
            });
            DataChannel first = p.offerer.createDataChannel("first");
            DataChannel second = p.offerer.createDataChannel("second");
            List<String> callbacks = new CopyOnWriteArrayList<>();
            List<DataChannelError> errors = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> bothClosed = new CompletableFuture<>();
            p.offerer.execute(() -> {
                for (DataChannel ch : List.of(first, second)) {
                    ch.onOpen(() -> callbacks.add(ch.label() + ":open"));
                    ch.onError(e -> {
                        errors.add(e);
                        callbacks.add(ch.label() + ":error");
                    });
                    ch.onClose(() -> {
                        callbacks.add(ch.label() + ":close");
                        if (callbacks.stream().filter(c -> c.endsWith(":close")).count() == 2) {
                            bothClosed.complete(null);
                        }
                    });
                }
            });
            p.negotiate();

            bothClosed.get(20, TimeUnit.SECONDS);
            offererFailed.get(20, TimeUnit.SECONDS);
            answererFailed.get(20, TimeUnit.SECONDS);

            assertThat(callbacks).containsExactly("first:error", "first:close", "second:error", "second:close");
            assertThat(errors).allSatisfy(e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(e.message()).contains("INIT unanswered");
            });
            assertThat(first.readyState()).isEqualTo(DataChannelState.CLOSED);
            assertThat(second.readyState()).isEqualTo(DataChannelState.CLOSED);
            // ICE and DTLS did come up: connected first, then failed because of SCTP
            assertThat(offererStates).containsSubsequence("CONNECTED", "FAILED");
            assertThat(answererStates).containsSubsequence("CONNECTED", "FAILED");
            assertThat(p.offerer.connectionState()).isEqualTo(RtcPeerConnectionState.FAILED);
            assertThat(p.answerer.connectionState()).isEqualTo(RtcPeerConnectionState.FAILED);
        }
    }
}
