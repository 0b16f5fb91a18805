package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm-up of the DTLS handshake: full handshakes between two endpoints in memory (no sockets, no network), with the
 * caller's certificate on one side, alternately as client and as server. The first one in a JVM loads and initialises
 * BouncyCastle's TLS classes and the JDK's X25519, ECDSA and AES-GCM (about 0.6 s of CPU); repeated, they get the
 * handshake compiled: measured in one JVM, a handshake pair took about 10 ms after 30 handshakes, 7 ms after 300 and
 * 3 ms after 1,000 (perf/README.md, "Foreign offerers"). Used by {@code PeerConnectionFactory.prewarm()} and by
 * {@code jrtc echo}'s idle-time warm-up.
 */
public final class DtlsWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsWarmUp.class);

    private DtlsWarmUp() {
    }

    /**
     * Runs up to {@code count} handshakes on the calling thread, stopping early when {@code stop} says so (asked before
     * each); returns how many completed. Best effort: a failure is logged once and ends the warm-up.
     */
    public static int run(DtlsCertificate ours, int count, BooleanSupplier stop) {
        io.jrtc.dtls.internal.Crypto.precompute();
        DtlsCertificate other = DtlsCertificate.generate("jrtc-warm-up");
        DtlsConfig config = DtlsConfig.defaults();
        int done = 0;
        try {
            for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
                boolean oursIsClient = i % 2 == 0;
                handshake(config, oursIsClient ? ours : other, oursIsClient ? other : ours);
                done++;
            }
        } catch (Exception e) {
            LOG.warn("DTLS warm-up stopped after {} handshakes: {}", done, e.toString());
        }
        return done;
    }

    private static void handshake(DtlsConfig config, DtlsCertificate clientCert, DtlsCertificate serverCert)
            throws InterruptedException {
        Semaphore moved = new Semaphore(0);
        DtlsEndpoint client = new DtlsEndpoint(config, DtlsRole.CLIENT, clientCert, List.of(serverCert.fingerprint()),
                moved::release);
        DtlsEndpoint server = new DtlsEndpoint(config, DtlsRole.SERVER, serverCert, List.of(clientCert.fingerprint()),
                moved::release);
        try {
            long now = System.nanoTime();
            client.start(now);
            server.start(now);
            boolean clientUp = false;
            boolean serverUp = false;
            long end = now + TimeUnit.SECONDS.toNanos(10);
            while (!(clientUp && serverUp)) {
                now = System.nanoTime();
                if (now - end > 0) {
                    throw new IllegalStateException("in-memory DTLS handshake did not complete in 10 s");
                }
                boolean progress = false;
                for (var p = client.pollTransmit(); p.isPresent(); p = client.pollTransmit()) {
                    server.handleInput(now, p.get());
                    progress = true;
                }
                for (var p = server.pollTransmit(); p.isPresent(); p = server.pollTransmit()) {
                    client.handleInput(now, p.get());
                    progress = true;
                }
                for (var e = client.pollEvent(); e.isPresent(); e = client.pollEvent()) {
                    progress = true;
                    clientUp |= connected(e.get());
                }
                for (var e = server.pollEvent(); e.isPresent(); e = server.pollEvent()) {
                    progress = true;
                    serverUp |= connected(e.get());
                }
                if (!progress) {
                    moved.tryAcquire(1, TimeUnit.MILLISECONDS);
                }
            }
            client.send(ByteBuffer.wrap(new byte[64]));
            for (var p = client.pollTransmit(); p.isPresent(); p = client.pollTransmit()) {
                server.handleInput(System.nanoTime(), p.get());
            }
        } finally {
            client.close();
            server.close();
        }
    }

    private static boolean connected(DtlsEvent e) {
        if (e instanceof DtlsEvent.Failed f) {
            throw new IllegalStateException("in-memory DTLS handshake failed: " + f.reason());
        }
        return e instanceof DtlsEvent.Connected;
    }
}
