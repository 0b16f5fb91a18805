package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Buffer ownership on the receive path. With {@link SctpAssociation#handleOwnedInput} the caller gives its packets away
 * for good: a message that arrives in one chunk is delivered as a view of its packet (no copy), and a large message
 * as the list of its fragments, each a view of the packet it came in (not joined: no copy either, ordered or
 * unordered, whatever order the fragments arrived in); the association never writes into a packet handed to it. With {@link SctpAssociation#handleInput} the caller may reuse its buffer at once. Either
 * way a message the application keeps must not change while more packets arrive.
 */
class ReceivedMessagesOutliveTheirPackets {

    private static final int[] SIZES = {65_536, 1_024, 3_000, 100, 20_000, 1_200, 8, 65_536, 5_000, 1_500};
    private static final NetemConfig LOSSY = NetemConfig.perfect().withDelay(Duration.ofMillis(10))
            .withLoss(0.05).withReorder(0.1, Duration.ofMillis(15)).withDuplication(0.05);

    @Test
    void ownedPacketsAreNeverWrittenAndKeptMessagesStayIntact() {
        Run r = transfer(true, 11, SendOptions.RELIABLE);
        assertThat(r.handedOver).isNotEmpty();
        assertIntact(r.kept);
        for (int i = 0; i < r.handedOver.size(); i++) {
            assertThat(r.handedOver.get(i).array()).as("packet %d as handed over", i).isEqualTo(r.handedOverCopies.get(i));
        }
        long views = r.kept.stream().filter(m -> m.fragments().size() == 1)
                .filter(m -> m.data().array().length != m.data().remaining()).count();
        assertThat(views).as("one-chunk messages delivered as views of their packet").isPositive();
        assertFragmentsAreViewsOfHandedOverPackets(r);
    }

    @Test
    void unorderedFragmentsAreViewsOfHandedOverPacketsToo() {
        Run r = transfer(true, 13, SendOptions.RELIABLE_UNORDERED);
        assertIntact(r.kept);
        assertFragmentsAreViewsOfHandedOverPackets(r);
    }

    @Test
    void aReusedInputBufferNeverReachesTheApplication() {
        Run r = transfer(false, 12, SendOptions.RELIABLE);
        assertIntact(r.kept);
        for (SctpEvent.MessageReceived m : r.kept) {
            for (ByteBuffer f : m.fragments()) {
                assertThat(f.array()).as("a fragment copied out of the reused buffer").isNotSameAs(r.scratch.array());
            }
        }
    }

    /**
     * Every fragment of every message is a view of a packet handed over (identity, not equality), and a message larger
     * than one packet arrived as several of them: nothing joined it.
     */
    private static void assertFragmentsAreViewsOfHandedOverPackets(Run r) {
        java.util.Set<byte[]> packets = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        r.handedOver.forEach(p -> packets.add(p.array()));
        int fragmented = 0;
        for (SctpEvent.MessageReceived m : r.kept) {
            int at = 0;
            for (ByteBuffer f : m.fragments()) {
                assertThat(packets.contains(f.array())).as("fragment at byte %d of a %d-byte message is a view of a packet",
                        at, m.size()).isTrue();
                at += f.remaining();
            }
            assertThat(at).isEqualTo(m.size());
            if (m.size() > 1_200) {
                assertThat(m.fragments()).as("a %d-byte message", m.size()).hasSizeGreaterThanOrEqualTo(m.size() / 1_200);
                fragmented++;
            }
        }
        assertThat(fragmented).as("messages larger than one packet").isEqualTo(
                (int) Arrays.stream(SIZES).filter(n -> n > 1_200).count());
    }

    @Test
    void everyDataChunkOfAnOwnedPacketIsAView() throws Exception {
        byte[] big = new byte[1_100];
        Arrays.fill(big, (byte) 7);
        ByteBuffer fragment = packet(new io.jrtc.sctp.packet.DataChunk(1, 0, 0, 53, big, false, true, false, false));
        ByteBuffer whole = packet(new io.jrtc.sctp.packet.DataChunk(2, 0, 1, 53, new byte[] {1, 2, 3}, false, true, true, false));
        var shared = (io.jrtc.sctp.packet.DataChunk) io.jrtc.sctp.packet.SctpPacket.parse(fragment.duplicate(), true).chunks().get(0);
        var copied = (io.jrtc.sctp.packet.DataChunk) io.jrtc.sctp.packet.SctpPacket.parse(fragment.duplicate(), false).chunks().get(0);
        var small = (io.jrtc.sctp.packet.DataChunk) io.jrtc.sctp.packet.SctpPacket.parse(whole.duplicate(), true).chunks().get(0);
        assertThat(shared.sharesPacket()).isTrue();
        assertThat(copied.sharesPacket()).isFalse();
        assertThat(small.sharesPacket()).isTrue();
        assertThat(small.userData().array()).isSameAs(whole.array());
        assertThat(small.userData().remaining()).isEqualTo(3);
        assertThat(shared).isEqualTo(copied);
        Arrays.fill(fragment.array(), (byte) 0);
        assertThat(copied.payload()).containsOnly(7);
        assertThat(shared.payload()).containsOnly(0); // a view: the caller gave the bytes away
    }

    private static ByteBuffer packet(io.jrtc.sctp.packet.DataChunk c) {
        return new io.jrtc.sctp.packet.SctpPacket(5000, 5000, 1, List.of(c)).encode(true);
    }

    /** Every message arrived once, intact (in any order: unordered ones may overtake). */
    private static void assertIntact(List<SctpEvent.MessageReceived> kept) {
        assertThat(kept).hasSize(SIZES.length);
        List<Integer> seen = new ArrayList<>();
        for (SctpEvent.MessageReceived m : kept) {
            int i = Messages.check(m.data());
            assertThat(i).as("a message's bytes").isBetween(0, SIZES.length - 1);
            assertThat(m.size()).isEqualTo(SIZES[i]);
            seen.add(i);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        if (!kept.get(0).unordered()) {
            assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    private record Run(List<SctpEvent.MessageReceived> kept, List<ByteBuffer> handedOver, List<byte[]> handedOverCopies,
            ByteBuffer scratch) {
    }

    /** A sends every message of {@link #SIZES} in order; B's application keeps each received buffer as it is. */
    private static Run transfer(boolean owned, long seed, SendOptions options) {
        SctpAssociation a = new SctpAssociation(SctpPair.config(seed).build(), "A");
        SctpAssociation b = new SctpAssociation(SctpPair.config(seed + 1).build(), "B");
        Receiver rb = new Receiver(b, owned);
        Receiver ra = new Receiver(a, owned);
        BackToBack net = new BackToBack(ra, rb, LOSSY, LOSSY, seed);
        List<SctpEvent.MessageReceived> kept = new ArrayList<>();
        net.onStep(() -> {
            for (Optional<SctpEvent> e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
                if (e.get() instanceof SctpEvent.MessageReceived m) {
                    kept.add(m); // kept without a copy, as an application may
                }
            }
            while (a.pollEvent().isPresent()) {
                // not needed
            }
        });
        a.connect(net.now());
        b.connect(net.now());
        assertThat(net.runUntil(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED,
                Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < SIZES.length; i++) {
            ByteBuffer m = Messages.make(i, SIZES[i]);
            a.send(net.now(), 1, 53, m, options);
            Arrays.fill(m.array(), (byte) 0x33); // the sender reuses its buffer at once: SCTP copied it
        }
        assertThat(net.runUntil(() -> kept.size() == SIZES.length, Duration.ofSeconds(120))).isTrue();
        return new Run(kept, rb.handedOver, rb.handedOverCopies, rb.scratch);
    }

    /**
     * Feeds an association the way a lower layer would: handing each packet over ({@code owned}), or copying it into
     * one scratch buffer that it overwrites after every call (a caller that reuses its receive buffer).
     */
    private static final class Receiver implements DatagramCore {
        final SctpAssociation core;
        final boolean owned;
        final List<ByteBuffer> handedOver = new ArrayList<>();
        final List<byte[]> handedOverCopies = new ArrayList<>();
        final ByteBuffer scratch = ByteBuffer.allocate(70_000);

        Receiver(SctpAssociation core, boolean owned) {
            this.core = core;
            this.owned = owned;
        }

        @Override
        public void handleInput(long nowNanos, ByteBuffer datagram) {
            if (owned) {
                ByteBuffer mine = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
                handedOver.add(mine);
                handedOverCopies.add(mine.array().clone());
                core.handleOwnedInput(nowNanos, mine);
            } else {
                scratch.clear().put(datagram.duplicate()).flip();
                core.handleInput(nowNanos, scratch);
                Arrays.fill(scratch.array(), (byte) 0x77);
            }
        }

        @Override
        public void handleTimeout(long nowNanos) {
            core.handleTimeout(nowNanos);
        }

        @Override
        public Optional<ByteBuffer> pollTransmit() {
            return core.pollTransmit();
        }

        @Override
        public long pollTimeout() {
            return core.pollTimeout();
        }
    }
}
