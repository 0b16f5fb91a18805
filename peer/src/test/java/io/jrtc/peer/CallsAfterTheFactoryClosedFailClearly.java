package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a {@link PeerConnectionFactory} before its connections is a misuse its javadoc warns about, but it must not
 * leak a {@code RejectedExecutionException} out of the connection: {@code close()} returns quietly (the loop took the
 * sockets and timer with it), the asynchronous W3C calls fail their future with {@code InvalidState}, the blocking ones
 * throw it, each saying why, and each refusal is logged.
 */
class CallsAfterTheFactoryClosedFailClearly {

    @Test
    void closeIsQuietAndOtherCallsRefuseWithInvalidState() throws Exception {
        PeerConnectionFactory factory = new PeerConnectionFactory(1);
        PeerConnection pc = factory.createPeerConnection(LoopbackPair.base().build());
        pc.createDataChannel("x");
        assertThat(pc.createOffer().get(10, TimeUnit.SECONDS).sdp()).contains("m=application");
        factory.close();
        assertThat(pc.eventLoop().isTerminated()).isTrue();

        try (CapturedLog log = CapturedLog.start()) {
            pc.close(); // nothing thrown
            pc.close();

            CompletableFuture<RtcSessionDescription> offer = pc.createOffer();
            assertThat(offer).isCompletedExceptionally();
            assertThatThrownBy(offer::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PeerConnectionException.InvalidState.class)
                    .hasMessageContaining("PeerConnectionFactory was closed");
            assertThatThrownBy(pc::localDescription).isInstanceOf(PeerConnectionException.InvalidState.class)
                    .hasMessageContaining("event loop has shut down");

            assertThat(log.messages("WARN", "createOffer refused", "PeerConnectionFactory was closed")).hasSize(1);
            assertThat(log.messages("WARN", "a call refused")).hasSize(1);
            assertThat(log.lines()).noneMatch(l -> l.message().contains("RejectedExecution"));
        }
    }
}
