package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Round-trip percentiles are nearest-rank, to HdrHistogram's 3 significant digits. */
class RttSummaryTakesPercentilesFromAHistogram {

    @Test
    void aThousandSamplesGiveNearestRankPercentilesWithinATenthOfAPercent() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (nanos.length - i) * 1_000_000L; // 1000 ms .. 1 ms, unsorted on purpose
        }
        long[] copy = nanos.clone();
        RttSummary r = RttSummary.ofNanos(nanos);
        assertThat(nanos).isEqualTo(copy);
        assertThat(r.count()).isEqualTo(1000);
        assertThat(r.minMs()).isCloseTo(1, within(0.001));
        assertThat(r.p50Ms()).isCloseTo(500, within(0.5));
        assertThat(r.p90Ms()).isCloseTo(900, within(0.9));
        assertThat(r.p99Ms()).isCloseTo(990, within(0.99));
        assertThat(r.maxMs()).isCloseTo(1000, within(1.0));
        assertThat(r.meanMs()).isCloseTo(500.5, within(0.5));
        assertThat(r.p50Ms()).isLessThanOrEqualTo(r.p90Ms());
        assertThat(r.p99Ms()).isLessThanOrEqualTo(r.maxMs());
    }

    @Test
    void oneSampleIsEveryPercentileAndNoneIsRefused() {
        RttSummary r = RttSummary.ofNanos(new long[] {182_000});
        assertThat(r.describe()).isEqualTo("p50 0.182 ms, p90 0.182 ms, p99 0.182 ms, max 0.182 ms");
        assertThatThrownBy(() -> RttSummary.ofNanos(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
