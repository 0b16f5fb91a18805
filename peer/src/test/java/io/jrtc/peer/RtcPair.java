package io.jrtc.peer;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.DtlsState;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceRole;
import io.jrtc.ice.IceTransmit;
import io.jrtc.ice.SocketId;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.NetemLink;
import io.jrtc.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Two {@link RtcCore}s back to back through two {@link NetemLink}s on a {@link VirtualClock}: the peer connection's
 * counterpart of testkit's {@code BackToBack} (which drives one {@code DatagramCore} per side; an {@code RtcCore} has
 * addresses, and lives in {@code peer}, whose tests depend on testkit, so the driver is here).
 *
 * <p>Signaling is immediate: credentials, fingerprints and DTLS roles are exchanged at construction (A offers: ICE
 * controlling, DTLS server; B answers: DTLS client), and every local candidate reaches the other side at the instant
 * it is gathered.
 *
 * <p>DTLS's blocking handshake runs on a virtual thread whose scheduler is this driver
 * ({@link HandshakeThreads#onLoop} with a queue as its loop): its continuations run on the test thread, inline, before
 * the driver looks at the cores again, so a handshake is processed at one virtual instant and deterministically. The
 * one part left on the real clock is BouncyCastle's retransmission timer: while a handshake is under way and nothing
 * is in flight on either link (a flight was lost), the virtual clock follows the real one until BouncyCastle
 * retransmits. Runs without a lost handshake datagram are deterministic (the same seed gives the same
 * {@link #traceDigest()}) unless the driver's thread ran no continuation for 20 ms and {@code HandshakeThreads}' rescue
 * thread ran it instead ({@link HandshakeThreads#rescuedResumptions()} counts those; a loaded machine can cause it).
 */
final class RtcPair {

    enum Dir { A_TO_B, B_TO_A }

    /** Decides whether a datagram is dropped before the link sees it; {@code index} counts per direction from 0. */
    @FunctionalInterface
    interface Filter {
        boolean drop(Dir dir, int index, ByteBuffer datagram);
    }

    /** One side: its core, its address, what it reported. */
    static final class Side {
        final String name;
        final RtcCore core;
        final InetSocketAddress address;
        final List<RtcEvent> events = new ArrayList<>();
        /** When each connection state was first reported (virtual time). */
        final java.util.Map<RtcPeerConnectionState, Long> stateTimes = new java.util.EnumMap<>(RtcPeerConnectionState.class);
        Consumer<RtcEvent> listener = e -> { };

        Side(String name, RtcCore core, InetSocketAddress address) {
            this.name = name;
            this.core = core;
            this.address = address;
        }

        @SuppressWarnings("unchecked")
        <T extends RtcEvent> List<T> events(Class<T> type) {
            return (List<T>) events.stream().filter(type::isInstance).toList();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final DtlsCertificate CERT_A = DtlsCertificate.generate("rtc-pair-a");
    static final DtlsCertificate CERT_B = DtlsCertificate.generate("rtc-pair-b");
    private static final SocketId SOCKET = SocketId.udp(0);
    /** The longest real wait for a stalled handshake's retransmission, per step. */
    private static final long REAL_WAIT_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    final VirtualClock clock = new VirtualClock(1_000_000_000L);
    final Side a;
    final Side b;
    private final NetemLink aToB;
    private final NetemLink bToA;
    private final ConcurrentLinkedQueue<Runnable> continuations = new ConcurrentLinkedQueue<>();
    private final Semaphore continued = new Semaphore(0);
    private final MessageDigest trace;
    private Filter filter = (d, i, p) -> false;
    private boolean linkDown;
    private int sentAToB;
    private int sentBToA;
    private long realWaitNanos;
    /** Runs in {@link #settle()} after handshake continuations ran, before the cores are looked at again. */
    Runnable afterContinuations = () -> { };
    /** A readable line per datagram (what the digest covers), when asked for: to find where two runs part. */
    List<String> lines;

    /** A pair with default tunings except those given (null: defaults), links as given, all randomness from {@code seed}. */
    RtcPair(long seed, NetemConfig aToB, NetemConfig bToA, IceConfig ice, DtlsConfig dtls) {
        if (!HandshakeThreads.loopCarrierAvailable()) {
            throw new IllegalStateException("the driver needs loop-carried handshakes (--add-opens java.base/java.lang)");
        }
        try {
            this.trace = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.aToB = new NetemLink(aToB, seed * 0x9E3779B97F4A7C15L + 1);
        this.bToA = new NetemLink(bToA, seed * 0xC2B2AE3D27D4EB4FL + 2);
        Executor handshakes = HandshakeThreads.onLoop(task -> {
            continuations.add(task);
            continued.release();
        });
        this.a = side("A", seed * 31 + 1, ice, dtls, IceRole.CONTROLLING, CERT_A, addr("10.0.0.1", 40000), handshakes);
        this.b = side("B", seed * 31 + 2, ice, dtls, IceRole.CONTROLLED, CERT_B, addr("10.0.0.2", 40000), handshakes);
        long now = clock.now();
        a.core.setRemote(now, b.core.localCredentials(), List.of(b.core.fingerprint()), DtlsRole.SERVER);
        b.core.setRemote(now, a.core.localCredentials(), List.of(a.core.fingerprint()), DtlsRole.CLIENT);
        a.core.addLocalSocket(now, SOCKET, a.address);
        b.core.addLocalSocket(now, SOCKET, b.address);
        a.core.startGathering(now);
        b.core.startGathering(now);
        settle();
    }

    private Side side(String name, long seed, IceConfig ice, DtlsConfig dtls, IceRole role, DtlsCertificate cert,
            InetSocketAddress address, Executor handshakes) {
        SplittableRandom random = new SplittableRandom(seed);
        IceConfig ic = (ice == null ? IceConfig.builder() : ice.toBuilder()).random(random.split()).build();
        RtcConfiguration config = RtcConfiguration.builder()
                .sctpTuning(SctpConfig.builder().random(random.split()).build())
                .dtlsTuning(dtls)
                .build();
        RtcCore core = new RtcCore("rtc-" + name, config, ic, role, cert, handshakes, continued::release,
                random.nextLong(), clock.now());
        return new Side(name, core, address);
    }

    static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    RtcPair withFilter(Filter f) {
        this.filter = f;
        return this;
    }

    /** Every datagram either way is lost from now on (true) or the link works again (false). */
    void linkDown(boolean down) {
        this.linkDown = down;
    }

    long now() {
        return clock.now();
    }

    /** Total real time spent waiting for BouncyCastle's retransmission timer. */
    Duration realWait() {
        return Duration.ofNanos(realWaitNanos);
    }

    // =====================================================================================================
    // Driving
    // =====================================================================================================

    /** Runs the handshake continuations, dispatches events (signaling candidates) and forwards output, until quiet. */
    void settle() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Runnable r = continuations.poll(); r != null; r = continuations.poll()) {
                r.run();
                moved = true;
            }
            if (moved) {
                afterContinuations.run();
            }
            long now = clock.now();
            for (Side s : List.of(a, b)) {
                if (s.core.pollTimeout() <= now) {
                    s.core.handleTimeout(now);
                    moved = true;
                }
            }
            moved |= events(a, b);
            moved |= events(b, a);
            moved |= forward(a, Dir.A_TO_B, aToB);
            moved |= forward(b, Dir.B_TO_A, bToA);
        }
        continued.drainPermits();
    }

    private boolean events(Side s, Side other) {
        boolean moved = false;
        for (Optional<RtcEvent> e = s.core.pollEvent(); e.isPresent(); e = s.core.pollEvent()) {
            moved = true;
            RtcEvent ev = e.get();
            s.events.add(ev);
            if (ev instanceof RtcEvent.ConnectionStateChanged c) {
                s.stateTimes.putIfAbsent(c.state(), clock.now());
            }
            if (ev instanceof RtcEvent.LocalCandidate c) {
                other.core.addRemoteCandidate(clock.now(), c.candidate());
            }
            s.listener.accept(ev);
        }
        return moved;
    }

    private boolean forward(Side s, Dir dir, NetemLink link) {
        boolean moved = false;
        long now = clock.now();
        for (Optional<IceTransmit> t = s.core.pollTransmit(); t.isPresent(); t = s.core.pollTransmit()) {
            moved = true;
            ByteBuffer p = t.get().data();
            byte[] bytes = new byte[p.remaining()];
            p.duplicate().get(bytes);
            int index = dir == Dir.A_TO_B ? sentAToB++ : sentBToA++;
            record(now, dir, bytes);
            if (linkDown || filter.drop(dir, index, ByteBuffer.wrap(bytes).asReadOnlyBuffer())) {
                continue;
            }
            link.send(now, bytes);
        }
        return moved;
    }

    /**
     * The trace: time, direction and what is deterministic of each datagram. STUN is whole (its transaction ids and
     * credentials come from the seed); of DTLS, the content type of each record and the length of application data
     * (the handshake's randoms, keys and signatures are SecureRandom's, and so is every encrypted byte).
     */
    private void record(long now, Dir dir, byte[] bytes) {
        StringBuilder line = lines == null ? null : new StringBuilder().append(now).append(' ').append(dir);
        ByteBuffer h = ByteBuffer.allocate(9).putLong(now).put((byte) dir.ordinal());
        trace.update(h.array());
        int first = bytes.length == 0 ? -1 : bytes[0] & 0xFF;
        if (first >= 0 && first <= 3) {
            trace.update(bytes);
            if (line != null) {
                lines.add(line.append(" stun ").append(bytes.length).toString());
            }
            return;
        }
        int off = 0;
        while (off + 13 <= bytes.length) {
            int type = bytes[off] & 0xFF;
            int len = ((bytes[off + 11] & 0xFF) << 8) | (bytes[off + 12] & 0xFF);
            trace.update((byte) type);
            if (line != null) {
                line.append(' ').append(type);
            }
            if (type == 23) {
                trace.update((byte) (len >>> 8));
                trace.update((byte) len);
                if (line != null) {
                    line.append('/').append(len);
                }
            }
            off += 13 + len;
        }
        if (line != null) {
            lines.add(line.toString());
        }
    }

    private boolean handshaking() {
        return a.core.dtlsState() == DtlsState.CONNECTING || b.core.dtlsState() == DtlsState.CONNECTING;
    }

    /** Moves to the earliest pending event and handles what is due then; false when nothing at all is pending. */
    boolean step(long limit) {
        settle();
        long now = clock.now();
        long next = Math.min(Math.min(a.core.pollTimeout(), b.core.pollTimeout()),
                Math.min(aToB.nextDelivery(), bToA.nextDelivery()));
        if (handshaking() && aToB.inFlightCount() == 0 && bToA.inFlightCount() == 0) {
            // a flight was lost: BouncyCastle retransmits on the real clock, which the virtual one follows meanwhile
            long span = Math.min(next == DatagramCore.NO_TIMEOUT ? Long.MAX_VALUE : next - now, limit - now);
            long t0 = System.nanoTime();
            boolean woke;
            try {
                woke = continued.tryAcquire(Math.min(span, REAL_WAIT_CAP_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long waited = System.nanoTime() - t0;
            realWaitNanos += waited;
            if (woke || span > REAL_WAIT_CAP_NANOS) {
                clock.advanceTo(Math.min(now + Math.min(waited, span), limit));
                return true;
            }
        }
        if (next == DatagramCore.NO_TIMEOUT || next > limit) {
            return false;
        }
        clock.advanceTo(next);
        now = clock.now();
        for (byte[] p = aToB.poll(now); p != null; p = aToB.poll(now)) {
            b.core.handleInput(now, SOCKET, a.address, ByteBuffer.wrap(p));
            settle();
        }
        for (byte[] p = bToA.poll(now); p != null; p = bToA.poll(now)) {
            a.core.handleInput(now, SOCKET, b.address, ByteBuffer.wrap(p));
            settle();
        }
        settle();
        return true;
    }

    /** Steps until {@code done} holds or {@code maxVirtual} has passed; whether {@code done} holds. */
    boolean runUntil(BooleanSupplier done, Duration maxVirtual) {
        long deadline = clock.now() + maxVirtual.toNanos();
        while (!done.getAsBoolean()) {
            if (!step(deadline)) {
                clock.advanceTo(deadline);
                settle();
                return done.getAsBoolean();
            }
            if (clock.now() >= deadline) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    /** Runs for {@code d} of virtual time. */
    void runFor(Duration d) {
        runUntil(() -> false, d);
    }

    boolean bothConnected() {
        return a.core.connectionState() == RtcPeerConnectionState.CONNECTED
                && b.core.connectionState() == RtcPeerConnectionState.CONNECTED;
    }

    String traceDigest() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) trace.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    int transmitted(Dir d) {
        return d == Dir.A_TO_B ? sentAToB : sentBToA;
    }

    NetemLink.Stats stats(Dir d) {
        return d == Dir.A_TO_B ? aToB.stats() : bToA.stats();
    }
}
