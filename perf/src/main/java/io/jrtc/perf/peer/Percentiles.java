package io.jrtc.perf.peer;

import java.util.Arrays;

/** Nearest-rank percentiles over a sample of durations in nanoseconds, printed in milliseconds. */
record Percentiles(int n, double p50, double p90, double p99, double min, double max) {

    static Percentiles ofNanos(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, ms(at(s, 0.50)), ms(at(s, 0.90)), ms(at(s, 0.99)), ms(s[0]), ms(s[s.length - 1]));
    }

    private static long at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms min=%.2f ms max=%.2f ms", n, p50, p90, p99, min, max);
    }
}
