package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ParseException;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.GilbertElliott;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Differential: one seeded lossy workload (messages of 1 B to 70 KB, ordered and unordered, reliable and partially
 * reliable, on four streams, both ways) run twice, once reading {@code pollTransmit()} and once
 * {@code pollTransmitGather().flatten()}, sends the very same packets, byte for byte, at the same virtual times.
 */
class GatherPacketsMatchFlatPacketsTest {

    private static final int MESSAGES_A = 160;
    private static final int MESSAGES_B = 60;
    private static final int RELIABLE_PPID = 53;
    private static final int PARTIAL_PPID = 51;

    /** What one run sent: every packet in order, both directions, and the emulator's trace digest. */
    private record Run(List<byte[]> packets, String trace, SctpStats statsA, SctpStats statsB) {
    }

    /** Feeds a seeded sequence of messages into one association as its send buffer allows. */
    private static final class Feeder {
        final SctpAssociation sctp;
        final SplittableRandom random;
        final int total;
        int queued;
        int reliableQueued;
        int reliableReceivedByPeer;

        Feeder(SctpAssociation sctp, long seed, int total) {
            this.sctp = sctp;
            this.random = new SplittableRandom(seed);
            this.total = total;
        }

        void feed(long now) {
            while (queued < total && sctp.state() == SctpState.ESTABLISHED && sctp.bufferedAmount() < 200_000) {
                // log-uniform 1 B .. 70 KB: one-byte messages (3 bytes of padding) up to 60-odd fragments
                int size = (int) Math.round(Math.exp(random.nextDouble() * Math.log(70_000)));
                size = Math.max(1, Math.min(70_000, size));
                boolean unordered = random.nextBoolean();
                SendOptions options = switch (random.nextInt(4)) {
                    case 0 -> SendOptions.maxRetransmits(unordered, random.nextInt(2));
                    case 1 -> SendOptions.lifetime(unordered, Duration.ofMillis(40 + random.nextInt(200)));
                    default -> unordered ? SendOptions.RELIABLE_UNORDERED : SendOptions.RELIABLE;
                };
                byte[] msg = new byte[size];
                random.nextBytes(msg);
                sctp.send(now, random.nextInt(4), options.isReliable() ? RELIABLE_PPID : PARTIAL_PPID, ByteBuffer.wrap(msg), options);
                queued++;
                if (options.isReliable()) {
                    reliableQueued++;
                }
            }
        }
    }

