package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.internal.wire.BulkChunk;
import io.jrtc.mesh.internal.wire.Envelope;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.GraftFrame;
import io.jrtc.mesh.internal.wire.IHaveFrame;
import io.jrtc.mesh.internal.wire.MessageId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The overlay core on the emulator's virtual clock: envelopes carry their origination time (latency = virtual time
 * elapsed), unreliable messages travel on the unreliable class only and are never repaired, and bulk transfers are
 * chunked on the bulk class, reassembled, acknowledged, refused above the size limit, and held back hop by hop.
 */
class ChannelClassesCarryTheirOwnTrafficEmulated {

    private record Sent(int node, Transmit transmit, Frame frame) {
    }

    private static List<Sent> tap(Emulated m) {
        List<Sent> sent = new ArrayList<>();
        m.emu.onTransmit((n, t) -> {
            try {
                sent.add(new Sent(n.index(), t, Frame.parse(ByteBuffer.wrap(t.bytes()))));
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
        });
        return sent;
    }

    @Test
    void deliveriesReportTheirLatencyFromTheSignedOriginationTime() {
        Emulated m = Emulated.build(30, 4, 7);
        int mark = m.events.size();
        long sentAt = m.emu.now();
        SendResult r = m.emu.broadcast(3, "timed".getBytes());
        m.emu.runFor(2 * Emulated.S);
        var delivered = m.deliveries(m.emu.node(3).id(), r.sequence(), mark);
        assertThat(delivered).hasSize(29);
        for (var e : m.eventsOf(OverlayEvent.Delivered.class, mark)) {
            OverlayEvent.Delivered d = (OverlayEvent.Delivered) e.event();
            assertThat(d.originTime()).isEqualTo(sentAt / 1000); // the emulator's clock is the wall clock (offset 0)
            assertThat(d.latencyNanos()).isEqualTo((e.at() / 1000 - sentAt / 1000) * 1000).isPositive();
            assertThat(d.channel()).isEqualTo(ChannelClass.RELIABLE);
        }
    }

    @Test
    void unreliableBroadcastsTravelTheUnreliableClassOnlyAndLossesAreNotRepaired() {
        Emulated m = new Emulated(25, OverlayConfig.builder().degree(4).build(), EmuConfig.defaults(11));
        m.emu.broadcast(0, "tree".getBytes()); // forms the broadcast tree
        m.emu.runFor(3 * Emulated.S);
        List<Sent> sent = tap(m);
        int mark = m.events.size();
        SendResult r = m.core(5).broadcast(m.emu.now(), "best effort".getBytes(), Delivery.UNRELIABLE);
        m.emu.with(5, c -> { });
        m.emu.runFor(3 * Emulated.S);
        MessageId id = new MessageId(m.emu.node(5).id(), r.sequence());
        assertThat(m.deliveries(id.origin(), id.sequence(), mark)).hasSize(24).allSatisfy((n, k) -> assertThat(k)
                .isEqualTo(1));
        List<Sent> copies = sent.stream().filter(s -> s.frame() instanceof Envelope e && e.id().equals(id)).toList();
        assertThat(copies).isNotEmpty().allSatisfy(s -> {
            assertThat(s.transmit().channel()).isEqualTo(ChannelClass.UNRELIABLE);
            assertThat(((Envelope) s.frame()).unreliable()).isTrue();
        });
        assertThat(sent).noneSatisfy(s -> assertThat(s.frame() instanceof IHaveFrame ih && ih.ids().contains(id))
                .isTrue());
        for (var e : m.eventsOf(OverlayEvent.Delivered.class, mark)) {
            assertThat(((OverlayEvent.Delivered) e.event()).channel()).isEqualTo(ChannelClass.UNRELIABLE);
        }
    }

    @Test
    void lostUnreliableCopiesStayLostWhileReliableOnesAreRepaired() {
        Emulated m = new Emulated(25, OverlayConfig.builder().degree(4).build(), EmuConfig.defaults(12).withLoss(0.2));
        List<Sent> sent = tap(m);
        int mark = m.events.size();
        List<MessageId> unreliable = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SendResult r = m.core(i).broadcast(m.emu.now(), ("u" + i).getBytes(), Delivery.UNRELIABLE);
            m.emu.with(i, c -> { });
            unreliable.add(new MessageId(m.emu.node(i).id(), r.sequence()));
        }
        SendResult reliable = m.emu.broadcast(20, "reliable".getBytes());
        m.emu.runFor(10 * Emulated.S);
        int got = 0;
        for (MessageId id : unreliable) {
            got += m.deliveries(id.origin(), id.sequence(), mark).size();
        }
        assertThat(got).as("unreliable deliveries out of 240").isLessThan(240).isGreaterThan(0);
        assertThat(m.deliveries(m.emu.node(20).id(), reliable.sequence(), mark)).hasSize(24);
        assertThat(sent).noneSatisfy(s -> assertThat(s.frame() instanceof GraftFrame g
                && g.ids().stream().anyMatch(unreliable::contains)).isTrue());
        assertThat(m.emu.framesLost()).isPositive();
    }

