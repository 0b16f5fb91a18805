package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Candidate batching (protocol 1, revision 3) against a real server: 300 candidates sent at once by a batching
 * client reach a batching recipient and a recipient without the feature whole and in order (the server unrolls
 * for the latter), and the server charges and counts a handful of messages instead of 300. A client whose server
 * does not announce batches sends single candidates. End-of-candidates travels inside a batch.
 */
class ClientCoalescesCandidatesIntoBatchesAndUnrollsThem {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCoalescesCandidatesIntoBatchesAndUnrollsThem.class);
    private static final int N = 300;

    private final TestServers t = new TestServers();
    private final EventLoopGroup senderLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void tearDown() {
        t.close();
        senderLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** The server of the existing pacing test: 200/s, burst 40, no backlog (over budget = refused). */
    private SignalingServer server(boolean batches) {
        return t.start(SignalingServerConfig.builder().rateLimit(200, 40).maxBacklogMessages(0)
                .candidateBatches(batches));
    }

    private SignalingClient sender(SignalingServer s, boolean batching) {
        return t.client(SignalingClientConfig.builder(TestServers.uri(s), "mesh-joiner").eventLoopGroup(senderLoop)
                .maxQueuedMessages(1000).candidateBatching(batching));
    }

    private static String candidate(int i) {
        return i == N - 1 ? "" : "candidate:" + i + " 1 udp 2130706431 127.0.0.1 " + (20000 + i) + " typ host";
    }

    /** 300 calls of sendCandidate inside one task on the sender's loop (as an agent's ICE callbacks would). */
    private List<CompletableFuture<Void>> sendFromTheLoop(SignalingClient sender, String to) throws Exception {
        return senderLoop.next().submit(() -> {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                sent.add(sender.sendCandidate(to, candidate(i), "0", 0));
            }
            return sent;
        }).get(5, TimeUnit.SECONDS);
    }

    private static void allArriveInOrder(Inbox<SignalingMessage> inbox, String from) throws InterruptedException {
        for (int i = 0; i < N; i++) {
            SignalingMessage.Candidate c = inbox.next(SignalingMessage.Candidate.class, Duration.ofSeconds(10));
            assertThat(c.from()).isEqualTo(from);
            assertThat(c.sdpMid()).isEqualTo("0");
            assertThat(c.sdpMLineIndex()).isZero();
            if (i == N - 1) {
                assertThat(c.isEndOfCandidates()).as("end-of-candidates, the last element of the last batch").isTrue();
            } else {
                assertThat(c.candidate()).isEqualTo(candidate(i));
            }
        }
    }

    static double metric(SignalingServer s, String series) {
        for (String line : s.scrapeMetrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }

    static double relayed(SignalingServer s, String type) {
        return metric(s, "jrtc_signaling_messages_relayed_total{type=\"" + type + "\"}");
    }

    private static void noErrorCameBack(Inbox<SignalingMessage> toSender) throws InterruptedException {
        SignalingMessage late = toSender.poll(Duration.ofMillis(200));
        while (late instanceof SignalingMessage.Registered || late instanceof SignalingMessage.AgentJoined) {
            late = toSender.poll(Duration.ofMillis(200));
        }
        assertThat(late).as("no error came back").isNull();
    }

    @Test
    void threeHundredReachABatchingRecipientInFiveMessages() throws Exception {
        SignalingServer s = server(true);
        SignalingClient sender = sender(s, true);
        SignalingClient receiver = t.client(TestServers.uri(s), "neighbour");
        Inbox<SignalingMessage> toSender = new Inbox<>();
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        sender.onMessage(toSender);
        receiver.onMessage(toReceiver);
        SignalingMessage.Registered r = sender.connect().get(10, TimeUnit.SECONDS);
        assertThat(r.features()).containsExactly("candidates", "link_report", "presence");
        assertThat(r.maxBatchCandidates()).isEqualTo(64);
        receiver.connect().get(10, TimeUnit.SECONDS);

        List<CompletableFuture<Void>> sent = sendFromTheLoop(sender, "neighbour");
        allArriveInOrder(toReceiver, "mesh-joiner");
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        noErrorCameBack(toSender);
        // 64 + 64 + 64 + 64 + 44: five messages charged and relayed, delivered as five batches
        assertThat(relayed(s, "candidates")).isEqualTo(5);
        assertThat(relayed(s, "candidate")).isZero();
        assertThat(metric(s, "jrtc_signaling_batched_candidates_total")).isEqualTo(N);
        assertThat(metric(s, "jrtc_signaling_unrolled_batches_total")).isZero();
        assertThat(metric(s, "jrtc_signaling_errors_total{code=\"rate_limited\"}")).isZero();
        assertThat(sender.outboundQueued()).isZero();
    }

    @Test
    void threeHundredReachARecipientWithoutTheFeatureAsSingleCandidates() throws Exception {
        SignalingServer s = server(true);
        SignalingClient sender = sender(s, true);
        SignalingClient receiver = t.client(SignalingClientConfig.builder(TestServers.uri(s), "old-agent")
                .candidateBatching(false));
        Inbox<SignalingMessage> toSender = new Inbox<>();
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        sender.onMessage(toSender);
        receiver.onMessage(toReceiver);
        sender.connect().get(10, TimeUnit.SECONDS);
        receiver.connect().get(10, TimeUnit.SECONDS);

        List<SignalingMessage.Candidate> list = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            list.add(new SignalingMessage.Candidate("ignored", candidate(i), "0", 0));
        }
        CompletableFuture<Void> sent = sender.sendCandidates("old-agent", list); // from the test thread, at once
        allArriveInOrder(toReceiver, "mesh-joiner");
        sent.get(5, TimeUnit.SECONDS);
        noErrorCameBack(toSender);
        assertThat(relayed(s, "candidates")).isEqualTo(5);
        assertThat(relayed(s, "candidate")).isZero();
        assertThat(metric(s, "jrtc_signaling_unrolled_batches_total")).as("the server unrolled each batch").isEqualTo(5);
    }

    @Test
    void sendCandidateFromAnotherThreadIsCoalescedToo() throws Exception {
        SignalingServer s = server(true);
        SignalingClient sender = sender(s, true);
        SignalingClient receiver = t.client(TestServers.uri(s), "neighbour");
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        receiver.onMessage(toReceiver);
        sender.connect().get(10, TimeUnit.SECONDS);
        receiver.connect().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            sent.add(sender.sendCandidate("neighbour", candidate(i), "0", 0));
        }
        allArriveInOrder(toReceiver, "mesh-joiner");
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        double batches = relayed(s, "candidates");
        double singles = relayed(s, "candidate");
        LOG.info("300 candidates from the test thread: {} batches and {} single candidates charged", batches, singles);
        assertThat(batches + singles).isLessThan(N / 2.0);
        assertThat(metric(s, "jrtc_signaling_batched_candidates_total") + singles).isEqualTo(N);
    }

    @Test
    void withoutBatchingEachCandidateIsOneMessage() throws Exception {
        // the "before": the same 300 from a client with batching off cost 300 messages
        SignalingServer s = server(true);
        SignalingClient sender = sender(s, false);
        SignalingClient receiver = t.client(TestServers.uri(s), "neighbour");
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        receiver.onMessage(toReceiver);
        sender.connect().get(10, TimeUnit.SECONDS);
        receiver.connect().get(10, TimeUnit.SECONDS);
        sendFromTheLoop(sender, "neighbour");
        allArriveInOrder(toReceiver, "mesh-joiner");
        assertThat(relayed(s, "candidate")).isEqualTo(N);
        assertThat(relayed(s, "candidates")).isZero();
    }

    @Test
    void aServerThatDoesNotAnnounceBatchesGetsSingleCandidates() throws Exception {
        SignalingServer s = server(false);
        SignalingClient sender = sender(s, true);
        SignalingClient receiver = t.client(TestServers.uri(s), "neighbour");
        Inbox<SignalingMessage> toSender = new Inbox<>();
        Inbox<SignalingMessage> toReceiver = new Inbox<>();
        sender.onMessage(toSender);
        receiver.onMessage(toReceiver);
        SignalingMessage.Registered r = sender.connect().get(10, TimeUnit.SECONDS);
        assertThat(r.features()).doesNotContain("candidates");
        assertThat(r.acceptsCandidateBatches()).isFalse();
        receiver.connect().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> sent = sendFromTheLoop(sender, "neighbour");
        allArriveInOrder(toReceiver, "mesh-joiner");
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        noErrorCameBack(toSender);
        assertThat(relayed(s, "candidate")).isEqualTo(N);
        assertThat(relayed(s, "candidates")).isZero();
    }

    @Test
    void coalescingDoesNotMakeTheQueueLookFullToOfferShedding() throws Exception {
        // a queue of 20: offers are shed once 10 messages wait. Ten candidates and then an offer, in one loop
        // task, with tokens to spare: the candidates must not sit in the queue long enough to shed the offer.
        SignalingServer s = t.start(SignalingServerConfig.builder());
        SignalingClient sender = t.client(SignalingClientConfig.builder(TestServers.uri(s), "answerer")
                .eventLoopGroup(senderLoop).maxQueuedMessages(20));
        SignalingClient b = t.client(TestServers.uri(s), "b");
        Inbox<SignalingMessage> toB = new Inbox<>();
        b.onMessage(toB);
        sender.connect().get(10, TimeUnit.SECONDS);
        b.connect().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> offer = senderLoop.next().submit(() -> {
            for (int i = 0; i < 10; i++) {
                sender.sendCandidate("b", "candidate:" + i, "0", 0);
            }
            return sender.sendOffer("b", "v=0 next");
        }).get(5, TimeUnit.SECONDS);
        offer.get(5, TimeUnit.SECONDS);
        assertThat(sender.shedOffers()).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(toB.next(SignalingMessage.Candidate.class).candidate()).isEqualTo("candidate:" + i);
        }
        assertThat(toB.next(SignalingMessage.Offer.class).sdp()).isEqualTo("v=0 next");
        assertThat(relayed(s, "candidates")).as("batches of a quarter of the queue").isEqualTo(2);
    }

    @Test
    void aCandidateNeverOvertakesAnOfferToItsRecipient() throws Exception {
        // all seven are queued in one loop task, before the first pump, so the pump sees the whole sequence
        SignalingServer s = t.start(SignalingServerConfig.builder().rateLimit(20, 4).maxBacklogMessages(0));
        SignalingClient sender = sender(s, true);
        SignalingClient b = t.client(TestServers.uri(s), "b");
        SignalingClient c = t.client(TestServers.uri(s), "c");
        Inbox<SignalingMessage> toB = new Inbox<>();
        Inbox<SignalingMessage> toC = new Inbox<>();
        b.onMessage(toB);
        c.onMessage(toC);
        sender.connect().get(10, TimeUnit.SECONDS);
        b.connect().get(10, TimeUnit.SECONDS);
        c.connect().get(10, TimeUnit.SECONDS);
        // b: cand0 cand1 offer cand2 cand3 ; c: cand0 cand1 interleaved
        senderLoop.next().submit(() -> {
            sender.sendCandidate("b", "candidate:b0", "0", 0);
            sender.sendCandidate("c", "candidate:c0", "0", 0);
            sender.sendCandidate("b", "candidate:b1", "0", 0);
            sender.sendOffer("b", "v=0 re-offer");
            sender.sendCandidate("c", "candidate:c1", "0", 0);
            sender.sendCandidate("b", "candidate:b2", "0", 0);
            sender.sendCandidate("b", "candidate:b3", "0", 0);
        }).get(5, TimeUnit.SECONDS);
        List<String> atB = new ArrayList<>();
        while (atB.size() < 5) {
            SignalingMessage m = toB.next(Duration.ofSeconds(10));
            if (m instanceof SignalingMessage.Candidate k) {
                atB.add(k.candidate());
            } else if (m instanceof SignalingMessage.Offer o) {
                atB.add(o.sdp());
            }
        }
        assertThat(atB).containsExactly("candidate:b0", "candidate:b1", "v=0 re-offer", "candidate:b2",
                "candidate:b3");
        assertThat(toC.next(SignalingMessage.Candidate.class).candidate()).isEqualTo("candidate:c0");
        assertThat(toC.next(SignalingMessage.Candidate.class).candidate()).isEqualTo("candidate:c1");
        // b0+b1, c0+c1, b2+b3 are batches; the offer is on its own
        assertThat(relayed(s, "candidates")).isEqualTo(3);
        assertThat(relayed(s, "offer")).isEqualTo(1);
        assertThat(relayed(s, "candidate")).isZero();
    }
}
