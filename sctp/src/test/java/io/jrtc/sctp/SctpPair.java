package io.jrtc.sctp;

import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Two associations joined through testkit's emulator, with their events collected after every step. */
final class SctpPair {

    final SctpAssociation a;
    final SctpAssociation b;
    final BackToBack net;
    final List<SctpEvent> eventsA = new ArrayList<>();
    final List<SctpEvent> eventsB = new ArrayList<>();
    private Consumer<SctpEvent> onA = e -> { };
    private Consumer<SctpEvent> onB = e -> { };
    private Runnable afterStep = () -> { };
    /** When false, B's events are left queued (to test flow control against a slow application). */
    boolean drainB = true;

    SctpPair(SctpConfig configA, SctpConfig configB, NetemConfig aToB, NetemConfig bToA, long seed) {
        a = new SctpAssociation(configA, "A");
        b = new SctpAssociation(configB, "B");
        net = new BackToBack(a, b, aToB, bToA, seed);
        net.onStep(this::drain);
    }

    static SctpConfig.Builder config(long seed) {
        return SctpConfig.builder().random(new SplittableRandom(seed));
    }

    static SctpPair perfect(long seed) {
        return new SctpPair(config(seed).build(), config(seed + 1).build(), NetemConfig.perfect(), NetemConfig.perfect(), seed);
    }

    static SctpPair of(SctpConfig.Builder ca, SctpConfig.Builder cb, NetemConfig link, long seed) {
        return new SctpPair(ca.build(), cb.build(), link, link, seed);
    }

    SctpPair onEventA(Consumer<SctpEvent> c) {
        onA = c;
        return this;
    }

    SctpPair onEventB(Consumer<SctpEvent> c) {
        onB = c;
        return this;
    }

    SctpPair afterStep(Runnable r) {
        afterStep = r;
        return this;
    }

    void drain() {
        for (var e = a.pollEvent(); e.isPresent(); e = a.pollEvent()) {
            eventsA.add(e.get());
            onA.accept(e.get());
        }
        for (var e = drainB ? b.pollEvent() : java.util.Optional.<SctpEvent>empty(); e.isPresent(); e = b.pollEvent()) {
            eventsB.add(e.get());
            onB.accept(e.get());
        }
        afterStep.run();
    }

    long now() {
        return net.now();
    }

    /** Both sides call connect, as in WebRTC, and the handshake runs to completion. */
    void establish() {
        a.connect(now());
        b.connect(now());
        boolean ok = run(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(30));
        if (!ok) {
            throw new AssertionError("not established: " + a + " " + b);
        }
        drain();
    }

    boolean run(BooleanSupplier done, Duration max) {
        return net.runUntil(done, max);
    }

    static boolean has(List<SctpEvent> events, Class<? extends SctpEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }

    @SuppressWarnings("unchecked")
    static <T extends SctpEvent> List<T> all(List<SctpEvent> events, Class<T> type) {
        return (List<T>) events.stream().filter(type::isInstance).toList();
    }
}
