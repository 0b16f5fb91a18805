package io.jrtc.mesh.emu;

import java.time.Duration;

/**
 * The emulated network of a {@link MeshEmulator}.
 *
 * @param seed seeds every random choice of the network and of each core
 * @param delayNanos one-way link delay
 * @param jitterNanos uniform jitter added to each frame's delay, in [0, jitter]
 * @param lossRate probability that a transmission of a frame is lost; on the reliable classes (control, reliable)
 *                 a loss costs a retransmission after {@code rtoNanos} (as SCTP would), on the unreliable class the
 *                 frame is gone
 * @param rtoNanos retransmission delay of a lost frame on a reliable class
 * @param connectNanos time to open a link (signaling, ICE, DTLS, SCTP)
 * @param connectFailNanos time until an attempt to reach a dead or partitioned agent is reported failed
 * @param failureDetectNanos time until the survivor of a link notices its peer crashed or was cut off
 * @param ed25519 sign with real Ed25519 identities (slow) instead of {@link EmulatedSigner}
 * @param pacing how link set-ups wait for their turn, as the PeerConnection edge paces them; null: every requested
 *               link is set up at once
 */
public record EmuConfig(long seed, long delayNanos, long jitterNanos, double lossRate, long rtoNanos,
                        long connectNanos, long connectFailNanos, long failureDetectNanos, boolean ed25519,
                        SetupPacing pacing) {

    /** Without set-up pacing. */
    public EmuConfig(long seed, long delayNanos, long jitterNanos, double lossRate, long rtoNanos, long connectNanos,
                     long connectFailNanos, long failureDetectNanos, boolean ed25519) {
        this(seed, delayNanos, jitterNanos, lossRate, rtoNanos, connectNanos, connectFailNanos, failureDetectNanos,
                ed25519, null);
    }

    /** 20 ms links with 5 ms jitter, no loss, 200 ms link setup, 1 s failure detection, emulated signatures. */
    public static EmuConfig defaults(long seed) {
        return new EmuConfig(seed, ms(20), ms(5), 0, ms(200), ms(200), ms(1000), ms(1000), false);
    }

    public EmuConfig withLoss(double rate) {
        return new EmuConfig(seed, delayNanos, jitterNanos, rate, rtoNanos, connectNanos, connectFailNanos,
                failureDetectNanos, ed25519, pacing);
    }

    public EmuConfig withEd25519(boolean real) {
        return new EmuConfig(seed, delayNanos, jitterNanos, lossRate, rtoNanos, connectNanos, connectFailNanos,
                failureDetectNanos, real, pacing);
    }

    public EmuConfig withDelay(Duration delay, Duration jitter) {
        return new EmuConfig(seed, delay.toNanos(), jitter.toNanos(), lossRate, rtoNanos, connectNanos, connectFailNanos,
                failureDetectNanos, ed25519, pacing);
    }

    /**
     * Link set-ups that take {@code setup} each (from the turn to the link being up; an unreachable agent is reported
     * failed no earlier) and wait for their turn as {@code pacing} says (null: no waiting).
     */
    public EmuConfig withSetup(Duration setup, SetupPacing pacing) {
        long c = setup.toNanos();
        return new EmuConfig(seed, delayNanos, jitterNanos, lossRate, rtoNanos, c, Math.max(c, connectFailNanos),
                failureDetectNanos, ed25519, pacing);
    }

    static long ms(long m) {
        return m * 1_000_000L;
    }
}