    // ---------------------------------------------------------------- bulk

    private static int[] pathOfAtLeastTwoHops(Emulated m, int from) {
        Map<AgentId, AgentId> parent = new HashMap<>();
        ArrayDeque<AgentId> q = new ArrayDeque<>();
        AgentId start = m.emu.node(from).id();
        parent.put(start, start);
        q.add(start);
        while (!q.isEmpty()) {
            AgentId a = q.poll();
            for (AgentId n : m.emu.byAgent(a).core().activeView()) {
                if (parent.putIfAbsent(n, a) == null) {
                    q.add(n);
                    if (!parent.get(n).equals(start)) { // two hops: start -> parent -> n
                        return new int[] {from, m.emu.byAgent(parent.get(n)).index(), m.emu.byAgent(n).index()};
                    }
                }
            }
        }
        throw new AssertionError("no agent two hops away");
    }

    /** Sends {@code data} chunk by chunk, running the emulator while the core answers back-pressure. */
    private static List<SendResult> pumpBulk(Emulated m, int from, AgentId to, long transfer, byte[] data,
                                             Runnable whileBlocked) {
        List<SendResult> results = new ArrayList<>();
        int chunks = Math.max(1, (data.length + BulkChunk.CHUNK_BYTES - 1) / BulkChunk.CHUNK_BYTES);
        for (int i = 0; i < chunks; i++) {
            byte[] slice = Arrays.copyOfRange(data, i * BulkChunk.CHUNK_BYTES,
                    Math.min(data.length, (i + 1) * BulkChunk.CHUNK_BYTES));
            int index = i;
            for (int tries = 0; ; tries++) {
                SendResult[] r = new SendResult[1];
                m.emu.with(from, c -> r[0] = c.sendBulkChunk(m.emu.now(), to, transfer, index, index == chunks - 1,
                        slice));
                results.add(r[0]);
                if (r[0].accepted()) {
                    break;
                }
                assertThat(r[0].status()).isEqualTo(SendResult.Status.BACKPRESSURE);
                assertThat(tries).as("back-pressure never lifted").isLessThan(2_000);
                whileBlocked.run();
                m.emu.runFor(10 * Emulated.MS);
            }
        }
        return results;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aBulkTransferCrossesTwoHopsOnTheBulkClassAndArrivesWholeAndAcknowledged() {
        Emulated m = Emulated.build(30, 3, 21);
        int[] path = pathOfAtLeastTwoHops(m, 0);
        List<Sent> sent = tap(m);
        int mark = m.events.size();
        byte[] data = random(1_000_000, 1);
        List<SendResult> results = pumpBulk(m, 0, m.emu.node(path[2]).id(), 99, data, () -> { });
        m.emu.runFor(5 * Emulated.S);
        var delivered = m.eventsOf(OverlayEvent.Delivered.class, mark).stream()
                .filter(e -> ((OverlayEvent.Delivered) e.event()).channel() == ChannelClass.BULK).toList();
        assertThat(delivered).singleElement().satisfies(e -> {
            OverlayEvent.Delivered d = (OverlayEvent.Delivered) e.event();
            assertThat(e.node()).isEqualTo(path[2]);
            assertThat(d.payload()).isEqualTo(data);
            assertThat(d.sequence()).isEqualTo(99);
            assertThat(d.hops()).isGreaterThanOrEqualTo(2);
            assertThat(d.broadcast()).isFalse();
        });
        long last = results.get(results.size() - 1).sequence();
        assertThat(m.eventsOf(OverlayEvent.Acked.class, mark)).singleElement()
                .satisfies(e -> assertThat(((OverlayEvent.Acked) e.event()).sequence()).isEqualTo(last));
        List<Sent> chunks = sent.stream().filter(s -> s.frame() instanceof Envelope e && e.kind() == Envelope.BULK)
                .toList();
        assertThat(chunks.size()).isGreaterThanOrEqualTo(2 * 31); // 31 chunks, at least two hops each
        assertThat(chunks).allSatisfy(s -> {
            assertThat(s.transmit().channel()).isEqualTo(ChannelClass.BULK);
            assertThat(((Envelope) s.frame()).payload().length).isLessThanOrEqualTo(BulkChunk.HEADER
                    + BulkChunk.CHUNK_BYTES);
        });
    }

    @Test
    void aBlockedHopPausesItsUpstreamUntilItDrains() {
        Emulated m = Emulated.build(30, 3, 22);
        int[] path = pathOfAtLeastTwoHops(m, 0);
        OverlayCore forwarder = m.core(path[1]);
        long toOrigin = m.emu.node(path[1]).linkIds().get(m.emu.node(path[0]).id());
        long onward = m.emu.node(path[1]).linkIds().get(m.emu.node(path[2]).id());
        // the forwarder's channel onward is full (its bufferedAmount above the mark): its bulk frames queue
        m.emu.with(path[1], c -> c.linkBackpressure(m.emu.now(), onward, ChannelClass.BULK, true));
        int mark = m.events.size();
        byte[] data = random(1_500_000, 2);
        pumpBulk(m, path[0], m.emu.node(path[2]).id(), 5, data, () -> { });
        m.emu.runFor(2 * Emulated.S);
        var pauses = m.eventsOf(OverlayEvent.PauseInbound.class, mark);
        assertThat(pauses).singleElement().satisfies(e -> {
            OverlayEvent.PauseInbound p = (OverlayEvent.PauseInbound) e.event();
            assertThat(e.node()).isEqualTo(path[1]);
            assertThat(p.linkId()).isEqualTo(toOrigin);
            assertThat(p.channel()).isEqualTo(ChannelClass.BULK);
            assertThat(p.paused()).isTrue();
        });
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark)).isEmpty();

