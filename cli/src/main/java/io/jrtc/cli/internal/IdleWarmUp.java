package io.jrtc.cli.internal;

import io.jrtc.dtls.DtlsWarmUp;
import io.jrtc.peer.PeerConnection;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.signaling.client.SignalingCodec;
import io.jrtc.signaling.client.SignalingMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle-time JIT warm-up for a long-running agent ({@code jrtc echo}), on one background daemon thread after the agent
 * registered: in-memory DTLS handshakes in both roles ({@link DtlsWarmUp}) with signaling codec round trips, answers
 * to recorded offers of other stacks, then self-connections over loopback (SDP, ICE, SCTP, DCEP, data), so that the
 * code of a connection's set-up is
 * compiled before many remote peers have connected. The DTLS handshake is what stays slow longest in a young JVM
 * (measured: a handshake pair took about 10 ms after 30 handshakes and about 3 ms after 1,000), and an in-memory
 * handshake costs a tenth of a self-connection, so most of the repetitions are handshakes.
 *
 * <p>It yields to real work: before each handshake it waits while {@code busy} says connections are being set up, so
 * a remote peer's handshake never shares the CPU with more than one warm-up handshake (2-10 ms). Best effort: a
 * failure is logged once and ends it.
 */
final class IdleWarmUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWarmUp.class);
    private static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int CODEC_ROUNDS_PER_HANDSHAKE = 5;
    /**
     * Self-connections cost ~10x a handshake: one per ten handshakes keeps them about half of the warm-up's time. Their
     * echoes (20,000 for the default) get the data path compiled: without them the first 1,000-echo run had a p99 of
     * 0.94 ms against 0.21 ms in the next.
     */
    private static final int HANDSHAKES_PER_CONNECTION = 10;
    private static final int ECHOES_PER_CONNECTION = 200;
    /**
     * Answering an offer in memory costs 0.2-3 ms (hot to cold): one per handshake. In one JVM the answer path
     * (createPeerConnection, setRemoteDescription, createAnswer, setLocalDescription) takes its hot 0.2 ms only after
     * about a thousand answers (perf {@code AnswerPathTime}).
     */
    private static final int HANDSHAKES_PER_ANSWER = 1;
    private static final List<String> FOREIGN_OFFERS = List.of("chromium156-offer-datachannel.sdp",
            "firefox153-offer-datachannel.sdp", "pion3.1.56-offer-datachannel.sdp", "werift0.25.2-offer-datachannel-tcp.sdp");

    /** What a finished warm-up did. */
    record Completed(int handshakes, int offersAnswered, int selfConnections) {
    }

    private final Thread thread;
    private final Runnable onFinished;
    private volatile boolean closed;
    private volatile Completed completed;

    private IdleWarmUp(String agentId, PeerConnectionFactory factory, int handshakes, BooleanSupplier busy,
                       Consumer<DataChannel> answerer, Runnable onFinished) {
        this.onFinished = onFinished;
        thread = Thread.ofPlatform().daemon().name("jrtc-idle-warm-up")
                .unstarted(() -> run(agentId, factory, handshakes, busy, answerer));
    }

    /**
     * Starts the warm-up in the background: {@code handshakes} in-memory handshakes, then one self-connection (with
     * {@link #ECHOES_PER_CONNECTION} echoes) for every {@link #HANDSHAKES_PER_CONNECTION} of them. 0: none, and no
     * thread.
     */
    static IdleWarmUp start(String agentId, PeerConnectionFactory factory, int handshakes, BooleanSupplier busy) {
        return start(agentId, factory, handshakes, busy, null, () -> { });
    }

    /**
     * As above, with the self-connections' answering side echoing through {@code answerer} (the agent's own channel
     * code, {@code EchoAgent.warmUpChannelHandler()}), so the JIT compiles the path real echoes take.
     */
    static IdleWarmUp start(String agentId, PeerConnectionFactory factory, int handshakes, BooleanSupplier busy,
                            Consumer<DataChannel> answerer) {
        return start(agentId, factory, handshakes, busy, answerer, () -> { });
    }

    /** As above; {@code onFinished} runs on the warm-up thread when it has run to the end (not when closed early). */
    static IdleWarmUp start(String agentId, PeerConnectionFactory factory, int handshakes, BooleanSupplier busy,
                            Consumer<DataChannel> answerer, Runnable onFinished) {
        IdleWarmUp w = new IdleWarmUp(agentId, factory, handshakes, busy, answerer, onFinished);
        if (handshakes > 0) {
            w.thread.start();
        }
        return w;
    }

    private void run(String agentId, PeerConnectionFactory factory, int handshakes, BooleanSupplier busy,
                     Consumer<DataChannel> answerer) {
        long t0 = System.nanoTime();
        long[] waited = new long[1];
        int[] codec = new int[1];
        String sdp = sampleSdp();
        BooleanSupplier stop = () -> {
            long w0 = System.nanoTime();
            while (!closed && busy.getAsBoolean()) {
                LockSupport.parkNanos(BUSY_POLL_NANOS);
            }
            waited[0] += System.nanoTime() - w0;
            return closed;
        };
        int done = DtlsWarmUp.run(factory.defaultCertificate(), handshakes, () -> {
            codec[0] += codecRounds(sdp);
            return stop.getAsBoolean();
        });
        int answered = closed ? 0 : answerForeignOffers(factory, handshakes / HANDSHAKES_PER_ANSWER, stop);
        int connections = closed ? 0 : WarmUp.selfConnect(factory, handshakes / HANDSHAKES_PER_CONNECTION,
                ECHOES_PER_CONNECTION, answerer, stop);
        if (!closed) {
            LOG.info("echo {}: idle-time warm-up done: {} in-memory DTLS handshakes, {} foreign offers answered, {} "
                            + "self-connections and {} signaling codec round trips in {} ms (of which {} ms waiting for "
                            + "connections being set up)", agentId, done, answered, connections, codec[0],
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), TimeUnit.NANOSECONDS.toMillis(waited[0]));
            completed = new Completed(done, answered, connections);
            onFinished.run();
        }
    }

    /** What the warm-up did, once it has run to the end; null before. */
    Completed completed() {
        return completed;
    }

    /**
     * Answers real offers of other stacks (Chromium, Firefox, Pion, werift; resources {@code warm-up/}, without
     * candidates, so no check is ever sent) on throwaway peer connections bound to loopback: setRemoteDescription,
     * createAnswer, setLocalDescription, close. Returns how many were answered; a failure is logged and ends it.
     */
    private static int answerForeignOffers(PeerConnectionFactory factory, int count, BooleanSupplier stop) {
        List<String> offers = new ArrayList<>();
        for (String name : FOREIGN_OFFERS) {
            try (InputStream in = IdleWarmUp.class.getResourceAsStream("warm-up/" + name)) {
                if (in != null) {
                    offers.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                LOG.debug("warm-up offer {} unreadable: {}", name, e.toString());
            }
        }
        if (offers.isEmpty()) {
            return 0;
        }
        RtcConfiguration cfg = RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress()).build();
        int done = 0;
        try {
            for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
                PeerConnection pc = factory.createPeerConnection(cfg);
                try {
                    pc.setRemoteDescription(RtcSessionDescription.offer(offers.get(i % offers.size())))
                            .thenCompose(v -> pc.createAnswer())
                            .thenCompose(pc::setLocalDescription)
                            .get(5, TimeUnit.SECONDS);
                    done++;
                } finally {
                    pc.close();
                }
            }
        } catch (Exception e) {
            LOG.warn("warm-up: answering a foreign offer failed after {}: {}", done, e.toString());
        }
        return done;
    }

    /** Encodes and decodes an offer and a candidate as the signaling client does; returns the round trips made. */
    private static int codecRounds(String sdp) {
        try {
            for (int i = 0; i < CODEC_ROUNDS_PER_HANDSHAKE; i++) {
                SignalingCodec.decode(SignalingCodec.encode(new SignalingMessage.Offer("warm-up", "warm-up", sdp)));
                SignalingCodec.decode(SignalingCodec.encode(new SignalingMessage.Candidate("warm-up", "warm-up",
                        "candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host", "0", 0)));
            }
            return CODEC_ROUNDS_PER_HANDSHAKE;
        } catch (Exception e) {
            LOG.debug("signaling codec warm-up failed: {}", e.toString());
            return 0;
        }
    }

    private static String sampleSdp() {
        return String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "a=msid-semantic: WMS", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0", "a=ice-ufrag:wArM", "a=ice-pwd:warmupwarmupwarmupwarmup",
                "a=ice-options:trickle", "a=fingerprint:sha-256 "
                        + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144", "");
    }

    /** Stops the warm-up (at the next handshake boundary). */
    @Override
    public void close() {
        closed = true;
    }
}
