package io.jrtc.perf.dtls;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.dtls.DtlsEvent;
import io.jrtc.common.DtlsRole;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Two {@link DtlsEndpoint}s joined in memory, driven by the calling thread. {@code requestDrain} releases a semaphore
 * the driver waits on when nothing moved (no sleeping). Used by the DTLS benchmarks and the load harness.
 */
final class InMemoryPair {

    static final DtlsCertificate CERT_A = DtlsCertificate.generate("bench-a");
    static final DtlsCertificate CERT_B = DtlsCertificate.generate("bench-b");

    final DtlsEndpoint client;
    final DtlsEndpoint server;
    final Semaphore signal;
    boolean clientConnected;
    boolean serverConnected;
    boolean failed;
    long startedNanos;
    long connectedNanos;
    /** When false, server-to-client datagrams are dropped (to hold handshakes in progress). */
    boolean deliverToClient = true;
    int received;
    /** Whether the server has transmitted anything (its first flight). */
    boolean serverSent;

    InMemoryPair(DtlsConfig config, Semaphore signal) {
        this.signal = signal;
        Runnable wake = signal::release;
        this.client = new DtlsEndpoint(config, DtlsRole.CLIENT, CERT_A, List.of(CERT_B.fingerprint()), wake);
        this.server = new DtlsEndpoint(config, DtlsRole.SERVER, CERT_B, List.of(CERT_A.fingerprint()), wake);
    }

    void start() {
        startedNanos = System.nanoTime();
        client.start(startedNanos);
        server.start(startedNanos);
    }

    boolean connected() {
        return clientConnected && serverConnected;
    }

    /** One pass over both endpoints; true if anything moved. */
    boolean step() {
        long now = System.nanoTime();
        boolean moved = false;
        for (var p = client.pollTransmit(); p.isPresent(); p = client.pollTransmit()) {
            server.handleInput(now, p.get());
            moved = true;
        }
        for (var p = server.pollTransmit(); p.isPresent(); p = server.pollTransmit()) {
            serverSent = true;
            if (deliverToClient) {
                client.handleInput(now, p.get());
            }
            moved = true;
        }
        for (var e = client.pollEvent(); e.isPresent(); e = client.pollEvent()) {
            moved = true;
            clientConnected |= e.get() instanceof DtlsEvent.Connected;
            failed |= e.get() instanceof DtlsEvent.Failed;
        }
        for (var e = server.pollEvent(); e.isPresent(); e = server.pollEvent()) {
            moved = true;
            if (e.get() instanceof DtlsEvent.ApplicationData) {
                received++;
            }
            serverConnected |= e.get() instanceof DtlsEvent.Connected;
            failed |= e.get() instanceof DtlsEvent.Failed;
        }
        if (connected() && connectedNanos == 0) {
            connectedNanos = System.nanoTime();
        }
        if (client.pollTimeout() <= now) {
            client.handleTimeout(now);
        }
        if (server.pollTimeout() <= now) {
            server.handleTimeout(now);
        }
        return moved;
    }

    /** Drives until connected; throws if it fails or takes more than 30 s. */
    void connect() throws InterruptedException {
        start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connected()) {
            if (failed || System.nanoTime() > end) {
                throw new IllegalStateException("DTLS pair did not connect");
            }
            if (!step()) {
                signal.tryAcquire(1, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends one record client to server and processes it on the server, all on this thread. */
    void oneRecord(ByteBuffer payload) {
        client.send(payload);
        long now = System.nanoTime();
        for (var p = client.pollTransmit(); p.isPresent(); p = client.pollTransmit()) {
            server.handleInput(now, p.get());
        }
        for (var e = server.pollEvent(); e.isPresent(); e = server.pollEvent()) {
            if (e.get() instanceof DtlsEvent.ApplicationData) {
                received++;
            }
        }
    }
}
