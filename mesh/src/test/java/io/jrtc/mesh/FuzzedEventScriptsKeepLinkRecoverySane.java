package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.LinkRecovery.Action;
import io.jrtc.mesh.LinkRecovery.Kind;
import io.jrtc.mesh.LinkRecovery.Path;
import io.jrtc.mesh.LinkRecovery.State;
import io.jrtc.mesh.LinkRecovery.Strategy;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for {@link LinkRecovery}: the input is a script of edge events (attempts up or failed, link
 * failures, time passing, close) under a strategy. Invariants after every step: no attempt is started twice, none is
 * left dangling when the link is used, waits or gives up; deadlines lie ahead; backoff never exceeds its cap; a
 * timeout handled is never due again at once; nothing is decided after GIVE_UP or close. At the end, with no more
 * events, the machine settles (up, given up or closed) within a bounded number of timeouts.
 */
class FuzzedEventScriptsKeepLinkRecoverySane {

    private static final long MS = 1_000_000L;

    private static final class Script {
        private final byte[] b;
        private int i;

        Script(byte[] b) {
            this.b = b;
        }

        int next() {
            return i < b.length ? b[i++] & 0xff : 0;
        }

        boolean done() {
            return i >= b.length;
        }
    }

    static final class Run {
        final Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        private final LinkRecovery.Config config;
        private final LinkRecovery r;
        private final EnumSet<Path> attempts = EnumSet.noneOf(Path.class);
        private long now;
        private boolean finished;

        Run(int strategy, int rebuilds, long seed) {
            config = LinkRecovery.Config.defaults().withStrategy(Strategy.values()[strategy % 3])
                    .withMaxRebuilds(rebuilds % 4);
            r = new LinkRecovery(config, seed);
        }

        void play(byte[] input) {
            Script s = new Script(input);
            Run run = this;
            if (s.next() % 2 == 0) {
                r.connect(now);
            } else {
                r.accepted(now, Path.values()[s.next() % 2]);
            }
            check();
            for (int step = 0; step < 200 && !s.done(); step++) {
                int op = s.next();
                Path p = Path.values()[s.next() % 2];
                switch (op % 7) {
                    case 0 -> {
                        int rtt = s.next();
                        r.up(now, p, rtt == 0 ? -1 : rtt * MS);
                    }
                    case 1 -> {
                        attempts.remove(p); // the edge saw it fail; the machine ignores it when not in flight
                        r.attemptFailed(now, p);
                    }
                    case 2 -> r.linkFailed(now);
                    case 3 -> {
                        now += s.next() * 50 * MS;
                        r.handleTimeout(now);
                        long t = r.pollTimeout();
                        assertThat(t == DatagramCore.NO_TIMEOUT || t > now).as("due again at once").isTrue();
                    }
                    case 4 -> run.fire();
                    case 5 -> now += s.next() * MS;
                    default -> {
                        if (s.next() % 16 == 0) {
                            r.close(now);
                        }
                    }
                }
                check();
            }
            for (int i = 0; i < 3 * config.maxRebuilds() + 10 && r.pollTimeout() != DatagramCore.NO_TIMEOUT; i++) {
                fire();
                check();
            }
            assertThat(r.pollTimeout()).as("settled").isEqualTo(DatagramCore.NO_TIMEOUT);
            assertThat(r.state()).isIn(State.UP, State.GAVE_UP, State.CLOSED);
        }

        private void fire() {
            long t = r.pollTimeout();
            if (t != DatagramCore.NO_TIMEOUT) {
                now = Math.max(now, t);
                r.handleTimeout(now);
                long next = r.pollTimeout();
                assertThat(next == DatagramCore.NO_TIMEOUT || next > now).as("due again at once").isTrue();
            }
        }

        private void check() {
            for (Action a = r.pollAction(); a != null; a = r.pollAction()) {
                assertThat(finished).as("decision %s after GIVE_UP or close", a).isFalse();
                assertThat(a.reason()).isNotBlank();
                seen.merge(a.kind(), 1, Integer::sum);
                switch (a.kind()) {
                    case CONNECT -> {
                        assertThat(attempts.add(a.path())).as("second attempt over %s", a.path()).isTrue();
                        assertThat(a.deadline()).isGreaterThan(now);
                        assertThat(a.fallback()).isEqualTo(a.reason().contains("falling back"));
                    }
                    case RESTART_ICE -> {
                        assertThat(attempts).isEmpty();
                        assertThat(a.deadline()).isGreaterThan(now);
                    }
                    case CANCEL -> assertThat(attempts.remove(a.path()) || r.state() == State.CLOSED).isTrue();
                    case USE -> {
                        attempts.remove(a.path());
                        assertThat(attempts).as("attempts left dangling by USE").isEmpty();
                    }
                    case WAIT -> {
                        assertThat(attempts).as("attempts left dangling by WAIT").isEmpty();
                        long delay = a.deadline() - now;
                        assertThat(delay).isBetween((long) (config.backoffInitialNanos() * (1 - config.jitter())),
                                config.backoffMaxNanos());
                    }
                    case GIVE_UP -> {
                        assertThat(attempts).as("attempts left dangling by GIVE_UP").isEmpty();
                        finished = true;
                    }
                }
            }
            if (r.state() == State.CLOSED) {
                attempts.clear();
                finished = true;
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void script(byte[] input) {
        if (input.length < 2) {
            return;
        }
        new Run(input[0] & 0xff, input[1] & 0xff, 1).play(Arrays.copyOfRange(input, 2, input.length));
    }

    /** Regression mode without Jazzer's mutator: seeded random scripts reaching every kind of decision. */
    @Test
    void randomScriptsKeepTheInvariants() {
        SplittableRandom random = new SplittableRandom(0x11C);
        Map<Kind, Integer> total = new EnumMap<>(Kind.class);
        for (int i = 0; i < 3000; i++) {
            byte[] script = new byte[random.nextInt(2, 200)];
            random.nextBytes(script);
            Run run = new Run(random.nextInt(3), random.nextInt(4), i);
            run.play(script);
            run.seen.forEach((k, v) -> total.merge(k, v, Integer::sum));
        }
        for (Kind k : Kind.values()) {
            assertThat(total.getOrDefault(k, 0)).as("%s decisions", k).isGreaterThan(20);
        }
    }
}
