package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap;
import io.jrtc.sctp.packet.SctpPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The probe's {@link PacketTap}: records every SCTP packet (decoded) in both directions and applies the
 * {@link Fault}s. Packets that do not parse pass unchanged (and are recorded as such).
 */
public final class ProbeTap implements PacketTap {

    /**
     * A packet seen: when, which way, what happened to it ({@code null}: passed), the packet, and whether its checksum
     * field (as forwarded) was zero (RFC 9653).
     */
    public record Seen(long atMillis, Direction direction, String fault, SctpPacket packet, boolean zeroChecksum) {
        public boolean inbound() {
            return direction == Direction.INBOUND;
        }

        public boolean passed() {
            return fault == null || fault.startsWith("rewrite") || fault.startsWith("duplicate") || fault.startsWith("delay");
        }

        public String decoded() {
            return packet == null ? "(not SCTP)" : Decode.packet(packet, zeroChecksum);
        }
    }

    /**
     * A UDP datagram seen: when, which way, what a datagram fault did to it ({@code null}: passed), the datagram
     * decoded, and its bytes for STUN and DTLS handshake datagrams (null for application data and SRTP).
     */
    public record WireSeen(long atMillis, Direction direction, String fault, Wire.Datagram datagram, byte[] bytes) {
        public boolean inbound() {
            return direction == Direction.INBOUND;
        }

        public boolean has(Wire.Kind k) {
            return datagram.has(k);
        }
    }

