package io.jrtc.demo;

import io.jrtc.sctp.SctpAssociation;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.SctpState;
import io.jrtc.sctp.SctpStats;
import io.jrtc.sctp.SendOptions;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a transfer through two jrtc SCTP cores over testkit's network emulator (virtual time, seeded, no sockets)
 * and reports goodput, retransmissions and RTT. {@link #run(Params)} is the reusable entry point (the {@code jrtc}
 * CLI calls it); {@link #main} parses {@code key=value} arguments and logs the result.
 *
 * <p>Example: {@code java -cp perf/target/benchmarks.jar io.jrtc.demo.SctpDemo bytes=10000000 rttMs=50 loss=0.01}
 */
public final class SctpDemo {

    private static final Logger LOG = LoggerFactory.getLogger(SctpDemo.class);

    private SctpDemo() {
    }

    /**
     * One transfer.
     *
     * @param bytes            user bytes to transfer, reliable and ordered
     * @param messageSize      size of each message
     * @param rtt              round-trip propagation delay (half each way)
     * @param loss             random loss probability, each direction
     * @param rateBitsPerSecond bottleneck rate, each direction (0: unlimited)
     * @param queueBytes       bottleneck queue; 0 means one bandwidth-delay product (at least 64 KiB)
     * @param initialCwndMtus  0 for RFC 9260's initial window, else that many MTUs (browsers use 10)
     * @param seed             seeds the emulator and both cores
     * @param hystart          HyStart++ on the initial slow start
     * @param jumpStart        the paced jump start (see the sctp README); false gives RFC 9260's slow start
     * @param jitter           delay jitter each way, uniform in [-jitter, +jitter]; testkit's jitter never reorders,
     *                         so it bunches packets (and SACKs) together
     */
    public record Params(long bytes, int messageSize, Duration rtt, double loss, long rateBitsPerSecond, int queueBytes,
            int initialCwndMtus, long seed, boolean hystart, boolean jumpStart, Duration jitter) {

        public Params(long bytes, int messageSize, Duration rtt, double loss, long rateBitsPerSecond, int queueBytes,
                int initialCwndMtus, long seed, boolean hystart, boolean jumpStart) {
            this(bytes, messageSize, rtt, loss, rateBitsPerSecond, queueBytes, initialCwndMtus, seed, hystart, jumpStart, Duration.ZERO);
        }

        public Params(long bytes, int messageSize, Duration rtt, double loss, long rateBitsPerSecond, int queueBytes,
                int initialCwndMtus, long seed) {
            this(bytes, messageSize, rtt, loss, rateBitsPerSecond, queueBytes, initialCwndMtus, seed, true, true);
        }

        public static Params defaults() {
            return new Params(10_000_000, 64 * 1024, Duration.ofMillis(50), 0.0, 100_000_000, 0, 0, 1);
        }

        /** The bottleneck queue actually used. */
        public int effectiveQueueBytes() {
            if (queueBytes > 0) {
                return queueBytes;
            }
            long bdp = rateBitsPerSecond / 8 * rtt.toNanos() / 1_000_000_000L;
            return (int) Math.max(64 * 1024, bdp);
        }
    }

    /**
     * What happened.
     *
     * @param seconds         virtual time from the first send to the last byte delivered
     * @param goodputMbps     user bytes over {@code seconds}, in Mbit/s (whole transfer, startup included)
     * @param steadyStateMbps goodput of a second transfer of the same size right after the first, on the now warm
     *                        association (no slow start): the steady state
     * @param intact          the receiver's SHA-256 of the byte stream equals the sender's
     */
    public record Result(long bytes, long messages, double seconds, double goodputMbps, double steadyStateMbps,
            long packetsSent, long retransmittedChunks, long fastRetransmits, long t3Expiries, double srttMs, long finalCwnd,
            long linkLosses, long queueDrops, int queueBytes, boolean intact, long jumpStartRate, long jumpStartCwnd) {
    }

    public static Result run(Params p) {
        SctpConfig.Builder cfg = SctpConfig.builder().initialCwndMtus(p.initialCwndMtus()).hystart(p.hystart()).jumpStart(p.jumpStart())
                .maxMessageSize(Math.max(p.messageSize(), 1024));
        SctpAssociation a = new SctpAssociation(cfg.random(new SplittableRandom(p.seed())).build(), "demo-A");
        SctpAssociation b = new SctpAssociation(cfg.random(new SplittableRandom(p.seed() + 1)).build(), "demo-B");
        int queue = p.effectiveQueueBytes();
        NetemConfig link = NetemConfig.perfect().withDelay(p.rtt().dividedBy(2)).withLoss(p.loss());
        if (!p.jitter().isZero()) {
            link = link.withJitter(p.jitter());
        }
        if (p.rateBitsPerSecond() > 0) {
            link = link.withRate(p.rateBitsPerSecond(), queue);
        }
        BackToBack net = new BackToBack(a, b, link, link, p.seed());
        a.connect(net.now());
        b.connect(net.now());
        if (!net.runUntil(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(60))) {
            throw new IllegalStateException("handshake did not complete");
        }
        Transfer t = new Transfer(a, b, p, net, 0);
        net.onStep(t::step);
        t.start = net.now();
        t.feed();
        Duration limit = Duration.ofSeconds(Math.max(600, p.bytes() / 10_000));
        if (!net.runUntil(() -> t.received >= p.bytes(), limit)) {
            throw new IllegalStateException("transfer did not finish within " + limit + " of virtual time: " + a.stats());
        }
        double seconds = (t.end - t.start) / 1e9;
        SctpStats s = a.stats();
        BackToBack.Direction fwd = BackToBack.Direction.A_TO_B;
        long lost = net.stats(fwd).lost();
        long queueDrops = net.stats(fwd).queueDrops();
        boolean intact = Arrays.equals(t.sentDigest.digest(), t.receivedDigest.digest());
        // the same again on the warm association: the steady state
        Transfer warm = new Transfer(a, b, p, net, 1);
        net.onStep(warm::step);
        warm.start = net.now();
        warm.feed();
        if (!net.runUntil(() -> warm.received >= p.bytes(), limit)) {
            throw new IllegalStateException("warm transfer did not finish within " + limit + " of virtual time: " + a.stats());
        }
        double warmSeconds = (warm.end - warm.start) / 1e9;
        return new Result(p.bytes(), t.messagesSent, seconds, p.bytes() * 8 / seconds / 1e6, p.bytes() * 8 / warmSeconds / 1e6,
                s.packetsSent(), s.retransmittedChunks(), s.fastRetransmits(), s.t3Expiries(), s.srttNanos() / 1e6, s.cwnd(), lost,
                queueDrops, queue, intact && Arrays.equals(warm.sentDigest.digest(), warm.receivedDigest.digest()),
                s.jumpStartRate(), s.jumpStartCwnd());
    }

    /** Feeds A as its send buffer allows and digests what B delivers. */
    private static final class Transfer {
        final SctpAssociation a;
        final SctpAssociation b;
        final Params p;
        final BackToBack net;
        final MessageDigest sentDigest = sha256();
        final MessageDigest receivedDigest = sha256();
        final SplittableRandom content;
        long queued;
        long received;
        long messagesSent;
        long start;
        long end;

        Transfer(SctpAssociation a, SctpAssociation b, Params p, BackToBack net, int round) {
            this.a = a;
            this.b = b;
            this.p = p;
            this.net = net;
            this.content = new SplittableRandom(p.seed() * 31 + round);
        }

        void feed() {
            long cap = a.config().maxSendBuffer() / 2;
            while (queued < p.bytes() && a.bufferedAmount() < cap) {
                int size = (int) Math.min(p.messageSize(), p.bytes() - queued);
                byte[] msg = new byte[size];
                content.nextBytes(msg);
                a.send(net.now(), 1, 53, ByteBuffer.wrap(msg), SendOptions.RELIABLE);
                sentDigest.update(msg);
                queued += size;
                messagesSent++;
            }
        }

        void step() {
            for (Optional<SctpEvent> e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
                if (e.get() instanceof SctpEvent.MessageReceived m) {
                    received += m.data().remaining();
                    receivedDigest.update(m.data());
                    if (received >= p.bytes()) {
                        end = net.now();
                    }
                }
            }
            while (a.pollEvent().isPresent()) {
                // buffered-amount events
            }
            feed();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Arguments: {@code bytes= messageSize= rttMs= loss= rateMbps= queueBytes= initialCwndMtus= seed= hystart= jumpStart=}. */
    public static void main(String[] args) {
        Params d = Params.defaults();
        long bytes = d.bytes();
        int messageSize = d.messageSize();
        long rttMs = d.rtt().toMillis();
        double loss = d.loss();
        long rate = d.rateBitsPerSecond();
        int queue = d.queueBytes();
        int iw = d.initialCwndMtus();
        long seed = d.seed();
        boolean hystart = d.hystart();
        boolean jumpStart = d.jumpStart();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            switch (kv[0]) {
                case "bytes" -> bytes = Long.parseLong(kv[1]);
                case "messageSize" -> messageSize = Integer.parseInt(kv[1]);
                case "rttMs" -> rttMs = Long.parseLong(kv[1]);
                case "loss" -> loss = Double.parseDouble(kv[1]);
                case "rateMbps" -> rate = (long) (Double.parseDouble(kv[1]) * 1_000_000);
                case "queueBytes" -> queue = Integer.parseInt(kv[1]);
                case "initialCwndMtus" -> iw = Integer.parseInt(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "hystart" -> hystart = Boolean.parseBoolean(kv[1]);
                case "jumpStart" -> jumpStart = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown parameter " + kv[0]);
            }
        }
        Params params = new Params(bytes, messageSize, Duration.ofMillis(rttMs), loss, rate, queue, iw, seed, hystart, jumpStart);
        Result r = run(params);
        LOG.info("{}", params);
        LOG.info("transferred {} bytes in {} messages over {} s of virtual time: goodput {} Mbit/s (warm association: {} Mbit/s)", r.bytes(),
                r.messages(), String.format("%.3f", r.seconds()), String.format("%.1f", r.goodputMbps()),
                String.format("%.1f", r.steadyStateMbps()));
        LOG.info("packets sent {}, retransmitted chunks {} (fast retransmits {}, T3 expiries {}), srtt {} ms, link losses {}, "
                + "queue drops {} (queue {} bytes), intact {}", r.packetsSent(), r.retransmittedChunks(), r.fastRetransmits(),
                r.t3Expiries(), String.format("%.1f", r.srttMs()), r.linkLosses(), r.queueDrops(), r.queueBytes(), r.intact());
        if (r.jumpStartCwnd() > 0) {
            LOG.info("jump start: measured {} Mbit/s, cwnd set to {} bytes", String.format("%.1f", r.jumpStartRate() * 8 / 1e6),
                    r.jumpStartCwnd());
        }
    }
}
