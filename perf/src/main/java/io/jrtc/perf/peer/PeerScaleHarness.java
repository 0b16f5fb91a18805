package io.jrtc.perf.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcPeerConnectionState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale: N connected PeerConnection pairs in one JVM (2N connections, each with ICE, DTLS, SCTP and one open data
 * channel), all on one factory's small event-loop group. Reports heap per idle connection (used heap after full GCs,
 * minus the baseline, over 2N), the platform thread count before and after, and checks that every connection is still
 * connected after an idle period with consent checks running.
 *
 * <pre>java -Xmx4g -cp perf/target/benchmarks.jar io.jrtc.perf.peer.PeerScaleHarness [pairs=1000] [loops=2] [idleSeconds=10]</pre>
 */
public final class PeerScaleHarness {

    private static final Logger LOG = LoggerFactory.getLogger(PeerScaleHarness.class);

    private PeerScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int idle = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(loops)) {
            // Warm up code paths and the factory's loops with a few pairs, closed before the baseline.
            for (int i = 0; i < 5; i++) {
                try (LoopbackPeers p = new LoopbackPeers(factory)) {
                    p.connect("warm", 10);
                }
            }
            long baseline = usedAfterGc(mem);
            int threadsBefore = threads.getThreadCount();
            List<LoopbackPeers> all = new ArrayList<>(pairs);
            long t0 = System.nanoTime();
            int batch = 50;
            for (int i = 0; i < pairs; i += batch) {
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                for (int j = i; j < Math.min(pairs, i + batch); j++) {
                    LoopbackPeers p = new LoopbackPeers(factory);
                    all.add(p);
                    CompletableFuture<DataChannel> far = new CompletableFuture<>();
                    p.answerer.onDataChannel(far::complete);
                    DataChannel ch = p.offerer.createDataChannel("idle");
                    CompletableFuture<Void> open = LoopbackPeers.opened(p.offerer, ch);
                    pending.add(p.negotiate().thenCompose(v -> open).thenCompose(v -> far).thenApply(x -> null));
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            int peakThreads = threads.getThreadCount();
            // Printed so that a class histogram can be taken during the idle phase
            // (jcmd <pid> GC.class_histogram; see perf/README.md, "Heap per idle PeerConnection").
            System.out.printf("jrtc-scale idle: %d connections connected, idle for %d s (pid %d)%n",
                    2 * pairs, idle, ProcessHandle.current().pid());
            Thread.sleep(idle * 1000L);
            long used = usedAfterGc(mem);
            int threadsAfter = threads.getThreadCount();
            long connected = all.stream().filter(p -> p.offerer.connectionState() == RtcPeerConnectionState.CONNECTED
                    && p.answerer.connectionState() == RtcPeerConnectionState.CONNECTED).count();
            double perConnectionKiB = (used - baseline) / 1024.0 / (2.0 * pairs);
            String line = String.format("jrtc-scale pairs=%d connections=%d connected after %d s idle=%d pairs; connect all: %.1f s; "
                    + "heap per idle connection %.1f KiB (used %d MiB, baseline %d MiB); threads before=%d peak=%d after=%d; loops=%d",
                    pairs, 2 * pairs, idle, connected, connectSeconds, perConnectionKiB, used >> 20, baseline >> 20,
                    threadsBefore, peakThreads, threadsAfter, loops);
            LOG.info(line);
            System.out.println(line);
            for (LoopbackPeers p : all) {
                p.close();
            }
        }
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 256 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
