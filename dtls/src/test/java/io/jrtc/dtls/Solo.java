package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.internal.HandoffTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * Test driver for one jrtc {@link DtlsEndpoint} (the victim) against a scripted peer (the test feeds datagrams with
 * {@link #feed}) or a BouncyCastle peer running over its own {@link HandoffTransport} ({@link #attach}). Everything
 * the victim transmits is recorded in {@link #sent}; its events in {@link #events}. Like {@link Pump}, it waits on
 * the requestDrain semaphore and never sleeps.
 */
final class Solo {

    final Semaphore signal = new Semaphore(0);
    final DtlsEndpoint victim;
    final List<DtlsEvent> events = new ArrayList<>();
    final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
    private HandoffTransport peer;

    Solo(DtlsConfig config, DtlsRole role, DtlsCertificate cert, Fingerprint expected) {
        victim = new DtlsEndpoint(config, role, cert, List.of(expected), signal::release);
    }

    /**
     * Connects a BouncyCastle peer whose protocol runs over {@code t} (built with {@link #signal}'s release as
     * requestDrain).
     */
    Solo attach(HandoffTransport t) {
        this.peer = t;
        return this;
    }

    Solo start() {
        victim.start(System.nanoTime());
        return this;
    }

    void feed(byte[] datagram) {
        victim.handleInput(System.nanoTime(), ByteBuffer.wrap(datagram));
    }

    boolean step() {
        long now = System.nanoTime();
        boolean moved = false;
        for (var p = victim.pollTransmit(); p.isPresent(); p = victim.pollTransmit()) {
            byte[] b = new byte[p.get().remaining()];
            p.get().duplicate().get(b);
            sent.add(b);
            if (peer != null) {
                peer.offerHandshakeDatagram(ByteBuffer.wrap(b));
            }
            moved = true;
        }
        if (peer != null) {
            for (ByteBuffer d = peer.pollOutgoing(); d != null; d = peer.pollOutgoing()) {
                victim.handleInput(now, d);
                moved = true;
            }
        }
        for (var e = victim.pollEvent(); e.isPresent(); e = victim.pollEvent()) {
            events.add(e.get());
            moved = true;
        }
        if (victim.pollTimeout() <= now) {
            victim.handleTimeout(now);
            moved = true;
        }
        return moved;
    }

    /**
     * Steps until {@code done}, then once more until nothing moves: the victim's handshake thread flushes its last
     * datagram (a fatal alert, say) before it publishes the outcome, and {@link #step} polls transmits before events,
     * so the step that saw the outcome may not have collected that datagram yet (CI once caught the alert missing).
     */
    boolean runUntil(BooleanSupplier done, Duration max) throws InterruptedException {
        if (!Pump.drive(this::step, signal, done, max)) {
            return false;
        }
        for (int i = 0; i < 100 && step(); i++) {
            // drain what is already queued
        }
        return true;
    }

    DtlsEvent.Failed failed() {
        return Pump.failed(events);
    }
}
