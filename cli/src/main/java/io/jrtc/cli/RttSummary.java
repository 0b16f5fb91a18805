package io.jrtc.cli;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Round-trip times of echoed messages, in milliseconds, from an HdrHistogram with 3 significant digits: the p-th
 * percentile is the smallest recorded value with at least p % of the samples at or below it (nearest rank), reported
 * as the top of its histogram bucket, within 0.1 % of the sample; min, max and mean come from the same histogram.
 *
 * @param count how many round trips were measured
 */
public record RttSummary(int count, double minMs, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

    /** The summary of {@code nanos} (round-trip times in nanoseconds; the array is not modified). */
    public static RttSummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        Histogram h = new Histogram(3);
        for (long v : nanos) {
            h.recordValue(v);
        }
        return new RttSummary(nanos.length, ms(h.getMinValue()), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getMean() / 1e6);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** {@code p50 0.182 ms, p90 0.251 ms, p99 0.612 ms, max 2.104 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", p50Ms, p90Ms, p99Ms, maxMs);
    }
}
