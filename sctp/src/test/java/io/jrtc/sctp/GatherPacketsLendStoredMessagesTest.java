package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Gather;
import io.jrtc.common.ParseException;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A packet from {@code pollTransmitGather()} carries each DATA chunk's user data as a range of the array the message
 * was stored in (no copy), its headers in one exact-size array, and a correct CRC32c when zero checksum is off.
 */
class GatherPacketsLendStoredMessagesTest {

    /** Every gather A transmitted, with its ranges captured while it was valid. */
    private static final class Capture {
        final List<Gather> gathers = new ArrayList<>();
        final List<byte[]> flat = new ArrayList<>();

        void accept(Gather g) {
            gathers.add(g);
            ByteBuffer f = g.flatten();
            byte[] bytes = new byte[f.remaining()];
            f.get(bytes);
            flat.add(bytes);
        }
    }

    private static SctpConfig.Builder config(long seed, boolean zeroChecksum) {
        return SctpPair.config(seed).zeroChecksum(zeroChecksum);
    }

    /** A and B over a perfect link, established, with every gather A sends captured. */
    private record Link(SctpAssociation a, SctpAssociation b, BackToBack net, Capture capture, List<byte[]> received) {

        static Link establish(boolean zeroChecksum) {
            SctpAssociation a = new SctpAssociation(config(5, zeroChecksum).build(), "A");
            SctpAssociation b = new SctpAssociation(config(6, zeroChecksum).build(), "B");
            Capture capture = new Capture();
            BackToBack net = new BackToBack(new GatherCore(a, capture::accept), b, NetemConfig.perfect(),
                    NetemConfig.perfect(), 5);
            List<byte[]> received = new ArrayList<>();
            net.onStep(() -> {
                for (var e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
                    if (e.get() instanceof SctpEvent.MessageReceived m) {
                        byte[] bytes = new byte[m.data().remaining()];
                        m.data().get(bytes);
                        received.add(bytes);
                    }
                }
                while (a.pollEvent().isPresent()) {
                    // A's events are not under test
                }
            });
            a.connect(net.now());
            b.connect(net.now());
            assertThat(net.runUntil(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED,
                    Duration.ofSeconds(30))).isTrue();
            net.runFor(Duration.ofMillis(500)); // let the handshake's last SACKs settle
            capture.gathers.clear();
            capture.flat.clear();
            return new Link(a, b, net, capture, received);
        }

        void runUntilReceived(int messages) {
            assertThat(net.runUntil(() -> received.size() == messages && a.allDataAcknowledged(),
                    Duration.ofSeconds(30))).isTrue();
        }
    }

