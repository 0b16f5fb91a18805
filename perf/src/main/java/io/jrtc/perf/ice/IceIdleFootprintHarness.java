package io.jrtc.perf.ice;

import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceConnectionState;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap per idle connected {@link io.jrtc.ice.netty.IceTransport} and the JVM thread count, with N connected pairs
 * (2N transports, 2N UDP sockets on 127.0.0.1) sharing one small loop group. Heap is measured after GC, with the
 * pairs idle (consent checks running) for a few seconds.
 *
 * <p>Run: {@code java -Xmx2g -cp perf/target/benchmarks.jar io.jrtc.perf.ice.IceIdleFootprintHarness [pairs] [threads] [idleSeconds]}
 */
public final class IceIdleFootprintHarness {

    private IceIdleFootprintHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        IceConfig config = LoopbackPair.loopbackConfig();
        try {
            // Warm up classes (ice4j, Netty, TLS-free paths) with one pair, then measure from a clean baseline.
            LoopbackPair warm = new LoopbackPair(group, config);
            warm.start();
            warm.connected().get(30, TimeUnit.SECONDS);
            warm.close().get(10, TimeUnit.SECONDS);

            long baseHeap = usedHeapAfterGc();
            int baseThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            List<LoopbackPair> live = new ArrayList<>(pairs);
            int[] checkpoints = {10, 100, pairs};
            int next = 0;
            System.out.printf("%d pairs max, %d loop threads, idle %d s before each measurement%n", pairs, threads, idleSeconds);
            System.out.printf("baseline: heap %.1f MiB, threads %d%n", baseHeap / 1048576.0, baseThreads);
            for (int i = 0; i < pairs; i++) {
                LoopbackPair p = new LoopbackPair(group, config);
                p.start();
                live.add(p);
                if (live.size() % 50 == 0) {
                    CompletableFuture.allOf(live.subList(live.size() - 50, live.size()).stream()
                            .map(LoopbackPair::connected).toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
                if (next < checkpoints.length && live.size() == checkpoints[next]) {
                    next++;
                    CompletableFuture.allOf(live.stream().map(LoopbackPair::connected).toArray(CompletableFuture[]::new))
                            .get(60, TimeUnit.SECONDS);
                    Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
                    long connected = live.stream().filter(x -> x.a.connectionState() == IceConnectionState.CONNECTED
                            || x.a.connectionState() == IceConnectionState.COMPLETED).count();
                    long heap = usedHeapAfterGc();
                    int th = ManagementFactory.getThreadMXBean().getThreadCount();
                    int transports = live.size() * 2;
                    System.out.printf("%5d pairs (%5d transports, %d still connected): heap +%.1f MiB = %.1f KiB per transport; threads %d (+%d)%n",
                            live.size(), transports, connected, (heap - baseHeap) / 1048576.0,
                            (heap - baseHeap) / 1024.0 / transports, th, th - baseThreads);
                }
            }
            CompletableFuture.allOf(live.stream().map(LoopbackPair::close).toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
