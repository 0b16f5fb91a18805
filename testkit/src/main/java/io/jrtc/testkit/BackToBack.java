package io.jrtc.testkit;

import io.jrtc.common.DatagramCore;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Joins two sans-IO cores through two {@link NetemLink}s on a {@link VirtualClock}. Each {@link #step()} moves the
 * clock to the earliest pending event (either core's timeout or either link's next delivery), delivers what is
 * due, fires due timers and forwards everything the cores queued for sending. Runs are deterministic: the same
 * cores, configs and seed give the same packet trace, summarised by {@link #traceDigest()}.
 *
 * <p>Typical use: {@code driver.runUntil(() -> done, Duration.ofSeconds(30))}; between steps a test may call
 * into the cores (send data, poll events), or register {@link #onStep(Runnable)}.
 */
public final class BackToBack {

    /** Direction of a packet. */
    public enum Direction { A_TO_B, B_TO_A }

    /** Decides, before the emulator sees it, whether a packet is dropped. {@code index} counts packets per direction from 0. */
    @FunctionalInterface
    public interface PacketFilter {
        boolean drop(Direction direction, int index, ByteBuffer packet);
    }

    /** Observes every packet a core transmits (before the filter and the emulator). */
    @FunctionalInterface
    public interface TransmitListener {
        void onTransmit(long now, Direction direction, int index, ByteBuffer packet);
    }

    private static final int MAX_STEPS_WITHOUT_PROGRESS = 1_000_000;

    private final DatagramCore a;
    private final DatagramCore b;
    private final NetemLink aToB;
    private final NetemLink bToA;
    private final VirtualClock clock;
    private final MessageDigest trace;

    private PacketFilter filter = (d, i, p) -> false;
    private TransmitListener listener = (n, d, i, p) -> { };
    private Runnable onStep = () -> { };
    private int sentAToB;
    private int sentBToA;
    private int filteredAToB;
    private int filteredBToA;

    public BackToBack(DatagramCore a, DatagramCore b, NetemConfig aToB, NetemConfig bToA, long seed) {
        this(a, b, aToB, bToA, seed, new VirtualClock());
    }

    public BackToBack(DatagramCore a, DatagramCore b, NetemConfig aToB, NetemConfig bToA, long seed, VirtualClock clock) {
        this.a = a;
        this.b = b;
        this.aToB = new NetemLink(aToB, seed * 0x9E3779B97F4A7C15L + 1);
        this.bToA = new NetemLink(bToA, seed * 0xC2B2AE3D27D4EB4FL + 2);
        this.clock = clock;
        try {
            this.trace = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A perfect link both ways. */
    public static BackToBack perfect(DatagramCore a, DatagramCore b) {
        return new BackToBack(a, b, NetemConfig.perfect(), NetemConfig.perfect(), 1);
    }

    public BackToBack withFilter(PacketFilter f) {
        this.filter = f;
        return this;
    }

    public BackToBack withListener(TransmitListener l) {
        this.listener = l;
        return this;
    }

    /** Runs after every step, e.g. to drain events or feed more application data. */
    public BackToBack onStep(Runnable r) {
        this.onStep = r;
        return this;
    }

    public long now() {
        return clock.now();
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Forwards everything both cores have queued for sending, at the current time. */
    public void flush() {
        long now = clock.now();
        drain(a, Direction.A_TO_B, aToB, now);
        drain(b, Direction.B_TO_A, bToA, now);
    }

    private void drain(DatagramCore core, Direction dir, NetemLink link, long now) {
        for (Optional<ByteBuffer> out = core.pollTransmit(); out.isPresent(); out = core.pollTransmit()) {
            ByteBuffer p = out.get();
            int index = dir == Direction.A_TO_B ? sentAToB++ : sentBToA++;
            listener.onTransmit(now, dir, index, p.asReadOnlyBuffer());
            byte[] bytes = new byte[p.remaining()];
            p.duplicate().get(bytes);
            record(now, dir, bytes);
            if (filter.drop(dir, index, ByteBuffer.wrap(bytes).asReadOnlyBuffer())) {
                if (dir == Direction.A_TO_B) {
                    filteredAToB++;
                } else {
                    filteredBToA++;
                }
                continue;
            }
            link.send(now, bytes);
        }
    }

    private void record(long now, Direction dir, byte[] bytes) {
        trace.update((byte) (now >>> 56));
        trace.update((byte) (now >>> 48));
        trace.update((byte) (now >>> 40));
        trace.update((byte) (now >>> 32));
        trace.update((byte) (now >>> 24));
        trace.update((byte) (now >>> 16));
        trace.update((byte) (now >>> 8));
        trace.update((byte) now);
        trace.update((byte) dir.ordinal());
        trace.update(bytes);
    }

    /** The earliest time anything is pending, or {@link DatagramCore#NO_TIMEOUT}. */
    public long nextEventTime() {
        return Math.min(Math.min(a.pollTimeout(), b.pollTimeout()), Math.min(aToB.nextDelivery(), bToA.nextDelivery()));
    }

    /**
     * Advances to the earliest pending event and processes everything due then. Returns false when nothing at
     * all is pending (both cores idle and the links empty).
     */
    public boolean step() {
        return stepBefore(DatagramCore.NO_TIMEOUT);
    }

    private boolean stepBefore(long limit) {
        flush();
        long next = nextEventTime();
        if (next == DatagramCore.NO_TIMEOUT || next > limit) {
            return false;
        }
        clock.advanceTo(next);
        long now = clock.now();
        for (byte[] p = aToB.poll(now); p != null; p = aToB.poll(now)) {
            b.handleInput(now, ByteBuffer.wrap(p));
        }
        for (byte[] p = bToA.poll(now); p != null; p = bToA.poll(now)) {
            a.handleInput(now, ByteBuffer.wrap(p));
        }
        if (a.pollTimeout() <= now) {
            a.handleTimeout(now);
        }
        if (b.pollTimeout() <= now) {
            b.handleTimeout(now);
        }
        flush();
        onStep.run();
        return true;
    }

    /**
     * Steps until {@code done} holds or {@code maxVirtual} of virtual time has passed. Returns whether
     * {@code done} holds. Throws if the cores keep asking to be woken at the same instant without progress.
     */
    public boolean runUntil(BooleanSupplier done, Duration maxVirtual) {
        long deadline = clock.now() + maxVirtual.toNanos();
        long lastTime = clock.now();
        int sameTimeSteps = 0;
        while (!done.getAsBoolean()) {
            if (!stepBefore(deadline)) {
                flush();
                if (done.getAsBoolean()) {
                    return true;
                }
                clock.advanceTo(deadline);
                return done.getAsBoolean();
            }
            if (clock.now() == lastTime) {
                if (++sameTimeSteps > MAX_STEPS_WITHOUT_PROGRESS) {
                    throw new IllegalStateException("cores keep asking for a wake-up at " + lastTime + " without progress");
                }
            } else {
                lastTime = clock.now();
                sameTimeSteps = 0;
            }
        }
        return true;
    }

    /** Runs for exactly {@code d} of virtual time (or until nothing is pending, then the clock jumps to the end). */
    public void runFor(Duration d) {
        runUntil(() -> false, d);
    }

    /** Hex SHA-256 over every transmitted packet with its time and direction, so far. */
    public String traceDigest() {
        try {
            MessageDigest copy = (MessageDigest) trace.clone();
            return HexFormat.of().formatHex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public int transmitted(Direction d) {
        return d == Direction.A_TO_B ? sentAToB : sentBToA;
    }

    public int filtered(Direction d) {
        return d == Direction.A_TO_B ? filteredAToB : filteredBToA;
    }

    public NetemLink.Stats stats(Direction d) {
        return d == Direction.A_TO_B ? aToB.stats() : bToA.stats();
    }
}
