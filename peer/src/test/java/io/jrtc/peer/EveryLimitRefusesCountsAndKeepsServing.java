package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.sctp.SendBufferFullException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each {@link RtcLimits} limit over real UDP on 127.0.0.1: what is beyond it is refused with an error naming the limit
 * and counted in {@link PeerConnectionFactory#limitStats()} (exactly once: each test has its own factory), and the
 * connection (or factory) goes on serving legitimate traffic, checked by echoes compared byte for byte.
 */
class EveryLimitRefusesCountsAndKeepsServing {

    private static final RtcLimits DEFAULTS = RtcLimits.defaults();
    private static final int PORT_NOBODY_USES = 9; // discard: our checks to it go nowhere, on loopback

    @Test
    void theFactoryHoldsAtMostMaxPeerConnections() throws Exception {
        try (PeerConnectionFactory f = new PeerConnectionFactory(2)) {
            f.setLimits(DEFAULTS.withMaxPeerConnections(2));
            PeerConnection a = f.createPeerConnection(LoopbackPair.base().build());
            PeerConnection b = f.createPeerConnection(LoopbackPair.base().build());
            // a configuration's own limits do not lift the factory's cap
            RtcConfiguration generous = LoopbackPair.base().limits(DEFAULTS.withMaxPeerConnections(100)).build();
            assertThatThrownBy(() -> f.createPeerConnection(generous))
                    .isInstanceOfSatisfying(PeerConnectionException.LimitExceeded.class,
                            e -> assertThat(e.limit()).isEqualTo(RtcLimits.Limit.PEER_CONNECTIONS))
                    .hasMessage("this factory holds 2 peer connections, the limit (RtcLimits.maxPeerConnections);"
                            + " close one first");
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 1, 0, 0, 0, 0, 0, 0, 0, 0));

            try (LoopbackPair p = new LoopbackPair(a, b)) {
                echoOnNewChannel(p);
            }
            assertThat(f.limitStats().peerConnections()).isZero();
            f.createPeerConnection(LoopbackPair.base().build()).close();
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void channelsBeyondMaxDataChannelsAreRefusedLocallyAndResetWhenThePeerOpensThem() throws Exception {
        try (PeerConnectionFactory f = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(f, b -> b.limits(DEFAULTS.withMaxDataChannels(3)),
                        b -> b.limits(DEFAULTS.withMaxDataChannels(2)))) {
            List<String> accepted = new CopyOnWriteArrayList<>();
            p.answerer.onDataChannel(ch -> {
                accepted.add(ch.label());
                ch.onMessage(m -> ch.send(m.data().duplicate()));
            });
            DataChannel c0 = p.offerer.createDataChannel("c0");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, c0).get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> c2Closed = new CompletableFuture<>();
            DataChannel[] c = new DataChannel[3];
            c[0] = c0;
            CompletableFuture<Throwable> fourth = new CompletableFuture<>();
            p.offerer.execute(() -> {
                c[1] = p.offerer.createDataChannel("c1");
                c[2] = p.offerer.createDataChannel("c2");
                c[2].onClose(() -> c2Closed.complete(null));
                try {
                    p.offerer.createDataChannel("c3");
                    fourth.complete(null);
                } catch (RuntimeException e) {
                    fourth.complete(e);
                }
            });
            // the offerer holds 3 channels, its limit (in the same task: the answerer's refusal of c2 cannot come first)
            assertThat(fourth.get(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(PeerConnectionException.LimitExceeded.class,
                            e -> assertThat(e.limit()).isEqualTo(RtcLimits.Limit.DATA_CHANNELS))
                    .hasMessage("this connection has 3 data channels; the limit is 3 (RtcLimits.maxDataChannels)");
            // the answerer's limit is 2: it resets c2's stream, so c2 closes on the offerer without ever echoing
            c2Closed.get(10, TimeUnit.SECONDS);
            assertThat(accepted).containsExactly("c0", "c1");
            assertThat(f.limitStats().localDataChannelsRefused()).isEqualTo(1);
            assertThat(f.limitStats().remoteDataChannelsRefused()).isEqualTo(1);

            ChannelTraffic.opened(p.offerer, c[1]).get(10, TimeUnit.SECONDS);
            for (DataChannel ch : List.of(c[0], c[1])) {
                ChannelTraffic.echoBinary(p.offerer, ch, 20, i -> 100 + 37 * i, Duration.ofSeconds(10),
                        i -> ch.label() + " echo " + i);
            }
            // c2 is closed: the offerer has room again, and the answerer refuses the new one as it refused c2
            CompletableFuture<Void> c3Closed = new CompletableFuture<>();
            p.offerer.execute(() -> p.offerer.createDataChannel("c3").onClose(() -> c3Closed.complete(null)));
            c3Closed.get(10, TimeUnit.SECONDS);
            assertThat(accepted).containsExactly("c0", "c1");
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 1, 2, 0, 0, 0, 0, 0));
            p.assertConnected();
        }
    }

    @Test
    void aFloodOfChannelsFromThePeerIsResetCountedAndLoggedSparingly() throws Exception {
        int flood = 30;
        try (PeerConnectionFactory f = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(f, b -> b, b -> b.limits(DEFAULTS.withMaxDataChannels(1)));
                CapturedLog log = CapturedLog.start()) {
            p.answererEchoes();
            DataChannel first = p.offerer.createDataChannel("first");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, first).get(10, TimeUnit.SECONDS);
            CountDownLatch allClosed = new CountDownLatch(flood);
            p.offerer.execute(() -> {
                for (int i = 0; i < flood; i++) {
                    p.offerer.createDataChannel("flood-" + i).onClose(allClosed::countDown);
                }
            });
            assertThat(allClosed.await(20, TimeUnit.SECONDS)).as("every flooding channel reset").isTrue();
            assertThat(f.limitStats().remoteDataChannelsRefused()).isEqualTo(flood);
            String answererId = p.answerer.toString().substring(0, p.answerer.toString().indexOf('['));
            // logged at the 1st, 2nd, 3rd and 10th refusal, each with the running count
            assertThat(log.messages("WARN", answererId + ":", "opened by the peer refused")).hasSize(4)
                    .anySatisfy(l -> assertThat(l).contains("10 refused on this connection"));
            ChannelTraffic.echoBinary(p.offerer, first, 20, i -> 700 + i, Duration.ofSeconds(10), i -> "echo " + i);
            p.assertConnected();
        }
    }

    @Test
    void aRemoteDescriptionOverMaxRemoteDescriptionBytesIsRefusedAndA60KbOnePasses() throws Exception {
        try (PeerConnectionFactory f = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(f)) {
            p.answererEchoes();
            DataChannel ch = p.offerer.createDataChannel("big");
            RtcSessionDescription offer = p.offerer.createOffer().get(5, TimeUnit.SECONDS);
            p.offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);

            // 140,000 two-byte characters: under the limit in chars, 280,000+ bytes in UTF-8
            RtcSessionDescription huge = RtcSessionDescription.offer(offer.sdp() + "a=x-padding:" + "é".repeat(140_000) + "\r\n");
            int hugeBytes = huge.sdp().getBytes(StandardCharsets.UTF_8).length;
            assertThat(huge.sdp().length()).isLessThan(RtcLimits.DEFAULT_MAX_REMOTE_DESCRIPTION_BYTES);
            assertThatThrownBy(() -> p.answerer.setRemoteDescription(huge).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(PeerConnectionException.InvalidDescription.class)
                    .hasMessage("the remote offer is " + hugeBytes + " bytes; the limit is 262144"
                            + " (RtcLimits.maxRemoteDescriptionBytes)");
            assertThat(p.answerer.signalingState()).isEqualTo(RtcSignalingState.STABLE);
            assertThat(f.limitStats().remoteDescriptionsTooLarge()).isEqualTo(1);

            RtcSessionDescription sixtyKb = padded(offer, 60_000);
            assertThat(sixtyKb.sdp().getBytes(StandardCharsets.UTF_8).length).isGreaterThanOrEqualTo(60_000);
            answerAndApply(p, sixtyKb);
            ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
            ChannelTraffic.echoBinary(p.offerer, ch, 20, i -> 1000 + i, Duration.ofSeconds(10), i -> "echo " + i);
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 0, 0, 1, 0, 0, 0, 0));
        }
    }

    @Test
    void candidatesBeyondMaxRemoteCandidatesInADescriptionOrTrickledAreRefused() throws Exception {
        try (PeerConnectionFactory f = new PeerConnectionFactory(2)) {
            PeerConnection offerer = f.createPeerConnection(LoopbackPair.base().build());
            PeerConnection answerer = f.createPeerConnection(LoopbackPair.base()
                    .limits(DEFAULTS.withMaxRemoteCandidates(4)).build());
            try (offerer; answerer) {
                answerer.onIceCandidate(offerer::addIceCandidate);
                answerer.onDataChannel(c -> c.onMessage(m -> c.send(m.data().duplicate())));
                List<RtcIceCandidate> offererCandidates = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> gathered = new CompletableFuture<>();
                offerer.onIceCandidate(c -> {
                    if (c.isEndOfCandidates()) {
                        gathered.complete(null);
                    } else {
                        offererCandidates.add(c);
                    }
                });
                DataChannel ch = offerer.createDataChannel("cands");
                RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
                offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);

                RtcSessionDescription five = withFakeCandidates(offer, 5);
                assertThatThrownBy(() -> answerer.setRemoteDescription(five).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOf(PeerConnectionException.InvalidDescription.class)
                        .hasMessage("the remote offer has more than 4 a=candidate lines; the limit is 4"
                                + " (RtcLimits.maxRemoteCandidates)");
                assertThat(f.limitStats().remoteDescriptionsWithTooManyCandidates()).isEqualTo(1);

                // four in the description are fine; trickling counts separately, per remote ICE generation
                RtcSessionDescription answer = answer(answerer, withFakeCandidates(offer, 4));
                offerer.setRemoteDescription(answer).get(5, TimeUnit.SECONDS);
                gathered.get(5, TimeUnit.SECONDS);
                assertThat(offererCandidates).isNotEmpty().hasSizeLessThanOrEqualTo(4);
                for (RtcIceCandidate c : offererCandidates) {
                    answerer.addIceCandidate(c).get(5, TimeUnit.SECONDS);
                }
                int fakes = 0;
                while (offererCandidates.size() + fakes < 4) {
                    answerer.addIceCandidate(fake(offer, 100 + fakes++)).get(5, TimeUnit.SECONDS);
                }
                assertThatThrownBy(() -> answerer.addIceCandidate(fake(offer, 200)).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOfSatisfying(PeerConnectionException.LimitExceeded.class,
                                e -> assertThat(e.limit()).isEqualTo(RtcLimits.Limit.REMOTE_CANDIDATES))
                        .hasMessage("already 4 candidates trickled for remote ufrag " + ufrag(offer)
                                + "; the limit is 4 (RtcLimits.maxRemoteCandidates)");
                // end-of-candidates is not a candidate
                answerer.addIceCandidate(new RtcIceCandidate("", "0", 0)).get(5, TimeUnit.SECONDS);

                ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
                ChannelTraffic.echoBinary(offerer, ch, 20, i -> 300 + i, Duration.ofSeconds(10), i -> "echo " + i);
                assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 0, 0, 0, 1, 1, 0, 0));
            }
        }
    }

    @Test
    void candidatesBeyondMaxQueuedRemoteCandidatesBeforeTheDescriptionAreRefused() throws Exception {
        try (PeerConnectionFactory f = new PeerConnectionFactory(2)) {
            PeerConnection offerer = f.createPeerConnection(LoopbackPair.base().build());
            PeerConnection answerer = f.createPeerConnection(LoopbackPair.base()
                    .limits(DEFAULTS.withMaxQueuedRemoteCandidates(2)).build());
            try (offerer; answerer) {
                answerer.onIceCandidate(offerer::addIceCandidate);
                answerer.onDataChannel(c -> c.onMessage(m -> c.send(m.data().duplicate())));
                List<RtcIceCandidate> offererCandidates = new CopyOnWriteArrayList<>();
                offerer.onIceCandidate(offererCandidates::add);
                DataChannel ch = offerer.createDataChannel("queued");
                RtcSessionDescription offer = offerer.createOffer().get(5, TimeUnit.SECONDS);
                offerer.setLocalDescription(offer).get(5, TimeUnit.SECONDS);

                answerer.addIceCandidate(fake(offer, 1)).get(5, TimeUnit.SECONDS);
                answerer.addIceCandidate(fake(offer, 2)).get(5, TimeUnit.SECONDS);
                assertThatThrownBy(() -> answerer.addIceCandidate(fake(offer, 3)).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOfSatisfying(PeerConnectionException.LimitExceeded.class,
                                e -> assertThat(e.limit()).isEqualTo(RtcLimits.Limit.QUEUED_REMOTE_CANDIDATES))
                        .hasMessage("already 2 candidates wait for the remote description; the limit is 2"
                                + " (RtcLimits.maxQueuedRemoteCandidates)");
                assertThat(f.limitStats().queuedRemoteCandidatesRefused()).isEqualTo(1);

                // the two queued ones are applied with the offer; the real ones trickle after it
                offerer.setRemoteDescription(answer(answerer, offer)).get(5, TimeUnit.SECONDS);
                offerer.onIceCandidate(answerer::addIceCandidate);
                offerer.execute(() -> offererCandidates.forEach(answerer::addIceCandidate));

                ChannelTraffic.opened(offerer, ch).get(10, TimeUnit.SECONDS);
                ChannelTraffic.echoBinary(offerer, ch, 20, i -> 500 + i, Duration.ofSeconds(10), i -> "echo " + i);
                assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 0, 0, 0, 0, 0, 1, 0));
            }
        }
    }

    @Test
    void sendsBeyondMaxBufferedBytesAcrossTheConnectionsChannelsThrowSendBufferFull() throws Exception {
        long limit = 300 * 1024;
        try (PeerConnectionFactory f = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(f, b -> b.limits(DEFAULTS.withMaxBufferedBytes(limit)), b -> b)) {
            DataChannel[] ab = twoOpenChannels(p);
            DataChannel a = ab[0];
            DataChannel b = ab[1];
            List<String> echoed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> fourEchoes = countEchoes(p, echoed, 4, a, b);
            // within one task on the loop nothing is handed to the network: 4 x 64 KiB fit in 300 KiB, a 5th does not,
            // whichever channel it is sent on
            List<Object> results = burstOnTheLoop(p.offerer, a, b, a, b, b);
            assertThat(results.subList(0, 4)).containsExactly("a sent", "b sent", "a sent", "b sent");
            assertThat(results.get(4)).isInstanceOfSatisfying(SendBufferFullException.class, e -> assertThat(e)
                    .hasMessage("send buffer full: 262144 bytes queued + 65536 exceeds the limit of 307200"));

            fourEchoes.get(10, TimeUnit.SECONDS);
            assertThat(echoed).containsExactlyInAnyOrder("a:65536", "a:65536", "b:65536", "b:65536");
            ChannelTraffic.echoBinary(p.offerer, b, 20, i -> 10_000 + i, Duration.ofSeconds(10), i -> "echo " + i);
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 0, 0, 0, 0, 0, 0, 1));
            assertThat(p.offerer.getStats().get(5, TimeUnit.SECONDS).first(RtcStats.SctpTransport.class)).isPresent();
        }
    }

    @Test
    void oneChannelBeyondMaxBufferedBytesPerChannelIsRefusedWhileAnotherSends() throws Exception {
        long perChannel = 300 * 1024;
        try (PeerConnectionFactory f = new PeerConnectionFactory(2);
                LoopbackPair p = new LoopbackPair(f, b -> b.limits(DEFAULTS.withMaxBufferedBytesPerChannel(perChannel)), b -> b)) {
            DataChannel[] ab = twoOpenChannels(p);
            DataChannel a = ab[0];
            DataChannel b = ab[1];
            List<String> echoed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> eightEchoes = countEchoes(p, echoed, 8, a, b);
            // within one task nothing leaves: 4 x 64 KiB fit in channel a's 300 KiB, a 5th does not; b has its own
            List<Object> results = burstOnTheLoop(p.offerer, a, a, a, a, a, b, b, b, b);
            assertThat(results.subList(0, 4)).containsOnly("a sent");
            assertThat(results.get(4)).isInstanceOfSatisfying(SendBufferFullException.class, e -> assertThat(e)
                    .hasMessage("send buffer of data channel 'a' full: 262144 bytes queued + 65536 exceeds its limit of 307200"));
            assertThat(results.subList(5, 9)).containsOnly("b sent");
            eightEchoes.get(10, TimeUnit.SECONDS);
            assertThat(echoed).hasSize(8);
            assertThat(f.limitStats()).isEqualTo(new RtcLimitStats(2, 0, 0, 0, 0, 0, 0, 0, 0, 1));
            ChannelTraffic.echoBinary(p.offerer, a, 20, i -> 10_000 + i, Duration.ofSeconds(10), i -> "echo " + i);
        }
    }

    /** Channels "a" and "b" from the offerer to an echoing answerer, negotiated and open. */
    private static DataChannel[] twoOpenChannels(LoopbackPair p) throws Exception {
        p.answererEchoes();
        DataChannel a = p.offerer.createDataChannel("a");
        DataChannel b = p.offerer.createDataChannel("b");
        p.negotiate();
        ChannelTraffic.opened(p.offerer, a).get(10, TimeUnit.SECONDS);
        ChannelTraffic.opened(p.offerer, b).get(10, TimeUnit.SECONDS);
        return new DataChannel[] {a, b};
    }

    /** Records each echo on {@code channels} as {@code label:size}; completes once {@code n} have come back. */
    private static CompletableFuture<Void> countEchoes(LoopbackPair p, List<String> echoed, int n, DataChannel... channels) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (DataChannel ch : channels) {
            p.offerer.execute(() -> ch.onMessage(m -> {
                echoed.add(ch.label() + ":" + m.size());
                if (echoed.size() == n) {
                    done.complete(null);
                }
            }));
        }
        return done;
    }

    /**
     * Sends one 64 KiB message on each channel of {@code order}, all within one task on the loop (so nothing is
     * handed to the network in between); each result is "label sent" or the exception the send threw.
     */
    private static List<Object> burstOnTheLoop(PeerConnection pc, DataChannel... order) throws Exception {
        CompletableFuture<List<Object>> burst = new CompletableFuture<>();
        pc.execute(() -> {
            List<Object> results = new ArrayList<>();
            for (DataChannel ch : order) {
                try {
                    ch.send(ByteBuffer.wrap(ChannelTraffic.payload(ch.label(), results.size(), 65_536, true)));
                    results.add(ch.label() + " sent");
                } catch (RuntimeException e) {
                    results.add(e);
                }
            }
            burst.complete(results);
        });
        return burst.get(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ helpers

    /** Opens a channel on a fresh pair, negotiates, and echoes 20 messages byte for byte. */
    private static void echoOnNewChannel(LoopbackPair p) throws Exception {
        p.answererEchoes();
        DataChannel ch = p.offerer.createDataChannel("legit");
        p.negotiate();
        ChannelTraffic.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
        ChannelTraffic.echoBinary(p.offerer, ch, 20, i -> 50 + i, Duration.ofSeconds(10), i -> "echo " + i);
        p.assertConnected();
    }

    /** The answerer takes {@code offer} and answers; the offerer applies the answer. */
    private static void answerAndApply(LoopbackPair p, RtcSessionDescription offer) throws Exception {
        p.offerer.setRemoteDescription(answer(p.answerer, offer)).get(5, TimeUnit.SECONDS);
    }

    private static RtcSessionDescription answer(PeerConnection answerer, RtcSessionDescription offer) throws Exception {
        answerer.setRemoteDescription(offer).get(5, TimeUnit.SECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(5, TimeUnit.SECONDS);
        answerer.setLocalDescription(answer).get(5, TimeUnit.SECONDS);
        return answer;
    }

    /** {@code offer} with unknown attribute lines appended (to its last m-section) up to {@code bytes}. */
    private static RtcSessionDescription padded(RtcSessionDescription offer, int bytes) {
        StringBuilder sdp = new StringBuilder(offer.sdp());
        for (int i = 0; sdp.length() < bytes; i++) {
            sdp.append("a=x-padding-").append(i).append(':').append("p".repeat(500)).append("\r\n");
        }
        return RtcSessionDescription.offer(sdp.toString());
    }

    /** {@code offer} with {@code n} host candidates to a loopback port nobody listens on. */
    private static RtcSessionDescription withFakeCandidates(RtcSessionDescription offer, int n) {
        StringBuilder sdp = new StringBuilder(offer.sdp());
        for (int i = 0; i < n; i++) {
            sdp.append("a=").append(fakeLine(i)).append("\r\n");
        }
        return RtcSessionDescription.offer(sdp.toString());
    }

    private static RtcIceCandidate fake(RtcSessionDescription offer, int i) {
        return new RtcIceCandidate(fakeLine(i), "0", 0, ufrag(offer));
    }

    private static String fakeLine(int i) {
        return "candidate:f" + i + " 1 udp " + (100 + i) + " 127.0.0.1 " + PORT_NOBODY_USES + " typ host";
    }

    private static String ufrag(RtcSessionDescription d) {
        for (String line : d.sdp().split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return line.substring("a=ice-ufrag:".length());
            }
        }
        throw new AssertionError("no ufrag in " + d.sdp());
    }
}
