package io.jrtc.mesh.quality;

import java.time.Duration;

/**
 * Knobs of a {@link LinkQuality} tracker. {@link #defaults()} gives the documented values; every {@code with…}
 * returns a copy with one knob changed.
 *
 * <p>Thresholds come in pairs so that going up is harder than going down (hysteresis): a link enters HIGH only within
 * {@code highEnter} (both RTT and loss at or under it) and leaves HIGH only when worse than {@code highExit} (RTT or
 * loss over it); it enters LOW when worse than {@code lowEnter} and leaves LOW only within {@code lowExit}.
 *
 * @param intervalNanos      evaluation interval (default 2 s)
 * @param pingIntervalNanos  how often a PING is queued (default 2 s)
 * @param pingTimeoutNanos   a PING unanswered this long counts as lost, with its age as an RTT sample (default 3 s)
 * @param downgradeAfter     consecutive evaluations calling for a worse mode before it changes (default 2)
 * @param upgradeAfter       consecutive evaluations calling for a better mode before it changes (default 3)
 * @param highEnter          to enter HIGH (default RTT ≤ 150 ms and loss ≤ 1%)
 * @param highExit           to leave HIGH (default RTT > 250 ms or loss > 2%)
 * @param lowExit            to leave LOW (default RTT ≤ 400 ms and loss ≤ 5%)
 * @param lowEnter           to enter LOW (default RTT > 600 ms or loss > 10%)
 * @param minLossSamples     packets plus resolved pings a window needs before its loss counts (default 20)
 * @param rttGain            weight of a new RTT sample in the smoothed RTT (default 1/8, as RFC 6298's alpha)
 * @param initialMode        the mode of a new link before any evidence (default MEDIUM)
 */
public record QualityConfig(long intervalNanos, long pingIntervalNanos, long pingTimeoutNanos, int downgradeAfter,
                            int upgradeAfter, Threshold highEnter, Threshold highExit, Threshold lowExit,
                            Threshold lowEnter, int minLossSamples, double rttGain, LinkMode initialMode) {

    /** An RTT bound and a loss fraction bound (0..1). */
    public record Threshold(long rttNanos, double loss) {

        public Threshold {
            if (rttNanos <= 0 || !(loss >= 0 && loss <= 1)) {
                throw new IllegalArgumentException("threshold rtt " + rttNanos + " ns, loss " + loss);
            }
        }

        public static Threshold of(Duration rtt, double loss) {
            return new Threshold(rtt.toNanos(), loss);
        }

        /** RTT and loss both at or under this bound; an unknown value (negative RTT, NaN loss) does not object. */
        boolean within(long rtt, double l) {
            return (rtt < 0 || rtt <= rttNanos) && (Double.isNaN(l) || l <= loss);
        }

        /** RTT or loss over this bound; an unknown value is not worse. */
        boolean worse(long rtt, double l) {
            return (rtt >= 0 && rtt > rttNanos) || (!Double.isNaN(l) && l > loss);
        }

        @Override
        public String toString() {
            return "rtt " + rttNanos / 1_000_000 + " ms, loss " + String.format(java.util.Locale.ROOT, "%.1f%%", loss * 100);
        }
    }

    public QualityConfig {
        if (intervalNanos <= 0 || pingIntervalNanos <= 0 || pingTimeoutNanos <= 0 || downgradeAfter < 1
                || upgradeAfter < 1 || minLossSamples < 1 || !(rttGain > 0 && rttGain <= 1) || initialMode == null) {
            throw new IllegalArgumentException("bad quality config");
        }
        if (highEnter.rttNanos() > highExit.rttNanos() || highEnter.loss() > highExit.loss()
                || lowExit.rttNanos() > lowEnter.rttNanos() || lowExit.loss() > lowEnter.loss()
                || highEnter.rttNanos() > lowExit.rttNanos() || highEnter.loss() > lowExit.loss()
                || highExit.rttNanos() > lowEnter.rttNanos() || highExit.loss() > lowEnter.loss()) {
            throw new IllegalArgumentException("thresholds must nest: highEnter <= highExit, lowExit <= lowEnter,"
                    + " highEnter <= lowExit, highExit <= lowEnter");
        }
    }

    public static QualityConfig defaults() {
        return new QualityConfig(2_000_000_000L, 2_000_000_000L, 3_000_000_000L, 2, 3,
                Threshold.of(Duration.ofMillis(150), 0.01), Threshold.of(Duration.ofMillis(250), 0.02),
                Threshold.of(Duration.ofMillis(400), 0.05), Threshold.of(Duration.ofMillis(600), 0.10),
                20, 0.125, LinkMode.MEDIUM);
    }

    public QualityConfig withInterval(Duration evaluation, Duration ping) {
        return new QualityConfig(evaluation.toNanos(), ping.toNanos(), pingTimeoutNanos, downgradeAfter, upgradeAfter,
                highEnter, highExit, lowExit, lowEnter, minLossSamples, rttGain, initialMode);
    }

    public QualityConfig withHysteresis(int downgradeAfter, int upgradeAfter) {
        return new QualityConfig(intervalNanos, pingIntervalNanos, pingTimeoutNanos, downgradeAfter, upgradeAfter,
                highEnter, highExit, lowExit, lowEnter, minLossSamples, rttGain, initialMode);
    }

    public QualityConfig withThresholds(Threshold highEnter, Threshold highExit, Threshold lowExit, Threshold lowEnter) {
        return new QualityConfig(intervalNanos, pingIntervalNanos, pingTimeoutNanos, downgradeAfter, upgradeAfter,
                highEnter, highExit, lowExit, lowEnter, minLossSamples, rttGain, initialMode);
    }

    public QualityConfig withPingTimeout(Duration timeout) {
        return new QualityConfig(intervalNanos, pingIntervalNanos, timeout.toNanos(), downgradeAfter, upgradeAfter,
                highEnter, highExit, lowExit, lowEnter, minLossSamples, rttGain, initialMode);
    }

    public QualityConfig withInitialMode(LinkMode mode) {
        return new QualityConfig(intervalNanos, pingIntervalNanos, pingTimeoutNanos, downgradeAfter, upgradeAfter,
                highEnter, highExit, lowExit, lowEnter, minLossSamples, rttGain, mode);
    }
}
