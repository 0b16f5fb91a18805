package io.jrtc.ice;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Shared helpers for agent tests: seeded configs and credentials. */
final class TestAgents {

    private TestAgents() {
    }

    static IceConfig.Builder config(long seed) {
        return IceConfig.builder().random(new SeededRandom(seed));
    }

    static IceCredentials creds(long seed) {
        return IceCredentials.random(new SplittableRandom(seed));
    }

    /** A seedable generator (SplittableRandom is not a RandomGenerator subtype that the config accepts as-is). */
    static final class SeededRandom implements RandomGenerator {
        private final SplittableRandom r;

        SeededRandom(long seed) {
            this.r = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            return r.nextLong();
        }
    }
}
