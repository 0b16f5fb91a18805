package io.jrtc.perf.peer;

import org.HdrHistogram.Histogram;

/** Percentiles (HdrHistogram, 3 significant digits) of a sample of durations in nanoseconds, printed in milliseconds. */
record Percentiles(int n, double p50, double p90, double p99, double min, double max) {

    static Percentiles ofNanos(long[] samples) {
        Histogram h = new Histogram(3);
        for (long v : samples) {
            h.recordValue(v);
        }
        return new Percentiles(samples.length, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMinValue()), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms min=%.2f ms max=%.2f ms", n, p50, p90, p99, min, max);
    }
}