        m.emu.with(path[1], c -> c.linkBackpressure(m.emu.now(), onward, ChannelClass.BULK, false));
        m.emu.runFor(5 * Emulated.S);
        pauses = m.eventsOf(OverlayEvent.PauseInbound.class, mark);
        assertThat(((OverlayEvent.PauseInbound) pauses.get(1).event()).paused()).isFalse();
        assertThat(forwarder.stats().dropped(DropReason.QUEUE_FULL)).isZero();
        assertThat(forwarder.stats().dropped(DropReason.EXPIRED)).isZero();
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark).stream()
                .map(e -> (OverlayEvent.Delivered) e.event()).filter(d -> d.channel() == ChannelClass.BULK).toList())
                .singleElement().satisfies(d -> assertThat(d.payload()).isEqualTo(data));
    }

    @Test
    void theOriginIsRefusedWithBackPressureWhileItsBulkQueueIsFullAndToldWhenWritable() {
        Emulated m = Emulated.build(20, 3, 23);
        int[] path = pathOfAtLeastTwoHops(m, 0);
        long out = m.emu.node(path[0]).linkIds().get(m.emu.node(path[1]).id());
        m.emu.with(path[0], c -> c.linkBackpressure(m.emu.now(), out, ChannelClass.BULK, true));
        int mark = m.events.size();
        AgentId to = m.emu.node(path[1]).id();
        List<SendResult> accepted = new ArrayList<>();
        SendResult r;
        int i = 0;
        do {
            int index = i++;
            SendResult[] got = new SendResult[1];
            m.emu.with(path[0], c -> got[0] = c.sendBulkChunk(m.emu.now(), to, 1, index, false, new byte[100]));
            r = got[0];
            if (r.accepted()) {
                accepted.add(r);
            }
        } while (r.accepted() && i < 100);
        assertThat(r.status()).isEqualTo(SendResult.Status.BACKPRESSURE);
        assertThat(accepted).hasSize(m.overlay.bulkHighWater);
        assertThat(m.eventsOf(OverlayEvent.Writable.class, mark)).isEmpty();
        m.emu.with(path[0], c -> c.linkBackpressure(m.emu.now(), out, ChannelClass.BULK, false));
        assertThat(m.eventsOf(OverlayEvent.Writable.class, mark)).hasSize(1);
    }

    @Test
    void aTransferAboveTheReceiversLimitIsRefusedAndNeverAcknowledged() {
        OverlayConfig small = OverlayConfig.builder().degree(3).ackTimeout(Duration.ofSeconds(3))
                .bulk(100_000, 2, Duration.ofSeconds(5), 8).build();
        Emulated m = new Emulated(12, small, EmuConfig.defaults(24));
        int mark = m.events.size();
        AgentId to = m.emu.node(7).id();
        pumpBulk(m, 2, to, 3, random(200_000, 3), () -> { });
        m.emu.runFor(5 * Emulated.S);
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark)).isEmpty();
        assertThat(m.eventsOf(OverlayEvent.Dropped.class, mark)).filteredOn(e -> e.node() == 7)
                .singleElement().satisfies(e -> assertThat(((OverlayEvent.Dropped) e.event()).reason())
                        .isEqualTo(DropReason.TOO_LARGE));
        assertThat(m.core(7).stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);
        assertThat(m.core(7).stats().dropped(DropReason.INCOMPLETE)).isEqualTo(3); // the chunks after the limit
        assertThat(m.eventsOf(OverlayEvent.AckTimedOut.class, mark)).singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo(2));
    }

    @Test
    void chunksAreReassembledInAnyOrderAndAMissingOneAbandonsTheTransferAfterTheTimeout() {
        Emulated m = Emulated.build(12, 3, 25);
        int mark = m.events.size();
        AgentId to = m.emu.node(4).id();
        byte[] a = random(BulkChunk.CHUNK_BYTES, 5);
        m.emu.with(1, c -> c.sendBulkChunk(m.emu.now(), to, 6, 1, true, new byte[] {9}));
        m.emu.with(1, c -> c.sendBulkChunk(m.emu.now(), to, 6, 0, false, a));
        m.emu.runFor(3 * Emulated.S);
        byte[] whole = Arrays.copyOf(a, a.length + 1);
        whole[a.length] = 9;
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark)).singleElement().satisfies(e -> {
            assertThat(((OverlayEvent.Delivered) e.event()).payload()).isEqualTo(whole);
            assertThat(((OverlayEvent.Delivered) e.event()).channel()).isEqualTo(ChannelClass.BULK);
        });

        int mark2 = m.events.size();
        m.emu.with(1, c -> c.sendBulkChunk(m.emu.now(), to, 8, 0, false, a));
        m.emu.with(1, c -> c.sendBulkChunk(m.emu.now(), to, 8, 2, true, new byte[10])); // index 1 never sent
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.core(4).stats().dropped(DropReason.INCOMPLETE)).isZero(); // it may still come
        m.emu.runFor(m.overlay.bulkTimeoutNanos);
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, mark2)).isEmpty();
        assertThat(m.core(4).stats().dropped(DropReason.INCOMPLETE)).isEqualTo(1);
        // a short chunk before the last one cannot be placed: refused at once
        m.emu.with(1, c -> c.sendBulkChunk(m.emu.now(), to, 9, 0, false, new byte[10]));
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.core(4).stats().dropped(DropReason.INCOMPLETE)).isEqualTo(2);
    }
}
