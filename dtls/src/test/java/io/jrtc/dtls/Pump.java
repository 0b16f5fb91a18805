package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Test driver: two {@link DtlsEndpoint}s joined in memory on the test thread. The endpoints' {@code requestDrain}
 * releases a semaphore; {@link #runUntil} moves datagrams both ways, drains events, fires timeouts, and waits on the
 * semaphore (never sleeps) when nothing moved. Every transmitted datagram is recorded, dropped or not.
 */
final class Pump {

    enum Dir { A_TO_B, B_TO_A }

    @FunctionalInterface
    interface Filter {
        boolean drop(Dir dir, int index, ByteBuffer packet);
    }

    /** One recorded datagram. */
    record Wire(Dir dir, int index, long atNanos, byte[] bytes, boolean dropped) {
        int contentType() {
            return bytes.length == 0 ? -1 : bytes[0] & 0xFF;
        }

        int handshakeType() {
            return bytes.length > 13 && bytes[0] == 22 ? bytes[13] & 0xFF : -1;
        }
    }

    final Semaphore signal;
    final DtlsEndpoint a;
    final DtlsEndpoint b;
    final List<DtlsEvent> eventsA = new ArrayList<>();
    final List<DtlsEvent> eventsB = new ArrayList<>();
    final List<Wire> wire = Collections.synchronizedList(new ArrayList<>());
    private Filter filter = (d, i, p) -> false;
    private Rewrite rewrite;
    private int indexAB;
    private int indexBA;

    Pump(Function<Runnable, DtlsEndpoint> makeA, Function<Runnable, DtlsEndpoint> makeB) {
        this(new Semaphore(0), makeA, makeB);
    }

    Pump(Semaphore shared, Function<Runnable, DtlsEndpoint> makeA, Function<Runnable, DtlsEndpoint> makeB) {
        this.signal = shared;
        Runnable wake = signal::release;
        this.a = makeA.apply(wake);
        this.b = makeB.apply(wake);
    }

    private boolean splitRecords;

    /** Deliver every record as its own datagram, as a peer that does not pack flights would send them. */
    Pump splittingRecords() {
        this.splitRecords = true;
        return this;
    }

    /** What a man in the middle delivers instead of a datagram (recorded on the wire as sent). */
    @FunctionalInterface
    interface Rewrite {
        List<byte[]> apply(Dir dir, byte[] datagram);
    }

    /** Delivers {@code r}'s datagrams instead of each one that passes the filter. */
    Pump withRewrite(Rewrite r) {
        this.rewrite = r;
        return this;
    }

    Pump withFilter(Filter f) {
        this.filter = f;
        return this;
    }

    void start() {
        long now = System.nanoTime();
        a.start(now);
        b.start(now);
    }

    /** One pass: returns true if anything moved. */
    boolean step() {
        long now = System.nanoTime();
        boolean moved = false;
        moved |= forward(a, b, Dir.A_TO_B, now);
        moved |= forward(b, a, Dir.B_TO_A, now);
        moved |= drain(a, eventsA);
        moved |= drain(b, eventsB);
        if (a.pollTimeout() <= now) {
            a.handleTimeout(now);
            moved = true;
        }
        if (b.pollTimeout() <= now) {
            b.handleTimeout(now);
            moved = true;
        }
        return moved;
    }

    private boolean forward(DtlsEndpoint from, DtlsEndpoint to, Dir dir, long now) {
        boolean moved = false;
        for (var p = from.pollTransmit(); p.isPresent(); p = from.pollTransmit()) {
            for (ByteBuffer pkt : splitRecords ? split(p.get()) : List.of(p.get())) {
                moved |= forwardOne(to, dir, now, pkt);
            }
        }
        return moved;
    }

    private static List<ByteBuffer> split(ByteBuffer d) {
        List<ByteBuffer> out = new ArrayList<>();
        int off = d.position();
        while (off + 13 <= d.limit()) {
            int len = 13 + (((d.get(off + 11) & 0xFF) << 8) | (d.get(off + 12) & 0xFF));
            int end = Math.min(d.limit(), off + len);
            out.add(d.duplicate().position(off).limit(end).slice());
            off = end;
        }
        return out;
    }

    private boolean forwardOne(DtlsEndpoint to, Dir dir, long now, ByteBuffer pkt) {
        int index = dir == Dir.A_TO_B ? indexAB++ : indexBA++;
        byte[] copy = new byte[pkt.remaining()];
        pkt.duplicate().get(copy);
        boolean drop = filter.drop(dir, index, pkt.duplicate());
        wire.add(new Wire(dir, index, System.nanoTime(), copy, drop));
        if (!drop && rewrite != null) {
            for (byte[] d : rewrite.apply(dir, copy.clone())) {
                to.handleInput(now, ByteBuffer.wrap(d));
            }
        } else if (!drop) {
            to.handleInput(now, pkt);
        }
        return true;
    }

    private static boolean drain(DtlsEndpoint e, List<DtlsEvent> into) {
        boolean moved = false;
        for (var ev = e.pollEvent(); ev.isPresent(); ev = e.pollEvent()) {
            into.add(ev.get());
            moved = true;
        }
        return moved;
    }

    /**
     * Runs until {@code done} holds or {@code max} of real time passes; returns whether it held. Once it holds, one
     * more step forwards what is already queued: an endpoint queues its last flight or alert before it publishes the
     * outcome that {@code done} may be waiting for.
     */
    boolean runUntil(BooleanSupplier done, Duration max) throws InterruptedException {
        boolean held = drive(this::step, signal, done, max);
        if (held) {
            step();
        }
        return held;
    }

    /**
     * Calls {@code step} until {@code done} holds or {@code max} of real time passes, waiting on {@code signal} (the
     * endpoints' requestDrain) whenever a step moved nothing; returns whether {@code done} held. Shared with
     * {@link Solo}.
     */
    static boolean drive(BooleanSupplier step, Semaphore signal, BooleanSupplier done, Duration max)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (!step.getAsBoolean()) {
                signal.tryAcquire(2, TimeUnit.MILLISECONDS);
            }
            if (System.nanoTime() - end > 0) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    boolean bothConnected() {
        return connected(eventsA) != null && connected(eventsB) != null;
    }

    static DtlsEvent.Connected connected(List<DtlsEvent> events) {
        for (DtlsEvent e : events) {
            if (e instanceof DtlsEvent.Connected c) {
                return c;
            }
        }
        return null;
    }

    static DtlsEvent.Failed failed(List<DtlsEvent> events) {
        for (DtlsEvent e : events) {
            if (e instanceof DtlsEvent.Failed f) {
                return f;
            }
        }
        return null;
    }

    static List<byte[]> data(List<DtlsEvent> events) {
        List<byte[]> out = new ArrayList<>();
        for (DtlsEvent e : events) {
            if (e instanceof DtlsEvent.ApplicationData d) {
                byte[] b = new byte[d.data().remaining()];
                d.data().duplicate().get(b);
                out.add(b);
            }
        }
        return out;
    }

    /** A pair with the given roles and configs, each expecting the other's real fingerprint. */
    /**
     * A (client) and B (server) with default settings, connected, with whatever the handshake left drained: the two
     * endpoints are then driven by hand, record by record.
     */
    static Pump connectedAndQuiet() throws InterruptedException {
        DtlsConfig cfg = DtlsConfig.defaults();
        Pump p = pair(cfg, DtlsRole.CLIENT, CERT_1, cfg, CERT_2);
        p.start();
        if (!p.runUntil(p::bothConnected, Duration.ofSeconds(20))) {
            throw new AssertionError("handshake did not complete within 20 s");
        }
        while (p.a.pollEvent().isPresent() || p.a.pollTransmit().isPresent() || p.b.pollEvent().isPresent()
                || p.b.pollTransmit().isPresent()) {
            // what the handshake left
        }
        return p;
    }

    static Pump pair(DtlsConfig configA, DtlsRole roleA, DtlsCertificate certA,
                     DtlsConfig configB, DtlsCertificate certB) {
        DtlsRole roleB = roleA == DtlsRole.CLIENT ? DtlsRole.SERVER : DtlsRole.CLIENT;
        return new Pump(w -> new DtlsEndpoint(configA, roleA, certA, List.of(certB.fingerprint()), w),
                w -> new DtlsEndpoint(configB, roleB, certB, List.of(certA.fingerprint()), w));
    }

    /** Shared test certificates: generation costs a few ms, no need to repeat it per test. */
    static final DtlsCertificate CERT_1 = DtlsCertificate.generate("jrtc-test-1");
    static final DtlsCertificate CERT_2 = DtlsCertificate.generate("jrtc-test-2");
    static final DtlsCertificate CERT_3 = DtlsCertificate.generate("jrtc-test-3");
    /** Shared 2048-bit RSA certificates (generation costs tens to hundreds of ms each). */
    static final DtlsCertificate RSA_1 = DtlsCertificate.generateRsa("jrtc-rsa-1");
    static final DtlsCertificate RSA_2 = DtlsCertificate.generateRsa("jrtc-rsa-2");
}