    private static final ScheduledExecutorService DELAYS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "probe-delays");
        t.setDaemon(true);
        return t;
    });

    private final long startNanos = System.nanoTime();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<long[]> counters = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new ArrayList<>();
    private final Object lock = new Object();
    private final List<WireSeen> wire = new ArrayList<>();
    /** Where the last outbound datagram went on: a scenario injects datagrams of its own there. */
    private volatile Forward outbound;

    public ProbeTap(List<Fault> faults) {
        for (Fault f : faults) {
            add(f);
        }
    }

    /** Adds a fault from now on (any thread). */
    public void add(Fault f) {
        counters.add(new long[1]);
        faults.add(f);
    }

    public long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void onSctp(Direction direction, ByteBuffer packet, Forward forward) {
        ByteBuffer copy = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
        SctpPacket parsed;
        try {
            parsed = SctpPacket.parse(copy.duplicate());
        } catch (Exception e) {
            record(direction, "unparsed", null, false);
            forward.accept(copy);
            return;
        }
        String rewrites = null;
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (!f.counts(direction, parsed)) {
                continue;
            }
            long n = ++counters.get(i)[0];
            if (!f.selects(n)) {
                continue;
            }
            switch (f.action()) {
                case DROP -> {
                    record(direction, f.name(), parsed, zero(copy));
                    return;
                }
                case DUPLICATE -> {
                    record(direction, f.name(), parsed, zero(copy));
                    record(direction, f.name(), parsed, zero(copy));
                    forward.accept(copy);
                    forward.accept(copy.duplicate());
                    return;
                }
                case DELAY -> {
                    SctpPacket later = parsed;
                    ByteBuffer bytes = copy;
                    DELAYS.schedule(() -> {
                        record(direction, f.name(), later, zero(bytes));
                        forward.accept(bytes);
                    }, f.delayMs(), TimeUnit.MILLISECONDS);
                    return;
                }
                case REWRITE -> {
                    boolean zero = SctpPacket.checksumField(copy) == 0;
                    SctpPacket rewritten = f.rewrite().apply(parsed);
                    if (rewritten.chunks().isEmpty()) {
                        // a rewrite that leaves no chunk drops the packet (SCTP has no empty packet)
                        record(direction, "drop: " + f.name(), parsed, zero(copy));
                        return;
                    }
                    if (rewritten != parsed) {
                        parsed = rewritten;
                        copy = rewritten.encode(zero);
                        rewrites = "rewrite: " + f.name();
                    }
                }
                case FLIP_CHECKSUM -> {
                    // a CRC32c becomes zero, a zero checksum a correct CRC32c
                    copy = parsed.encode(SctpPacket.checksumField(copy) != 0);
                    rewrites = "rewrite: " + f.name();
                }
            }
        }
        record(direction, rewrites, parsed, zero(copy));
        forward.accept(copy);
    }

    @Override
    public void onDatagram(Direction direction, ByteBuffer datagram, Forward forward) {
        Wire.Datagram g = Wire.decode(datagram);
        if (direction == Direction.OUTBOUND) {
            outbound = forward;
        }
        boolean keep = g.stun() != null || (g.has(Wire.Kind.DTLS) && !g.has(Wire.Kind.DTLS_APPLICATION_DATA));
        byte[] bytes = null;
        if (keep) {
            bytes = new byte[datagram.remaining()];
            datagram.duplicate().get(bytes);
        }
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (!f.countsDatagram(direction, g)) {
                continue;
            }
            long n = ++counters.get(i)[0];
            if (!f.selects(n)) {
                continue;
            }
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
            switch (f.action()) {
                case DROP -> recordWire(direction, f.name(), g, bytes);
                case DUPLICATE -> {
                    recordWire(direction, f.name(), g, bytes);
                    recordWire(direction, f.name(), g, bytes);
                    forward.accept(copy);
                    forward.accept(copy.duplicate());
                }
                default -> {
                    byte[] kept = bytes;
                    DELAYS.schedule(() -> {
                        recordWire(direction, f.name(), g, kept);
                        forward.accept(copy);
                    }, f.delayMs(), TimeUnit.MILLISECONDS);
                }
            }
            return;
        }
        recordWire(direction, null, g, bytes);
        forward.accept(datagram);
    }

    /**
     * Sends a datagram of the probe's own to the target, where jrtc's last datagram went (after at least one went out);
     * it is recorded as {@code injected}. Returns whether it could be sent.
     */
    public boolean inject(byte[] datagram, String why) {
        Forward f = outbound;
        if (f == null) {
            return false;
        }
        recordWire(Direction.OUTBOUND, "inject: " + why, Wire.decode(ByteBuffer.wrap(datagram)), datagram);
        f.accept(ByteBuffer.wrap(datagram.clone()));
        return true;
    }

    private void recordWire(Direction d, String fault, Wire.Datagram g, byte[] bytes) {
        synchronized (lock) {
            g = withReassembledHello(d, g, bytes);
            wire.add(new WireSeen(millis(), d, fault, g, bytes));
            lock.notifyAll();
        }
    }

    /**
     * A datagram carrying a fragment of a hello that it does not decode: the hello put together with the earlier
     * datagrams of its direction, once complete (then it is this datagram's, as if it had come whole). Under the lock.
     */
    private Wire.Datagram withReassembledHello(Direction d, Wire.Datagram g, byte[] bytes) {
        if (bytes == null) { // a datagram whose bytes are not kept (it carries application data too)
            return g;
        }
        for (boolean client : new boolean[] {true, false}) {
            Wire.Kind k = client ? Wire.Kind.DTLS_CLIENT_HELLO : Wire.Kind.DTLS_SERVER_HELLO;
            if (!g.has(k) || g.hello(client) != null) {
                continue;
            }
            List<byte[]> mine = new ArrayList<>();
            for (WireSeen w : wire) {
                if (w.direction() == d && w.datagram().has(k) && w.bytes() != null) {
                    mine.add(w.bytes());
                }
            }
            mine.add(bytes);
            Wire.Hello h = Wire.reassembledHello(mine, client);
            if (h != null) {
                List<Wire.Hello> hellos = new ArrayList<>(g.hellos());
                hellos.add(h);
                g = new Wire.Datagram(g.kinds(), g.stun(), List.copyOf(hellos),
                        g.decoded() + " (reassembled: " + Wire.describe(h) + ")", g.length());
            }
        }
        return g;
    }

    /** Every datagram seen so far. */
    public List<WireSeen> wire() {
        synchronized (lock) {
            return List.copyOf(wire);
        }
    }

    /** Waits until a datagram matching {@code match} has been seen, or the timeout passes; returns it, or null. */
    public WireSeen awaitWire(Predicate<WireSeen> match, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (lock) {
            int from = 0;
            for (;;) {
                for (; from < wire.size(); from++) {
                    if (match.test(wire.get(from))) {
                        return wire.get(from);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static boolean zero(ByteBuffer packet) {
        return packet.remaining() >= 12 && SctpPacket.checksumField(packet) == 0;
    }

    private void record(Direction d, String fault, SctpPacket p, boolean zeroChecksum) {
        synchronized (lock) {
            seen.add(new Seen(millis(), d, fault, p, zeroChecksum));
            lock.notifyAll();
        }
    }

    /** Everything seen so far. */
    public List<Seen> seen() {
        synchronized (lock) {
            return List.copyOf(seen);
        }
    }

    /** Waits until a packet matching {@code match} has been seen, or the timeout passes; returns it, or null. */
    public Seen await(Predicate<Seen> match, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (lock) {
            int from = 0;
            for (;;) {
                for (; from < seen.size(); from++) {
                    if (match.test(seen.get(from))) {
                        return seen.get(from);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
