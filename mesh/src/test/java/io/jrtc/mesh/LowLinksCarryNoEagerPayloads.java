package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.quality.LinkMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A link rated LOW ({@link OverlayCore#linkMode}) carries control frames and lazy ids but no eager broadcast payloads,
 * and unicast routes go around it; every agent still gets every message. The same runs without the rating use the
 * link, so the assertions can fail.
 */
class LowLinksCarryNoEagerPayloads {

    private static final int ENVELOPE = 0x10;
    private static final int IHAVE = 0x08;
    private static final int BROADCAST = 1;
    private static final int UNICAST = 2;

    /** Frames seen on one link, by first byte (and envelope kind). */
    private record Run(Emulated m, int x, Map<String, Integer> onLink) {
    }

    private static Run build(boolean low) {
        Emulated m = Emulated.build(40, 6, 2026);
        AgentId xId = m.core(0).activeView().getFirst();
        int x = m.emu.byAgent(xId).index();
        long link = m.emu.node(0).linkIds().get(xId);
        Map<String, Integer> onLink = new HashMap<>();
        m.emu.onTransmit((n, t) -> {
            if (t.linkId() == link) {
                byte[] b = t.bytes();
                String key = (b[0] & 0xff) == ENVELOPE ? "envelope-" + b[2] : "frame-" + (b[0] & 0xff);
                onLink.merge(key, 1, Integer::sum);
            }
        });
        if (low) {
            m.emu.with(0, c -> c.linkMode(m.emu.now(), link, LinkMode.LOW));
            m.emu.with(x, c -> c.linkMode(m.emu.now(), link, LinkMode.LOW));
        }
        return new Run(m, x, onLink);
    }

    private static int broadcastThrice(Emulated m, int from) {
        int delivered = 0;
        for (int i = 0; i < 3; i++) {
            int mark = m.events.size();
            SendResult r = m.emu.broadcast(from, ("b" + i).getBytes());
            m.emu.runFor(3 * Emulated.S);
            Map<Integer, Integer> got = m.deliveries(m.emu.node(from).id(), r.sequence(), mark);
            assertThat(got).hasSize(39).allSatisfy((n, c) -> assertThat(c).isEqualTo(1));
            delivered += got.size();
        }
        return delivered;
    }

    @Test
    void aLowLinkGetsIdsButNoBroadcastPayloads() {
        Run low = build(true);
        assertThat(broadcastThrice(low.m, 0)).isEqualTo(3 * 39);
        assertThat(broadcastThrice(low.m, low.x)).isEqualTo(3 * 39);
        assertThat(low.onLink).doesNotContainKey("envelope-" + BROADCAST);
        assertThat(low.onLink.getOrDefault("frame-" + IHAVE, 0)).isPositive();

        Run normal = build(false); // the first broadcast floods every link, this one included
        broadcastThrice(normal.m, 0);
        assertThat(normal.onLink.getOrDefault("envelope-" + BROADCAST, 0)).isPositive();
    }

    /** Node 0 sends to its neighbour x with an acknowledgement; returns the hops of the delivery at x. */
    private static int unicastHops(Run r) {
        r.m.emu.broadcast(r.x, "hello from x".getBytes()); // teaches node 0 a route to x by the path the payload took
        r.m.emu.runFor(3 * Emulated.S);
        int mark = r.m.events.size();
        SendResult s = r.m.emu.send(0, r.x, "direct?".getBytes(), true);
        r.m.emu.runFor(3 * Emulated.S);
        List<Emulated.Recorded> got = r.m.eventsOf(OverlayEvent.Delivered.class, mark);
        assertThat(got).singleElement().satisfies(e -> assertThat(e.node()).isEqualTo(r.x));
        assertThat(r.m.eventsOf(OverlayEvent.Acked.class, mark)).singleElement()
                .satisfies(e -> assertThat(((OverlayEvent.Acked) e.event()).sequence()).isEqualTo(s.sequence()));
        return ((OverlayEvent.Delivered) got.getFirst().event()).hops();
    }

    @Test
    void unicastGoesAroundALowLink() {
        Run low = build(true);
        assertThat(unicastHops(low)).isGreaterThanOrEqualTo(2);
        assertThat(low.onLink).doesNotContainKey("envelope-" + UNICAST);
        assertThat(low.onLink).doesNotContainKey("envelope-3"); // nor the acknowledgement

        Run normal = build(false);
        assertThat(unicastHops(normal)).isEqualTo(1);
        assertThat(normal.onLink.getOrDefault("envelope-" + UNICAST, 0)).isEqualTo(1);
    }
}