    /** The ranges of {@code g} that are not its header array (range 0, which holds the common header). */
    private static List<Integer> userDataRanges(Gather g) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < g.pieces(); i++) {
            if (g.array(i) != g.array(0)) {
                out.add(i);
            }
        }
        return out;
    }

    private static int headerBytes(Gather g) {
        int n = 0;
        for (int i = 0; i < g.pieces(); i++) {
            if (g.array(i) == g.array(0)) {
                n += g.length(i);
            }
        }
        return n;
    }

    @Test
    void aSentMessageIsARangeOfTheStoredArrayNotACopy() throws ParseException {
        Link l = Link.establish(true);
        byte[] msg = Messages.make(7, 1_000).array();
        l.a().send(l.net().now(), 0, 53, ByteBuffer.wrap(msg), SendOptions.RELIABLE);
        Gather g = l.a().pollTransmitGather();

        assertThat(g).isNotNull();
        List<Integer> data = userDataRanges(g);
        assertThat(data).hasSize(1);
        int r = data.get(0);
        assertThat(g.array(r)).isNotSameAs(msg); // send copied the caller's bytes once, into the stored array
        assertThat(g.length(r)).isEqualTo(1_000);
        assertThat(Arrays.copyOfRange(g.array(r), g.offset(r), g.offset(r) + g.length(r))).isEqualTo(msg);
        // The headers are in one array of exactly the bytes used: common header + DATA header (1,000 needs no padding).
        assertThat(g.array(0).length).isEqualTo(headerBytes(g)).isEqualTo(g.length() - 1_000)
                .isEqualTo(SctpPacket.HEADER_LENGTH + DataChunk.HEADER_LENGTH);
        SctpPacket p = SctpPacket.parse(g.flatten());
        assertThat(p.chunks()).hasSize(1);
        assertThat(((DataChunk) p.chunks().get(0)).payload()).isEqualTo(msg);
    }

    @Test
    void anOwnedMessageIsLentAsItsOwnArrayAndAFragmentedOneAsRangesOfOneArray() {
        Link l = Link.establish(true);
        byte[] small = Messages.make(1, 1_001).array(); // 3 bytes of padding after it
        l.a().sendOwned(l.net().now(), 0, 53, small, SendOptions.RELIABLE);
        Gather g = l.a().pollTransmitGather();
        List<Integer> data = userDataRanges(g);
        assertThat(data).hasSize(1);
        assertThat(g.array(data.get(0))).isSameAs(small);
        assertThat(g.offset(data.get(0))).isZero();
        assertThat(g.length(data.get(0))).isEqualTo(1_001);
        // the padding follows in the header array
        assertThat(g.array(g.pieces() - 1)).isSameAs(g.array(0));
        assertThat(g.length(g.pieces() - 1)).isEqualTo(3);
        l.b().handleInput(l.net().now(), g.flatten()); // taken past the emulator: B still gets it
        l.capture.gathers.clear();

        byte[] big = Messages.make(2, 10_000).array();
        l.a().send(l.net().now(), 1, 53, ByteBuffer.wrap(big), SendOptions.RELIABLE);
        l.runUntilReceived(2);
        assertThat(l.received().get(1)).isEqualTo(big);
        byte[] stored = null;
        int next = 0;
        int fragments = 0;
        for (Gather pkt : l.capture.gathers) {
            for (int r : userDataRanges(pkt)) {
                if (stored == null) {
                    stored = pkt.array(r);
                }
                assertThat(pkt.array(r)).as("every fragment is a range of the one stored array").isSameAs(stored);
                assertThat(pkt.offset(r)).as("fragments in order, back to back").isEqualTo(next);
                next += pkt.length(r);
                fragments++;
            }
        }
        assertThat(fragments).isGreaterThan(8); // 10,000 bytes at under 1,200 per packet
        assertThat(next).isEqualTo(10_000);
        assertThat(stored).isNotSameAs(big).isEqualTo(big);
    }

    @ParameterizedTest(name = "zero checksum {0}")
    @ValueSource(booleans = {false, true})
    void theChecksumCoversHeadersAndUserDataRanges(boolean zeroChecksum) throws ParseException {
        Link l = Link.establish(zeroChecksum);
        int[] sizes = {1, 2, 3, 5, 100, 1_001, 3_333, 10_000, 70_000}; // 84,445 bytes
        List<String> sent = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        for (int i = 0; i < sizes.length; i++) {
            byte[] m = new byte[sizes[i]];
            random.nextBytes(m);
            sent.add(HexFormat.of().formatHex(m));
            l.a().send(l.net().now(), i % 3, 53, ByteBuffer.wrap(m), SendOptions.RELIABLE);
        }
        l.runUntilReceived(sizes.length);
        CRC32C crc = new CRC32C();
        int dataPackets = 0;
        int bundled = 0;
        for (byte[] pkt : l.capture.flat) {
            ByteBuffer b = ByteBuffer.wrap(pkt);
            int chunks = 0;
            for (Chunk c : SctpPacket.parse(b.duplicate()).chunks()) {
                chunks += c.type() == ChunkTypes.DATA ? 1 : 0;
            }
            if (chunks == 0) {
                continue;
            }
            dataPackets++;
            bundled += chunks > 1 ? 1 : 0;
            if (zeroChecksum) {
                assertThat(SctpPacket.checksumField(b)).isZero();
            } else {
                assertThat(SctpPacket.checksumField(b)).isEqualTo(SctpPacket.computeChecksum(b, crc)).isNotZero();
            }
        }
        assertThat(dataPackets).isGreaterThanOrEqualTo(84_445 / l.a().config().mtu());
        assertThat(bundled).isPositive();
        assertThat(l.b().stats().dropsChecksum()).isZero();
        // three streams: messages of different streams may overtake each other
        assertThat(l.received().stream().map(m -> HexFormat.of().formatHex(m)).toList())
                .containsExactlyInAnyOrderElementsOf(sent);
    }
}
