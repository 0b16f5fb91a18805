package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real server whose soft limit is also its hard limit (no backlog: every message over the budget is
 * refused), the client paces itself to the budget announced in {@code registered}: a burst of 300 candidates
 * arrives whole, in order, with no {@code rate_limited}. When its queue fills, new offers are shed first.
 */
class ClientPacesToTheAnnouncedBudgetAndShedsOffersFirst {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void burstOf300CandidatesIsPacedAndNoneIsRefused() throws Exception {
        SignalingServer s = t.start(SignalingServerConfig.builder().rateLimit(200, 40).maxBacklogMessages(0));
        SignalingClient sender = t.client(SignalingClientConfig.builder(TestServers.uri(s), "mesh-joiner")
                .maxQueuedMessages(1000));
        SignalingClient receiver = t.client(TestServers.uri(s), "neighbour");
        Inbox<SignalingMessage> toSender = new Inbox<>();
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        sender.onMessage(toSender);
        receiver.onMessage(toReceiver);
        SignalingMessage.Registered r = sender.connect().get(10, TimeUnit.SECONDS);
        assertThat(r.rateLimit()).isEqualTo(new SignalingMessage.RateLimit(200, 40, 0, 65536));
        receiver.connect().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(sender.sendCandidate("neighbour", "candidate:" + i + " 1 udp 1 127.0.0.1 " + (20000 + i)
                    + " typ host", "0", 0));
        }
        for (int i = 0; i < 300; i++) {
            SignalingMessage.Candidate c = toReceiver.next(SignalingMessage.Candidate.class, Duration.ofSeconds(10));
            assertThat(c.candidate()).startsWith("candidate:" + i + " ");
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        SignalingMessage late = toSender.poll(Duration.ofMillis(300));
        while (late instanceof SignalingMessage.Registered || late instanceof SignalingMessage.AgentJoined) {
            late = toSender.poll(Duration.ofMillis(300));
        }
        assertThat(late).as("no error (rate_limited) came back").isNull();
        assertThat(s.scrapeMetrics()).contains("jrtc_signaling_errors_total{code=\"rate_limited\"} 0.0");
    }

    @Test
    void fullQueueShedsNewOffersBeforeCandidates() throws Exception {
        // 2 messages/s, burst 2: the client paces to 1.8/s with one token, which register used
        SignalingServer s = t.start(SignalingServerConfig.builder().rateLimit(2, 2).maxBacklogMessages(0));
        SignalingClient sender = t.client(SignalingClientConfig.builder(TestServers.uri(s), "answerer")
                .maxQueuedMessages(10));
        SignalingClient receiver = t.client(TestServers.uri(s), "far");
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        receiver.onMessage(toReceiver);
        receiver.connect().get(10, TimeUnit.SECONDS);
        sender.connect().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> offers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            offers.add(sender.sendOffer("far", "v=0 offer " + i));
        }
        // half the queue (5) may hold offers: the sixth is shed at once
        assertThatThrownBy(() -> offers.get(5).get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SignalingQueueFullException.class);
        List<CompletableFuture<Void>> candidates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            candidates.add(sender.sendCandidate("far", "candidate:" + i + " 1 udp 1 127.0.0.1 9 typ host", "0", 0));
        }
        // the last five candidates evicted the five queued offers, newest first
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> offers.get(0).get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        assertThat(sender.shedOffers()).isEqualTo(6);
        for (CompletableFuture<Void> o : offers) {
            assertThat(o).isCompletedExceptionally();
        }
        for (int i = 0; i < 10; i++) {
            SignalingMessage m = toReceiver.next(Duration.ofSeconds(10));
            while (m instanceof SignalingMessage.AgentJoined || m instanceof SignalingMessage.Registered) {
                m = toReceiver.next(Duration.ofSeconds(10));
            }
            assertThat(m).isInstanceOf(SignalingMessage.Candidate.class);
            assertThat(((SignalingMessage.Candidate) m).candidate()).startsWith("candidate:" + i + " ");
        }
        CompletableFuture.allOf(candidates.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(sender.outboundQueued()).isZero();
    }
}
