package io.jrtc.mesh.internal;

/**
 * SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): a cheap
 * 64-bit hash that spreads every input bit over the output. The overlay uses it for slot phases, the emulator for
 * per-node seeds, its trace hash and its stand-in signatures.
 */
public final class SplitMix {

    /** The golden-ratio increment SplitMix64 adds between outputs. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** The finaliser of {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
