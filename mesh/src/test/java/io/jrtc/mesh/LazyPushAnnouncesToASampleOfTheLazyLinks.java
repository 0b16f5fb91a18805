package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link OverlayConfig#lazyFanout}: each agent announces a fresh broadcast to at most that many lazy neighbours, so a
 * dense overlay sends a fraction of the IHAVEs, and every agent still gets every broadcast once, also when the tree
 * is broken under it and the message has to come through a GRAFT after one of those sampled announcements.
 */
class LazyPushAnnouncesToASampleOfTheLazyLinks {

    private static final int AGENTS = 80;
    private static final int DEGREE = 12;
    private static final int FANOUT = 6;

    private static Emulated build(int fanout) {
        return new Emulated(AGENTS, OverlayConfig.builder().degree(DEGREE).lazyFanout(fanout).build(),
                EmuConfig.defaults(7));
    }

    /**
     * For counting one broadcast's announcements: without the catch-up on new links, whose IHAVEs (a link that the
     * overlay's upkeep replaces meanwhile announces the recent broadcasts) would count too.
     */
    private static Emulated buildForCounting(int fanout) {
        return new Emulated(AGENTS, OverlayConfig.builder().degree(DEGREE).lazyFanout(fanout)
                .catchUp(0, java.time.Duration.ZERO).build(), EmuConfig.defaults(7));
    }

    /**
     * IHAVE entries sent for one broadcast from agent 0 (after two to settle the tree): within the first 200 ms (the
     * broadcast has spread by then, the lazy flush of 500 ms has not come) and in all; asserts every delivery.
     */
    private static long[] announcementsOfOneBroadcast(Emulated m) {
        for (int i = 0; i < 2; i++) {
            m.emu.broadcast(0, ("settle " + i).getBytes());
            m.emu.runFor(2 * Emulated.S);
        }
        long before = m.sum(OverlayStats::announcements);
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(0, "counted".getBytes());
        m.emu.runFor(200 * Emulated.MS);
        Map<Integer, Integer> got = m.deliveries(m.emu.node(0).id(), r.sequence(), mark);
        assertThat(got).as("delivered within 200 ms").hasSize(AGENTS - 1);
        long early = m.sum(OverlayStats::announcements) - before;
        m.emu.runFor(2 * Emulated.S);
        got = m.deliveries(m.emu.node(0).id(), r.sequence(), mark);
        assertThat(got.values()).hasSize(AGENTS - 1).containsOnly(1);
        return new long[] {early, m.sum(OverlayStats::announcements) - before};
    }

    @Test
    void aDenseOverlayAnnouncesEachBroadcastToTheFanoutAtOnceAndToTheOthersLater() {
        long[] sampled = announcementsOfOneBroadcast(buildForCounting(FANOUT));
        long[] all = announcementsOfOneBroadcast(buildForCounting(0));
        // while the broadcast spreads each of the 80 agents announces it to at most FANOUT lazy neighbours
        assertThat(sampled[0]).isPositive().isLessThanOrEqualTo((long) AGENTS * FANOUT);
        // without the bound every lazy neighbour hears of it at once: about 10 per agent
        assertThat(all[0]).isGreaterThan((long) AGENTS * FANOUT);
        // the lazy flush announced it to the others as well: every lazy link hears of every message either way
        assertThat(sampled[1]).isGreaterThan((long) AGENTS * FANOUT).isGreaterThan(sampled[0]);
        assertThat(all[1]).isEqualTo(all[0]);
    }

