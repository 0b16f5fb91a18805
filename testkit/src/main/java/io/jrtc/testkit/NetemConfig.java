package io.jrtc.testkit;

import java.time.Duration;

/**
 * What one direction of an emulated link does to packets. Immutable; derive variants with the {@code with…}
 * methods, starting from {@link #perfect()}.
 *
 * @param delayNanos           one-way propagation delay
 * @param jitterNanos          each packet's delay varies uniformly within ±jitter (never reordering by itself)
 * @param lossRate             independent random loss probability, used when {@code burstLoss} is null
 * @param burstLoss            Gilbert-Elliott bursty loss, or null
 * @param reorderRate          probability that a packet is held back by {@code reorderDelayNanos} extra, so later ones overtake it
 * @param reorderDelayNanos    the extra hold for reordered packets
 * @param duplicateRate        probability that a packet is delivered twice
 * @param rateBitsPerSecond    bottleneck rate, 0 for unlimited
 * @param queueLimitBytes      bottleneck queue; packets arriving to a full queue are tail-dropped
 * @param mtu                  larger packets are dropped; 0 for no limit
 */
public record NetemConfig(
        long delayNanos,
        long jitterNanos,
        double lossRate,
        GilbertElliott burstLoss,
        double reorderRate,
        long reorderDelayNanos,
        double duplicateRate,
        long rateBitsPerSecond,
        int queueLimitBytes,
        int mtu) {

    public NetemConfig {
        if (delayNanos < 0 || jitterNanos < 0 || reorderDelayNanos < 0 || rateBitsPerSecond < 0 || queueLimitBytes < 0 || mtu < 0) {
            throw new IllegalArgumentException("negative netem parameter");
        }
        if (jitterNanos > delayNanos) {
            throw new IllegalArgumentException("jitter (" + jitterNanos + ") must not exceed delay (" + delayNanos + ")");
        }
        for (double p : new double[] {lossRate, reorderRate, duplicateRate}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability out of [0,1]: " + p);
            }
        }
    }

    /** No delay, no loss, no limits. */
    public static NetemConfig perfect() {
        return new NetemConfig(0, 0, 0, null, 0, 0, 0, 0, 0, 0);
    }

    public NetemConfig withDelay(Duration delay) {
        return new NetemConfig(delay.toNanos(), jitterNanos, lossRate, burstLoss, reorderRate, reorderDelayNanos, duplicateRate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    public NetemConfig withJitter(Duration jitter) {
        return new NetemConfig(delayNanos, jitter.toNanos(), lossRate, burstLoss, reorderRate, reorderDelayNanos, duplicateRate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    public NetemConfig withLoss(double rate) {
        return new NetemConfig(delayNanos, jitterNanos, rate, null, reorderRate, reorderDelayNanos, duplicateRate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    public NetemConfig withBurstLoss(GilbertElliott model) {
        return new NetemConfig(delayNanos, jitterNanos, 0, model, reorderRate, reorderDelayNanos, duplicateRate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    public NetemConfig withReorder(double rate, Duration extraDelay) {
        return new NetemConfig(delayNanos, jitterNanos, lossRate, burstLoss, rate, extraDelay.toNanos(), duplicateRate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    public NetemConfig withDuplication(double rate) {
        return new NetemConfig(delayNanos, jitterNanos, lossRate, burstLoss, reorderRate, reorderDelayNanos, rate, rateBitsPerSecond, queueLimitBytes, mtu);
    }

    /** A bottleneck of {@code bitsPerSecond} with a tail-drop queue of {@code queueBytes}. */
    public NetemConfig withRate(long bitsPerSecond, int queueBytes) {
        return new NetemConfig(delayNanos, jitterNanos, lossRate, burstLoss, reorderRate, reorderDelayNanos, duplicateRate, bitsPerSecond, queueBytes, mtu);
    }

    public NetemConfig withMtu(int bytes) {
        return new NetemConfig(delayNanos, jitterNanos, lossRate, burstLoss, reorderRate, reorderDelayNanos, duplicateRate, rateBitsPerSecond, queueLimitBytes, bytes);
    }
}