    private static Run run(long seed, boolean zeroChecksum, boolean gather) {
        SctpAssociation a = new SctpAssociation(SctpPair.config(seed).zeroChecksum(zeroChecksum).build(), "A");
        SctpAssociation b = new SctpAssociation(SctpPair.config(seed + 1).zeroChecksum(zeroChecksum).build(), "B");
        DatagramCore coreA = gather ? new GatherCore(a, g -> { }) : a;
        DatagramCore coreB = gather ? new GatherCore(b, g -> { }) : b;
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(10)).withJitter(Duration.ofMillis(2))
                .withBurstLoss(GilbertElliott.ofMeanLoss(0.04, 3)).withReorder(0.02, Duration.ofMillis(3))
                .withDuplication(0.01).withRate(30_000_000, 150_000);
        BackToBack net = new BackToBack(coreA, coreB, link, link, seed);
        List<byte[]> packets = new ArrayList<>();
        net.withListener((now, dir, index, p) -> {
            byte[] bytes = new byte[p.remaining()];
            p.duplicate().get(bytes);
            packets.add(bytes);
        });
        Feeder fa = new Feeder(a, seed * 31 + 7, MESSAGES_A);
        Feeder fb = new Feeder(b, seed * 31 + 8, MESSAGES_B);
        net.onStep(() -> {
            drainEvents(b, fa);
            drainEvents(a, fb);
            fa.feed(net.now());
            fb.feed(net.now());
        });
        a.connect(net.now());
        b.connect(net.now());
        boolean done = net.runUntil(() -> fa.queued == MESSAGES_A && fb.queued == MESSAGES_B
                && fa.reliableReceivedByPeer == fa.reliableQueued && fb.reliableReceivedByPeer == fb.reliableQueued
                && a.allDataAcknowledged() && b.allDataAcknowledged(), Duration.ofMinutes(5));
        assertThat(done).as("workload finished (gather=%s)", gather).isTrue();
        return new Run(packets, net.traceDigest(), a.stats(), b.stats());
    }

    /** Counts the reliable messages {@code receiver} got from {@code senderFeed}'s side. */
    private static void drainEvents(SctpAssociation receiver, Feeder senderFeed) {
        for (var e = receiver.pollEvent(); e.isPresent(); e = receiver.pollEvent()) {
            if (e.get() instanceof SctpEvent.MessageReceived m && m.ppid() == RELIABLE_PPID) {
                senderFeed.reliableReceivedByPeer++;
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, zero checksum {1}")
    @CsvSource({"41, true", "42, false"})
    void gatherFlattenedIsByteForBytePollTransmit(long seed, boolean zeroChecksum) throws ParseException {
        Run flat = run(seed, zeroChecksum, false);
        Run gathered = run(seed, zeroChecksum, true);

        assertThat(gathered.packets()).hasSameSizeAs(flat.packets());
        for (int i = 0; i < flat.packets().size(); i++) {
            byte[] f = flat.packets().get(i);
            byte[] g = gathered.packets().get(i);
            if (!Arrays.equals(f, g)) {
                throw new AssertionError("packet " + i + " differs (" + f.length + " vs " + g.length + " bytes): "
                        + HexFormat.of().formatHex(f, 0, Math.min(64, f.length)) + " vs "
                        + HexFormat.of().formatHex(g, 0, Math.min(64, g.length)));
            }
        }
        assertThat(gathered.trace()).isEqualTo(flat.trace());
        // Counted once per packet either way.
        assertThat(gathered.statsA().packetsSent()).isEqualTo(flat.statsA().packetsSent());
        assertThat(gathered.statsA().bytesSent()).isEqualTo(flat.statsA().bytesSent());
        assertThat(gathered.statsB().bytesSent()).isEqualTo(flat.statsB().bytesSent());
        long recorded = flat.packets().stream().mapToLong(p -> p.length).sum();
        assertThat(flat.statsA().bytesSent() + flat.statsB().bytesSent()).isEqualTo(recorded);
        assertThat(flat.statsA().packetsSent() + flat.statsB().packetsSent()).isEqualTo(flat.packets().size());

        // An independent reference for the layout: every gathered packet, parsed and encoded again by the packet
        // codec (flat, into one buffer), gives the same bytes: header fields, padding, lengths and the CRC32c.
        for (byte[] p : gathered.packets()) {
            SctpPacket parsed = SctpPacket.parse(ByteBuffer.wrap(p));
            ByteBuffer again = parsed.encode(SctpPacket.checksumField(ByteBuffer.wrap(p)) == 0);
            assertThat(again).isEqualTo(ByteBuffer.wrap(p));
        }

        // The workload reached what the gather layout has to get right.
        int bundledData = 0;
        int fragments = 0;
        int padded = 0;
        int sackWithData = 0;
        int forwardTsn = 0;
        for (byte[] p : flat.packets()) {
            SctpPacket parsed = SctpPacket.parse(ByteBuffer.wrap(p));
            int data = 0;
            boolean sack = false;
            for (Chunk c : parsed.chunks()) {
                if (c instanceof DataChunk d) {
                    data++;
                    if (!(d.beginning() && d.ending())) {
                        fragments++;
                    }
                    if (d.payloadLength() % 4 != 0) {
                        padded++;
                    }
                } else if (c instanceof SackChunk) {
                    sack = true;
                } else if (c instanceof ForwardTsnChunk) {
                    forwardTsn++;
                }
            }
            bundledData += data > 1 ? 1 : 0;
            sackWithData += sack && data > 0 ? 1 : 0;
        }
        assertThat(bundledData).as("packets with several DATA chunks").isGreaterThan(10);
        assertThat(fragments).as("DATA chunks that are fragments").isGreaterThan(100);
        assertThat(padded).as("DATA chunks with padding").isGreaterThan(10);
        assertThat(sackWithData).as("SACKs bundled before DATA").isGreaterThan(5);
        assertThat(forwardTsn).as("FORWARD TSN chunks").isPositive();
        assertThat(flat.statsA().retransmittedChunks()).as("retransmissions (ranges of stored messages sent again)").isPositive();
    }
}
