package io.jrtc.perf.dtls;

import io.jrtc.dtls.DtlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Load harness (not JMH): N DTLS pairs handshaking at once in one JVM on virtual threads, all driven by the main
 * thread. Prints, per N: total time, per-pair connect time p50/p95/p99, live platform threads (baseline and peak),
 * heap per in-progress handshake (server-to-client flights withheld, so both ends sit mid-handshake) and heap per
 * connected idle endpoint. Heap figures are "used heap after System.gc()" differences, divided by endpoints.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.dtls.DtlsConcurrentHandshakes 100 1000}
 */
public final class DtlsConcurrentHandshakes {

    private DtlsConcurrentHandshakes() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {100, 1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        DtlsConfig cfg = DtlsConfig.builder().handshakeTimeout(Duration.ofSeconds(60)).build();
        // Warm-up: JIT and class loading, so the first size is not penalised.
        runConnected(cfg, 200, false);
        for (int n : sizes) {
            inProgress(cfg, n);
            runConnected(cfg, n, true);
        }
        System.exit(0);
    }

    private static void runConnected(DtlsConfig cfg, int n, boolean print) throws InterruptedException {
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = platformThreads();
        int peakThreads = threadsBefore;
        Semaphore signal = new Semaphore(0);
        List<InMemoryPair> pairs = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            InMemoryPair p = new InMemoryPair(cfg, signal);
            p.start();
            pairs.add(p);
        }
        int connected = 0;
        long nextSample = 0;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (connected < n && System.nanoTime() < deadline) {
            boolean moved = false;
            connected = 0;
            for (InMemoryPair p : pairs) {
                moved |= p.step();
                if (p.connected()) {
                    connected++;
                }
            }
            if (!moved) {
                signal.tryAcquire(1, TimeUnit.MILLISECONDS);
            }
            if (System.nanoTime() > nextSample) {
                peakThreads = Math.max(peakThreads, platformThreads());
                nextSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            }
        }
        long totalMs = (System.nanoTime() - t0) / 1_000_000;
        // Let the handshake threads finish returning, then measure the idle connected state.
        for (int i = 0; i < 50; i++) {
            for (InMemoryPair p : pairs) {
                p.step();
            }
            signal.tryAcquire(1, TimeUnit.MILLISECONDS);
        }
        long heapConnected = usedHeapAfterGc();
        int threadsIdle = platformThreads();
        if (!print) {
            return;
        }
        Histogram lat = new Histogram(3); // microseconds
        pairs.stream().filter(InMemoryPair::connected)
                .forEach(p -> lat.recordValue((p.connectedNanos - p.startedNanos) / 1_000));
        System.out.printf("N=%d pairs: %d connected in %d ms; per-pair connect time p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                n, connected, totalMs, pct(lat, 50), pct(lat, 95), pct(lat, 99));
        System.out.printf("N=%d platform threads: before %d, peak while handshaking %d, after %d%n",
                n, threadsBefore, peakThreads, threadsIdle);
        System.out.printf("N=%d heap per connected idle endpoint: %.1f KiB (%d endpoints, %.1f MiB total)%n",
                n, (heapConnected - heapBefore) / 1024.0 / (2 * n), 2 * n, (heapConnected - heapBefore) / 1048576.0);
        for (InMemoryPair p : pairs) {
            p.client.close();
            p.server.close();
        }
        pairs.clear();
    }

    private static void inProgress(DtlsConfig cfg, int n) throws InterruptedException {
        long heapBefore = usedHeapAfterGc();
        Semaphore signal = new Semaphore(0);
        List<InMemoryPair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InMemoryPair p = new InMemoryPair(cfg, signal);
            p.deliverToClient = false;
            p.start();
            pairs.add(p);
        }
        // Pump until every server has answered (its flight is withheld from the client), so all 2N ends are mid-handshake.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int answered = 0;
        while (answered < n && System.nanoTime() < deadline) {
            answered = 0;
            for (InMemoryPair p : pairs) {
                p.step();
                answered += p.serverSent ? 1 : 0;
            }
            signal.tryAcquire(1, TimeUnit.MILLISECONDS);
        }
        long heapInProgress = usedHeapAfterGc();
        System.out.printf("N=%d heap per in-progress handshake endpoint: %.1f KiB (%d endpoints mid-handshake, %d servers answered)%n",
                n, (heapInProgress - heapBefore) / 1024.0 / (2 * n), 2 * n, answered);
        for (InMemoryPair p : pairs) {
            p.client.close();
            p.server.close();
        }
        pairs.clear();
        // Aborted handshake threads exit on their next receive; give them a moment.
        signal.tryAcquire(200, TimeUnit.MILLISECONDS);
    }

    /** The {@code p}-th percentile of {@code micros}, in milliseconds; NaN for no samples. */
    private static double pct(Histogram micros, int p) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(p) / 1000.0;
    }

    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50); // let the collector settle; not used to wait for any condition
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