    /**
     * The held-back announcements leave in each link's own slot of the 500 ms flush, spread over it: one timer per
     * agent, armed by the broadcast, made all the agents flush all their links within the 100 ms the broadcast took to
     * spread, a burst of one IHAVE per lazy link of the mesh that stalled the next broadcast over real connections
     * (perf/README.md, "The lazy flush in step").
     */
    @Test
    void theHeldBackAnnouncementsAreSpreadOverTheFlushNotSentInOneBurst() {
        Emulated m = buildForCounting(1);
        for (int i = 0; i < 2; i++) {
            m.emu.broadcast(0, ("settle " + i).getBytes());
            m.emu.runFor(2 * Emulated.S);
        }
        m.emu.broadcast(0, "counted".getBytes());
        m.emu.runFor(150 * Emulated.MS);
        long start = m.sum(OverlayStats::announcements);
        long[] at = new long[36]; // every 25 ms for 900 ms
        for (int i = 0; i < at.length; i++) {
            m.emu.runFor(25 * Emulated.MS);
            at[i] = m.sum(OverlayStats::announcements) - start;
        }
        long deferred = at[at.length - 1];
        assertThat(deferred).as("announcements held back for the flush").isGreaterThan((long) AGENTS * 5);
        long busiest = 0;
        for (int i = 4; i < at.length; i++) {
            busiest = Math.max(busiest, at[i] - at[i - 4]); // any 100 ms
        }
        // slots spread evenly over 500 ms put about a fifth in any 100 ms; one timer per agent put nearly all
        assertThat(busiest).as("most announcements in 100 ms, of " + deferred).isLessThanOrEqualTo(deferred * 2 / 5);
        // none before half a period (250 ms; the broadcast spread within 150 ms), none after one and a half (750 ms)
        assertThat(at[3]).as("sent within 150 + 100 ms").isZero();
        assertThat(at[at.length - 1] - at[at.length - 5]).as("sent in the last 100 ms, of 1,050").isZero();
    }

    @Test
    void aBrokenTreeIsStillRepairedFromTheSampledAnnouncements() {
        Emulated m = build(FANOUT);
        for (int i = 0; i < 2; i++) {
            m.emu.broadcast(0, ("warm-up " + i).getBytes());
            m.emu.runFor(2 * Emulated.S);
        }
        long graftsBefore = m.sum(OverlayStats::grafts);
        List<Integer> crashed = List.of(5, 13, 22, 31, 47, 58, 66, 74);
        m.emu.fail(crashed);
        int mark = m.events.size();
        SendResult r = m.emu.broadcast(0, "across the broken tree".getBytes());
        m.emu.runFor(3 * Emulated.S);

        Map<Integer, Integer> got = m.deliveries(m.emu.node(0).id(), r.sequence(), mark);
        assertThat(got).hasSize(AGENTS - 1 - crashed.size());
        assertThat(got.values()).containsOnly(1);
        assertThat(m.sum(OverlayStats::grafts) - graftsBefore).as("grafts sent").isPositive();
    }

    /** Unset, the fanout is 1 from degree 12 up and 0 (announce to all) below; a copy re-derives it from its degree. */
    @Test
    void theFanoutFollowsTheDegreeUnlessSet() {
        assertThat(OverlayConfig.builder().degree(8).build().lazyFanout).isZero();
        assertThat(OverlayConfig.builder().degree(OverlayConfig.DENSE_DEGREE - 1).build().lazyFanout).isZero();
        assertThat(OverlayConfig.builder().degree(OverlayConfig.DENSE_DEGREE).build().lazyFanout).isEqualTo(1);
        assertThat(OverlayConfig.builder().degree(20).build().lazyFanout).isEqualTo(1);
        assertThat(OverlayConfig.builder().degree(20).lazyFanout(0).build().lazyFanout).isZero();
        assertThat(OverlayConfig.builder().degree(8).lazyFanout(3).build().lazyFanout).isEqualTo(3);
        assertThat(OverlayConfig.builder().degree(20).build().toBuilder().degree(8).build().lazyFanout).isZero();
        assertThat(OverlayConfig.builder().degree(20).lazyFanout(0).build().toBuilder().build().lazyFanout).isZero();
        assertThat(MeshConfig.builder(Identity.generate(), java.net.URI.create("ws://127.0.0.1:1/")).degree(20).build()
                .overlay().lazyFanout).as("through MeshConfig").isEqualTo(1);
    }

    @Test
    void aNegativeFanoutIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OverlayConfig.builder().lazyFanout(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lazy fanout");
    }
}
