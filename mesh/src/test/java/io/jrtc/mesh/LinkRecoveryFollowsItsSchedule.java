package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jrtc.common.DatagramCore;
import io.jrtc.mesh.LinkRecovery.Action;
import io.jrtc.mesh.LinkRecovery.Config;
import io.jrtc.mesh.LinkRecovery.Kind;
import io.jrtc.mesh.LinkRecovery.Path;
import io.jrtc.mesh.LinkRecovery.State;
import io.jrtc.mesh.LinkRecovery.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reconnection policy on a virtual clock: relay fallback after 5 s, ICE restart first, rebuilds with capped,
 * jittered, seeded backoff, giving up after the configured rebuilds, and races resolved to the better path.
 */
class LinkRecoveryFollowsItsSchedule {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static List<Action> drain(LinkRecovery r) {
        List<Action> out = new ArrayList<>();
        for (Action a = r.pollAction(); a != null; a = r.pollAction()) {
            out.add(a);
        }
        return out;
    }

    /** Runs the machine's own timeout; returns the time it fired at. */
    private static long fire(LinkRecovery r) {
        long t = r.pollTimeout();
        assertThat(t).isNotEqualTo(DatagramCore.NO_TIMEOUT);
        r.handleTimeout(t);
        return t;
    }

    @Test
    void directNotUpWithinFiveSecondsFallsBackToRelay() {
        LinkRecovery r = new LinkRecovery(Config.defaults(), 1);
        r.connect(0);
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.CONNECT);
            assertThat(a.path()).isEqualTo(Path.DIRECT);
            assertThat(a.deadline()).isEqualTo(5 * S);
            assertThat(a.fallback()).isFalse();
        });
        r.handleTimeout(5 * S - 1);
        assertThat(drain(r)).isEmpty();
        assertThat(fire(r)).isEqualTo(5 * S);
        List<Action> at5 = drain(r);
        assertThat(at5).extracting(Action::kind).containsExactly(Kind.CANCEL, Kind.CONNECT);
        assertThat(at5.get(0).path()).isEqualTo(Path.DIRECT);
        assertThat(at5.get(1)).satisfies(a -> {
            assertThat(a.path()).isEqualTo(Path.RELAY);
            assertThat(a.fallback()).isTrue();
            assertThat(a.deadline()).isEqualTo(15 * S);
            assertThat(a.reason()).contains("not up within 5000 ms", "relay-only");
        });
        r.up(5 * S + 400 * MS, Path.DIRECT, -1); // a late direct success: cancelled already, ignored
        assertThat(drain(r)).isEmpty();
        r.up(6 * S, Path.RELAY, 30 * MS);
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.USE);
            assertThat(a.path()).isEqualTo(Path.RELAY);
            assertThat(a.reason()).isEqualTo("opening up over relay in 6000 ms");
        });
        assertThat(r.path()).isEqualTo(Path.RELAY);
        assertThat(r.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
    }

    @Test
    void theFallbackTimeoutIsConfigurableAndAnEarlyDirectFailureFallsBackAtOnce() {
        LinkRecovery r = new LinkRecovery(Config.defaults().withDirectTimeout(Duration.ofSeconds(2)), 1);
        r.connect(0);
        assertThat(drain(r).getFirst().deadline()).isEqualTo(2 * S);
        assertThat(fire(r)).isEqualTo(2 * S);
        assertThat(drain(r).getLast().fallback()).isTrue();

        LinkRecovery early = new LinkRecovery(Config.defaults(), 1);
        early.connect(0);
        drain(early);
        early.attemptFailed(800 * MS, Path.DIRECT);
        assertThat(drain(early)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.CONNECT);
            assertThat(a.path()).isEqualTo(Path.RELAY);
            assertThat(a.deadline()).isEqualTo(10_800 * MS);
            assertThat(a.reason()).contains("direct attempt failed after 800 ms");
        });
        early.attemptFailed(2 * S, Path.RELAY);
        assertThat(drain(early)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.GIVE_UP);
            assertThat(a.reason()).contains("opening failed", "retry list");
        });
        assertThat(early.state()).isEqualTo(State.GAVE_UP);
    }

    @Test
    void iceRestartRepairsFirst() {
        LinkRecovery r = new LinkRecovery(Config.defaults(), 1);
        r.connect(0);
        r.up(S, Path.DIRECT, 20 * MS);
        drain(r);
        r.linkFailed(60 * S);
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.RESTART_ICE);
            assertThat(a.path()).isEqualTo(Path.DIRECT);
            assertThat(a.deadline()).isEqualTo(65 * S);
        });
        r.up(61 * S, Path.DIRECT, 20 * MS);
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.USE);
            assertThat(a.reason()).isEqualTo("ICE restart repaired the link over direct in 1000 ms");
        });
        assertThat(r.state()).isEqualTo(State.UP);
    }

    /** Fails the link and every repair; returns the backoff delays seen, and checks the actions in between. */
    private static List<Long> failEverything(LinkRecovery r, int maxRebuilds) {
        r.connect(0);
        r.up(S, Path.DIRECT, 20 * MS);
        drain(r);
        r.linkFailed(10 * S);
        assertThat(drain(r)).extracting(Action::kind).containsExactly(Kind.RESTART_ICE);
        long t = fire(r); // the ICE restart times out
        assertThat(t).isEqualTo(15 * S);
        List<Long> delays = new ArrayList<>();
        for (int n = 1; n <= maxRebuilds; n++) {
            Action wait = drain(r).getLast();
            assertThat(wait.kind()).isEqualTo(Kind.WAIT);
            assertThat(wait.reason()).contains("rebuild " + n + " of " + maxRebuilds);
            delays.add(wait.deadline() - t);
            t = fire(r);
            assertThat(t).isEqualTo(wait.deadline());
            Action rebuild = drain(r).getFirst();
            assertThat(rebuild.kind()).isEqualTo(Kind.CONNECT);
            assertThat(rebuild.path()).isEqualTo(Path.DIRECT);
            assertThat(rebuild.attempt()).isEqualTo(n);
            assertThat(rebuild.reason()).startsWith("rebuild " + n + " of " + maxRebuilds);
            r.attemptFailed(t + 100 * MS, Path.DIRECT);
            assertThat(drain(r)).singleElement().satisfies(a -> assertThat(a.path()).isEqualTo(Path.RELAY));
            t = t + 300 * MS;
            r.attemptFailed(t, Path.RELAY);
        }
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.GIVE_UP);
            assertThat(a.reason()).contains(maxRebuilds + " rebuilds failed", "passive view");
        });
        assertThat(r.state()).isEqualTo(State.GAVE_UP);
        assertThat(r.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
        return delays;
    }

    @Test
    void rebuildsBackOffFromOneSecondDoublingWithSeededJitterThenGiveUp() {
        List<Long> delays = failEverything(new LinkRecovery(Config.defaults(), 42), 5);
        // The schedule for seed 42: nominal 1, 2, 4, 8, 16 s, each shortened by u * 25% (u from the seeded stream).
        SplittableRandom rnd = new SplittableRandom(42);
        long[] nominal = {S, 2 * S, 4 * S, 8 * S, 16 * S};
        List<Long> expected = new ArrayList<>();
        for (long n : nominal) {
            expected.add(n - (long) (n * 0.25 * rnd.nextDouble()));
        }
        assertThat(delays).isEqualTo(expected)
                .containsExactly(814_608_781L, 1_920_044_804L, 3_721_398_870L, 7_311_618_567L, 15_847_879_326L);
        for (int i = 0; i < 5; i++) {
            assertThat(delays.get(i)).isBetween(nominal[i] * 3 / 4, nominal[i]);
        }
        assertThat(failEverything(new LinkRecovery(Config.defaults(), 42), 5)).isEqualTo(delays);
        assertThat(failEverything(new LinkRecovery(Config.defaults(), 43), 5)).isNotEqualTo(delays);
    }

    @Test
    void theBackoffIsCappedAtThirtySeconds() {
        Config c = Config.defaults().withMaxRebuilds(9);
        List<Long> delays = failEverything(new LinkRecovery(c, 7), 9);
        assertThat(delays).hasSize(9).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(30 * S));
        assertThat(delays.subList(5, 9)).allSatisfy(d -> assertThat(d).isBetween(22_500 * MS, 30 * S));
        assertThat(c.nominalBackoff(4)).isEqualTo(16 * S);
        assertThat(c.nominalBackoff(5)).isEqualTo(30 * S);
        assertThat(c.nominalBackoff(60)).isEqualTo(30 * S);
    }

    @Test
    void aRelayedLinkIsRebuiltRelayOnlyAndARebuildThatWorksResetsTheBackoff() {
        LinkRecovery r = new LinkRecovery(Config.defaults(), 3);
        r.connect(0);
        fire(r); // direct not up: relay
        r.up(6 * S, Path.RELAY, 40 * MS);
        drain(r);
        r.linkFailed(100 * S);
        fire(r); // restart times out at 105 s
        long t = fire(r); // backoff over: rebuild 1
        assertThat(drain(r)).extracting(Action::kind, Action::path).containsExactly(
                tuple(Kind.RESTART_ICE, Path.RELAY),
                tuple(Kind.WAIT, null),
                tuple(Kind.CONNECT, Path.RELAY));
        r.up(t + S, Path.RELAY, 40 * MS);
        assertThat(drain(r)).singleElement().satisfies(a -> assertThat(a.reason()).startsWith("rebuild 1 up over relay"));
        r.linkFailed(t + 50 * S);
        fire(r);
        Action wait = drain(r).getLast();
        assertThat(wait.reason()).contains("rebuild 1 of 5", "backoff 1000 ms");
    }

    @Test
    void aRaceKeepsTheBetterPath() {
        Config race = Config.defaults().withStrategy(Strategy.RACE);
        // both up: relay 60 ms faster than direct -> relay kept
        LinkRecovery r = new LinkRecovery(race, 1);
        r.connect(0);
        assertThat(drain(r)).extracting(Action::kind, Action::path).containsExactly(
                tuple(Kind.CONNECT, Path.DIRECT),
                tuple(Kind.CONNECT, Path.RELAY));
        r.up(300 * MS, Path.DIRECT, 90 * MS);
        assertThat(drain(r)).isEmpty();
        assertThat(r.pollTimeout()).isEqualTo(800 * MS);
        r.up(500 * MS, Path.RELAY, 30 * MS);
        List<Action> decided = drain(r);
        assertThat(decided).extracting(Action::kind, Action::path).containsExactly(
                tuple(Kind.CANCEL, Path.DIRECT),
                tuple(Kind.USE, Path.RELAY));
        assertThat(decided.getLast().reason()).contains("direct rtt 90 ms, relay rtt 30 ms: keeping relay");

        // both up within the margin -> direct kept
        LinkRecovery close = new LinkRecovery(race, 1);
        close.connect(0);
        close.up(100 * MS, Path.RELAY, 25 * MS);
        close.up(200 * MS, Path.DIRECT, 30 * MS);
        assertThat(drain(close)).extracting(Action::kind, Action::path).endsWith(
                tuple(Kind.CANCEL, Path.RELAY),
                tuple(Kind.USE, Path.DIRECT));

        // only relay up: after the grace period relay is kept, the direct attempt cancelled
        LinkRecovery one = new LinkRecovery(race, 1);
        one.connect(0);
        drain(one);
        one.up(2 * S, Path.RELAY, 30 * MS);
        assertThat(fire(one)).isEqualTo(2500 * MS);
        List<Action> after = drain(one);
        assertThat(after).extracting(Action::kind, Action::path).containsExactly(
                tuple(Kind.CANCEL, Path.DIRECT),
                tuple(Kind.USE, Path.RELAY));
        assertThat(after.getLast().reason()).contains("only relay up within the grace period");

        // both fail -> the opening gives up
        LinkRecovery none = new LinkRecovery(race, 1);
        none.connect(0);
        drain(none);
        none.attemptFailed(S, Path.RELAY);
        assertThat(drain(none)).isEmpty();
        none.attemptFailed(2 * S, Path.DIRECT);
        assertThat(drain(none)).extracting(Action::kind).containsExactly(Kind.GIVE_UP);
    }

    /** Found by FuzzedEventScriptsKeepLinkRecoverySane: a path that came up and then failed cannot win the race. */
    @Test
    void aRacingPathThatFailsAfterComingUpIsOutOfTheRace() {
        Config race = Config.defaults().withStrategy(Strategy.RACE);
        LinkRecovery r = new LinkRecovery(race, 1);
        r.connect(0);
        drain(r);
        r.up(100 * MS, Path.DIRECT, 10 * MS);
        r.attemptFailed(200 * MS, Path.DIRECT);
        r.up(300 * MS, Path.RELAY, 50 * MS);
        assertThat(drain(r)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.USE);
            assertThat(a.path()).isEqualTo(Path.RELAY);
        });

        LinkRecovery both = new LinkRecovery(race, 1);
        both.connect(0);
        drain(both);
        both.up(100 * MS, Path.DIRECT, 10 * MS);
        both.attemptFailed(200 * MS, Path.DIRECT);
        assertThat(both.pollTimeout()).isEqualTo(10 * S); // no grace period any more: the relay attempt's deadline
        both.attemptFailed(300 * MS, Path.RELAY);
        assertThat(drain(both)).extracting(Action::kind).containsExactly(Kind.GIVE_UP);
    }

    @Test
    void theAcceptingSideWaitsForTheOpenerToRepair() {
        Config c = Config.defaults();
        // restart 5 s; five rebuilds: backoff 1+2+4+8+16 s, each opening up to 5 + 10 s
        assertThat(c.acceptorWaitNanos()).isEqualTo(5 * S + 31 * S + 5 * 15 * S);
        LinkRecovery r = new LinkRecovery(c, 1);
        r.accepted(0, Path.DIRECT);
        assertThat(drain(r)).extracting(Action::kind).containsExactly(Kind.USE);
        r.linkFailed(10 * S);
        assertThat(drain(r)).isEmpty(); // no restart, no rebuild from this side
        r.up(30 * S, Path.RELAY, 40 * MS);
        assertThat(drain(r)).singleElement().satisfies(a -> assertThat(a.reason())
                .isEqualTo("the remote repaired the link over relay after 20000 ms"));
        r.linkFailed(40 * S);
        assertThat(fire(r)).isEqualTo(40 * S + c.acceptorWaitNanos());
        assertThat(drain(r)).extracting(Action::kind).containsExactly(Kind.GIVE_UP);
    }
}
