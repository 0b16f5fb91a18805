package io.jrtc.perf.ice;

import io.jrtc.ice.IceConfig;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * ICE connect time between two {@link io.jrtc.ice.netty.IceTransport}s over loopback: from the moment both start
 * gathering until both report CONNECTED (socket bind, host candidate, checks, nomination). Prints percentiles.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.ice.IceConnectTimeHarness [runs] [warmup] [threads]}
 */
public final class IceConnectTimeHarness {

    private IceConnectTimeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        IceConfig config = LoopbackPair.loopbackConfig();
        try {
            for (int i = 0; i < warmup; i++) {
                once(group, config);
            }
            Histogram samples = new Histogram(3);
            for (int i = 0; i < runs; i++) {
                samples.recordValue(once(group, config));
            }
            System.out.printf("ICE connect time over loopback, %d runs (%d warm-up), %d loop threads:%n", runs, warmup, threads);
            System.out.printf("  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  min %.2f ms%n",
                    ms(samples.getValueAtPercentile(50)), ms(samples.getValueAtPercentile(95)),
                    ms(samples.getValueAtPercentile(99)), ms(samples.getMaxValue()), ms(samples.getMinValue()));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    private static long once(MultiThreadIoEventLoopGroup group, IceConfig config) throws Exception {
        LoopbackPair p = new LoopbackPair(group, config);
        long t0 = System.nanoTime();
        p.start();
        p.connected().get(10, TimeUnit.SECONDS);
        long t1 = Math.max(p.aConnectedAt.get(), p.bConnectedAt.get());
        p.close().get(10, TimeUnit.SECONDS);
        return t1 - t0;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
