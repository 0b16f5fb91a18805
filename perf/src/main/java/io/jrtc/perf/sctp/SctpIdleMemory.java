package io.jrtc.perf.sctp;

import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SendOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Heap retained per idle, established SCTP association. Creates {@code pairs} back-to-back pairs (two associations
 * each), optionally exchanges one message each way so the data path is allocated, lets them go idle, and divides the
 * heap growth (measured after repeated full GCs) by the number of associations. The configuration is shared, as a
 * server would share it.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.jrtc.perf.sctp.SctpIdleMemory 1000}
 */
public final class SctpIdleMemory {

    private SctpIdleMemory() {
    }

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (boolean exchanged : new boolean[] {false, true}) {
            for (int round = 0; round < 3; round++) {
                double perAssociation = measure(pairs, exchanged);
                System.out.printf("idle associations: %d, after one message each way: %s, heap per association: %.0f bytes%n",
                        2 * pairs, exchanged, perAssociation);
            }
        }
    }

    static double measure(int pairs, boolean exchange) {
        SplittableRandom random = new SplittableRandom(1);
        SctpConfig config = SctpConfig.builder().random(random).build();
        long before = usedAfterGc();
        List<SctpLoopback> all = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            SctpLoopback l = new SctpLoopback(config, config);
            if (exchange) {
                l.a.send(l.now(), 1, 51, ByteBuffer.wrap(new byte[100]), SendOptions.RELIABLE);
                l.b.send(l.now(), 1, 51, ByteBuffer.wrap(new byte[100]), SendOptions.RELIABLE);
                l.deliverUntil(1);
                l.drainTransmits();
                l.drainEvents();
            }
            all.add(l);
        }
        long after = usedAfterGc();
        double per = (after - before) / (2.0 * pairs);
        if (Boolean.getBoolean("idle.verbose")) {
            System.out.printf("  heap before %d, after %d%n", before, after);
        }
        java.lang.ref.Reference.reachabilityFence(all);
        return per;
    }

    static long usedAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
