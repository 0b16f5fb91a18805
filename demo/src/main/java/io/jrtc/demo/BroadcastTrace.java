package io.jrtc.demo;

import java.util.Arrays;
import java.util.Locale;

/**
 * One broadcast's deliveries, for {@code MeshSim --per-broadcast}: the latency and hop count of each, and a one-line
 * summary (its own percentiles, mean and largest hop count, and the slowest deliveries with their hops). The whole
 * run's histogram says how slow the tail is; this says whether the tail is a few slow broadcasts or every broadcast's
 * last deliveries. Synchronized: deliveries come in on the agents' loops.
 */
final class BroadcastTrace {

    private final long[] nanos;
    private final int[] hops;
    private int n;

    BroadcastTrace(int expected) {
        nanos = new long[expected];
        hops = new int[expected];
    }

    synchronized void add(long latencyNanos, int hopCount) {
        if (n < nanos.length) {
            nanos[n] = latencyNanos;
            hops[n++] = hopCount;
        }
    }

    /** {@code p50 / p90 / p99 / max} in ms, the hops, and the {@code slowest} deliveries as {@code ms/hops}. */
    synchronized String summary(int slowest) {
        if (n == 0) {
            return "no delivery";
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(nanos[a], nanos[b]));
        long hopSum = 0;
        int hopMax = 0;
        for (int i = 0; i < n; i++) {
            hopSum += hops[i];
            hopMax = Math.max(hopMax, hops[i]);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d deliveries, p50 / p90 / p99 / max %.1f / %.1f / %.1f / %.1f ms, hops mean %.2f max %d; slowest (ms/hops):",
                n, ms(nanos[order[n / 2]]), ms(nanos[order[n * 9 / 10]]), ms(nanos[order[n * 99 / 100]]),
                ms(nanos[order[n - 1]]), (double) hopSum / n, hopMax));
        for (int k = Math.max(0, n - slowest); k < n; k++) {
            sb.append(String.format(Locale.ROOT, " %.1f/%d", ms(nanos[order[k]]), hops[order[k]]));
        }
        return sb.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
