package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.SctpPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Garbage fed to a live association never throws: random bytes, mutated real packets (with their checksums fixed
 * up so that they reach the chunk parsers and state machine), wrong tags and bad checksums are all counted as
 * drops, and the association keeps working.
 */
class MalformedPacketsAreCountedNotThrownTest {

    @Test
    void anEstablishedAssociationSurvivesGarbage() {
        SctpPair p = SctpPair.perfect(3);
        List<byte[]> real = new ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> {
            byte[] b = new byte[pkt.remaining()];
            pkt.duplicate().get(b);
            real.add(b);
        });
        p.establish();
        for (int i = 0; i < 30; i++) {
            p.a.send(p.now(), i % 3, 53, Messages.make(i, 50 + i * 100), i % 2 == 0 ? SendOptions.RELIABLE : SendOptions.RELIABLE_UNORDERED);
        }
        p.a.resetStreams(p.now(), 2);
        p.run(() -> false, java.time.Duration.ofSeconds(2));
        SplittableRandom r = new SplittableRandom(5);
        CRC32C crc = new CRC32C();
        long before = p.b.stats().packetsReceived();
        int injected = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] pkt;
            if (i % 5 == 0) {
                pkt = new byte[r.nextInt(0, 200)];
                r.nextBytes(pkt);
            } else {
                pkt = real.get(r.nextInt(real.size())).clone();
                int flips = r.nextInt(1, 6);
                for (int f = 0; f < flips && pkt.length > 0; f++) {
                    pkt[r.nextInt(pkt.length)] = (byte) r.nextInt(256);
                }
            }
            if (pkt.length >= 12 && r.nextInt(4) != 0) {
                ByteBuffer b = ByteBuffer.wrap(pkt);
                if (r.nextBoolean()) {
                    SctpPacket.putChecksum(b, 0, SctpPacket.computeChecksum(b, crc));
                } else {
                    b.putInt(8, 0);
                }
            }
            p.b.handleInput(p.now(), ByteBuffer.wrap(pkt));
            p.b.handleTimeout(p.now());
            while (p.b.pollTransmit().isPresent()) {
                injected++;
            }
            while (p.b.pollEvent().isPresent()) {
                injected++;
            }
            if (p.b.isTerminated()) {
                break;
            }
        }
        SctpStats s = p.b.stats();
        System.out.printf("garbage: received=%d malformed=%d checksum=%d vtag=%d state=%d other=%d rwnd=%d outputs=%d terminated=%s%n",
                s.packetsReceived() - before, s.dropsMalformed(), s.dropsChecksum(), s.dropsVerificationTag(), s.dropsState(),
                s.dropsOther(), s.dropsReceiveWindow(), injected, p.b.isTerminated());
        assertThat(s.dropsMalformed()).isPositive();
        assertThat(s.dropsChecksum()).isPositive();
        assertThat(s.dropsVerificationTag()).isPositive();
        assertThat(s.droppedPackets()).isGreaterThan(10_000);
    }

    @Test
    void badChecksumWrongTagAndWrongPortAreDroppedAndCounted() {
        SctpPair p = SctpPair.of(SctpPair.config(1).zeroChecksum(false), SctpPair.config(2).zeroChecksum(false),
                io.jrtc.testkit.NetemConfig.perfect(), 1);
        List<byte[]> real = new ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> {
            byte[] b = new byte[pkt.remaining()];
            pkt.duplicate().get(b);
            real.add(b);
        });
        p.establish();
        p.a.send(p.now(), 0, 53, ByteBuffer.wrap(new byte[] {1, 2, 3}), SendOptions.RELIABLE);
        p.run(() -> false, java.time.Duration.ofMillis(10));
        byte[] data = real.get(real.size() - 2).clone(); // A's DATA packet
        CRC32C crc = new CRC32C();
        byte[] badCrc = data.clone();
        badCrc[20] ^= 1;
        p.b.handleInput(p.now(), ByteBuffer.wrap(badCrc));
        assertThat(p.b.stats().dropsChecksum()).isEqualTo(1);
        byte[] zero = data.clone();
        ByteBuffer.wrap(zero).putInt(8, 0);
        p.b.handleInput(p.now(), ByteBuffer.wrap(zero));
        assertThat(p.b.stats().dropsChecksum()).as("zero checksum refused when not negotiated").isEqualTo(2);
        byte[] wrongTag = data.clone();
        ByteBuffer w = ByteBuffer.wrap(wrongTag);
        w.putInt(4, w.getInt(4) + 1);
        SctpPacket.putChecksum(w, 0, SctpPacket.computeChecksum(w, crc));
        p.b.handleInput(p.now(), ByteBuffer.wrap(wrongTag));
        assertThat(p.b.stats().dropsVerificationTag()).isEqualTo(1);
        byte[] wrongPort = data.clone();
        ByteBuffer wp = ByteBuffer.wrap(wrongPort);
        wp.putShort(2, (short) 5001);
        SctpPacket.putChecksum(wp, 0, SctpPacket.computeChecksum(wp, crc));
        p.b.handleInput(p.now(), ByteBuffer.wrap(wrongPort));
        assertThat(p.b.stats().dropsOther()).isEqualTo(1);
        p.b.handleInput(p.now(), ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(p.b.stats().dropsMalformed()).isEqualTo(1);
        assertThat(p.b.state()).isEqualTo(SctpState.ESTABLISHED);
    }
}
