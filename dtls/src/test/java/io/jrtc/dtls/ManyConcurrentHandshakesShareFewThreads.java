package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 250 handshakes (500 endpoints) at once in one JVM, all driven by the test thread: every pair connects, the number
 * of platform threads does not grow with the count (virtual threads on the default carrier pool), and every
 * handshake task has ended once its handshake did.
 */
class ManyConcurrentHandshakesShareFewThreads {

    private static final int PAIRS = 250;

    /** Live platform threads: {@code getAllStackTraces} leaves virtual threads out. */
    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    @Test
    void pairsConnectWithoutAPlatformThreadEach() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        Executor counting = task -> DtlsConfig.VIRTUAL_THREAD_EXECUTOR.execute(() -> {
            started.incrementAndGet();
            running.incrementAndGet();
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
        DtlsConfig cfg = DtlsConfig.builder().handshakeExecutor(counting).handshakeTimeout(Duration.ofSeconds(50)).build();
        // Warm up once so class loading and JIT threads are not counted as growth.
        Pump warm = Pump.pair(cfg, DtlsRole.CLIENT, Pump.CERT_1, cfg, Pump.CERT_2);
        warm.start();
        assertThat(warm.runUntil(warm::bothConnected, Duration.ofSeconds(20))).isTrue();

        int baseline = platformThreads();
        int peak = baseline;
        long nextSample = 0;
        Semaphore signal = new Semaphore(0);
        List<Pump> pumps = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < PAIRS; i++) {
            DtlsRole r = i % 2 == 0 ? DtlsRole.CLIENT : DtlsRole.SERVER;
            DtlsRole other = r == DtlsRole.CLIENT ? DtlsRole.SERVER : DtlsRole.CLIENT;
            Pump p = new Pump(signal,
                    w -> new DtlsEndpoint(cfg, r, Pump.CERT_1, List.of(Pump.CERT_2.fingerprint()), w),
                    w -> new DtlsEndpoint(cfg, other, Pump.CERT_2, List.of(Pump.CERT_1.fingerprint()), w));
            p.start();
            pumps.add(p);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(55);
        int connected = 0;
        while (connected < PAIRS && System.nanoTime() < deadline) {
            boolean moved = false;
            connected = 0;
            for (Pump p : pumps) {
                moved |= p.step();
                if (p.bothConnected()) {
                    connected++;
                }
            }
            if (!moved) {
                signal.tryAcquire(2, TimeUnit.MILLISECONDS);
            }
            if (System.nanoTime() > nextSample) {
                peak = Math.max(peak, platformThreads());
                nextSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            }
        }
        peak = Math.max(peak, platformThreads());
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.err.printf("%d pairs connected in %d ms; platform threads: baseline %d, peak %d%n",
                connected, elapsedMs, baseline, peak);
        assertThat(connected).isEqualTo(PAIRS);
        assertThat(pumps).allSatisfy(p -> {
            assertThat(Pump.failed(p.eventsA)).isNull();
            assertThat(Pump.failed(p.eventsB)).isNull();
        });
        // Carrier threads (one per core) plus a few JVM/JIT threads; nothing proportional to 500 endpoints.
        assertThat(peak - baseline).isLessThan(24);
        assertThat(started.get()).isEqualTo(2 * PAIRS + 2);
        // Handshake threads end with their handshakes (the last ones may still be returning).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running.get() > 0 && System.nanoTime() < until) {
            signal.tryAcquire(5, TimeUnit.MILLISECONDS);
        }
        assertThat(running.get()).isZero();
        // And the post-handshake path still works on this thread alone.
        Pump last = pumps.get(PAIRS - 1);
        last.a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        last.step();
        last.step();
        assertThat(Pump.data(last.eventsB)).hasSize(1);
    }
}
