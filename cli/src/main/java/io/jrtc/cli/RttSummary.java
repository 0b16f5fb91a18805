package io.jrtc.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * Round-trip times of echoed messages, in milliseconds. Percentiles use the nearest-rank method: the p-th percentile is
 * the smallest sample with at least p % of the samples at or below it.
 *
 * @param count how many round trips were measured
 */
public record RttSummary(int count, double minMs, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

    /** The summary of {@code nanos} (round-trip times in nanoseconds; the array is not modified). */
    public static RttSummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) {
            sum += v;
        }
        return new RttSummary(s.length, ms(s[0]), ms(rank(s, 0.50)), ms(rank(s, 0.90)), ms(rank(s, 0.99)),
                ms(s[s.length - 1]), sum / s.length / 1e6);
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** {@code p50 0.182 ms, p90 0.251 ms, p99 0.612 ms, max 2.104 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", p50Ms, p90Ms, p99Ms, maxMs);
    }
}
