package io.jrtc.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The churn test's leak rule on made-up curves: what it must flag and what it must let pass. */
class GrowthRuleFlagsSteadyGrowthOnly {

    private static final Growth HEAP = new Growth("heap", "MiB", 2, 4, 16);

    private static List<Double> curve(double start, double step, int n, double... noise) {
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(start + step * i + (noise.length == 0 ? 0 : noise[i % noise.length]));
        }
        return xs;
    }

    @Test
    void steadyCreepBeyondTheTrendBoundLeaks() {
        // 0.5 MiB per window over 18 windows: 9 MiB, growing in every window
        Growth.Verdict v = HEAP.judge(curve(30, 0.5, 21));
        assertThat(v.leaks()).as(v.why()).isTrue();
        assertThat(v.grewIn()).isEqualTo(18);
        assertThat(v.delta()).isEqualTo(9.0);
    }

    @Test
    void noisyCreepStillLeaksWhenMostWindowsGrow() {
        // +0.6 per window, with a dip every fifth sample: grows in 14 of 18
        Growth.Verdict v = HEAP.judge(curve(30, 0.6, 21, 0, 0, 0, 0, -1.0));
        assertThat(v.grewIn()).isGreaterThanOrEqualTo(14);
        assertThat(v.leaks()).as(v.why()).isTrue();
    }

    @Test
    void aFlatNoisyCurvePasses() {
        Growth.Verdict v = HEAP.judge(curve(30, 0, 21, 0.8, -0.5, 1.2, -0.9, 0.1));
        assertThat(v.leaks()).as(v.why()).isFalse();
    }

    @Test
    void smallSteadyGrowthUnderTheTrendBoundPasses() {
        // 0.1 MiB per window: 1.8 MiB in all, under the 4 MiB bound
        Growth.Verdict v = HEAP.judge(curve(30, 0.1, 21));
        assertThat(v.grewIn()).isEqualTo(18);
        assertThat(v.leaks()).as(v.why()).isFalse();
    }

    @Test
    void aLargeJumpLeaksEvenIfNotSteady() {
        List<Double> xs = curve(30, 0, 21);
        for (int i = 15; i < xs.size(); i++) {
            xs.set(i, 50.0);
        }
        Growth.Verdict v = HEAP.judge(xs);
        assertThat(v.grewIn()).isEqualTo(1);
        assertThat(v.leaks()).as(v.why()).isTrue();
    }

    @Test
    void warmUpGrowthIsIgnored() {
        List<Double> xs = curve(30, 0, 21);
        xs.set(0, 5.0);
        xs.set(1, 20.0);
        assertThat(HEAP.judge(xs).leaks()).isFalse();
    }
}
