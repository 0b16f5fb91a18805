package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.internal.wire.Envelope;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Envelopes injected on a real link of an emulated overlay of Ed25519 agents: a tampered one is dropped at the
 * first hop and goes nowhere; a replay of a genuine one is dropped once its id has left the seen cache.
 */
class ForgedAndReplayedEnvelopesAreRejected {

    private static final int X = 4;

    private static Emulated overlay() {
        OverlayConfig cfg = OverlayConfig.builder().degree(4).seenCacheSize(8).build();
        return new Emulated(24, cfg, EmuConfig.defaults(61).withEd25519(true));
    }

    private static void inject(Emulated m, int at, int from, Envelope e) {
        long link = m.emu.node(at).linkIds().get(m.emu.node(from).id());
        byte[] bytes = e.withHops(1).toBytes();
        m.emu.with(at, c -> c.handleInput(m.emu.now(), link, ByteBuffer.wrap(bytes)));
    }

    private static Envelope signed(Emulated m, long seq, String text) {
        return Envelope.create(m.emu.node(X).signer(), Envelope.BROADCAST, 0, 32, seq, null, text.getBytes());
    }

    @Test
    void tamperedSignatureIsDroppedAtTheFirstHopAndReported() {
        Emulated m = overlay();
        int y = m.emu.byAgent(m.core(X).activeView().get(0)).index();
        long received = m.sum(OverlayStats::broadcastReceived);
        int mark = m.events.size();

        Envelope genuine = signed(m, 1_000_000, "pay 10");
        byte[] payload = "pay 99".getBytes();
        Envelope tampered = new Envelope(genuine.version(), genuine.kind(), genuine.flags(), genuine.hopLimit(), 0,
                genuine.sequence(), genuine.originTime(), genuine.originKey(), genuine.origin(), null, payload,
                genuine.signature());
        inject(m, y, X, tampered);
        m.emu.runFor(2 * Emulated.S);

        assertThat(m.eventsOf(OverlayEvent.Dropped.class, mark)).singleElement().satisfies(r -> {
            assertThat(r.node()).isEqualTo(y);
            OverlayEvent.Dropped d = (OverlayEvent.Dropped) r.event();
            assertThat(d.reason()).isEqualTo(DropReason.BAD_SIGNATURE);
            assertThat(d.origin()).isEqualTo(m.emu.node(X).id());
        });
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark)).isEmpty();
        assertThat(m.sum(OverlayStats::broadcastReceived) - received).as("copies received anywhere").isEqualTo(1);
        assertThat(m.core(y).stats().dropped(DropReason.BAD_SIGNATURE)).isEqualTo(1);

        // The genuine envelope with the same id still goes through: the forgery did not poison the seen cache. It
        // reaches all 24 agents, X included: X's core did not send it (the test signed it with X's key).
        inject(m, y, X, genuine);
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.deliveries(genuine.origin(), genuine.sequence(), mark)).hasSize(24);
    }

    @Test
    void replayedEnvelopeIsDroppedAfterItLeftTheSeenCache() {
        Emulated m = overlay();
        int y = m.emu.byAgent(m.core(X).activeView().get(0)).index();
        int mark = m.events.size();
        Envelope first = signed(m, 2_000_000, "once");
        inject(m, y, X, first);
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.deliveries(first.origin(), first.sequence(), mark)).containsEntry(y, 1);
        for (int i = 1; i <= 12; i++) {
            inject(m, y, X, signed(m, 2_000_000 + i, "later " + i));
        }
        m.emu.runFor(2 * Emulated.S);

        int replayMark = m.events.size();
        long replaysBefore = m.core(y).stats().dropped(DropReason.REPLAY);
        inject(m, y, X, first);
        inject(m, y, X, signed(m, 2_000_000 - 5_000, "far older than the window"));
        m.emu.runFor(2 * Emulated.S);

        assertThat(m.eventsOf(OverlayEvent.Delivered.class, replayMark)).isEmpty();
        assertThat(m.eventsOf(OverlayEvent.Dropped.class, replayMark)).hasSize(2).allSatisfy(r -> {
            assertThat(r.node()).isEqualTo(y);
            assertThat(((OverlayEvent.Dropped) r.event()).reason()).isEqualTo(DropReason.REPLAY);
        });
        assertThat(m.core(y).stats().dropped(DropReason.REPLAY) - replaysBefore).isEqualTo(2);
    }
}
