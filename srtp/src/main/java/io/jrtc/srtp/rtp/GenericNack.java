package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.common.SerialNumber;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Generic NACK (RFC 4585 section 6.2.1): transport-layer feedback (PT=205, FMT=1) naming lost RTP packets.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=1   |   PT=205      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |   (one or more)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * PID is a lost sequence number; bit i of BLP (least significant first) marks PID+i+1 lost as well.
 *
 * @param senderSsrc SSRC of the packet sender
 * @param mediaSsrc SSRC of the media source whose packets were lost
 * @param items PID/BLP pairs (at least one)
 */
public record GenericNack(long senderSsrc, long mediaSsrc, List<Item> items) implements RtcpPacket {

    /** FMT of generic NACK under PT 205. */
    public static final int FMT = 1;

    /**
     * One FCI entry.
     *
     * @param pid packet ID: a lost sequence number
     * @param blp bitmask of the 16 following packets also lost
     */
    public record Item(int pid, int blp) {
        public Item {
            if (pid < 0 || pid > 0xFFFF || blp < 0 || blp > 0xFFFF) {
                throw new IllegalArgumentException("PID/BLP are 16-bit: " + pid + "/" + blp);
            }
        }
    }

    public GenericNack {
        senderSsrc &= 0xFFFF_FFFFL;
        mediaSsrc &= 0xFFFF_FFFFL;
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a NACK names at least one packet");
        }
    }

    /**
     * Packs lost sequence numbers into the fewest PID/BLP pairs, walking them in RFC 1982 order starting from the
     * oldest (the set may straddle a wrap).
     */
    public static GenericNack fromLost(long senderSsrc, long mediaSsrc, Collection<Integer> lostSequenceNumbers) {
        if (lostSequenceNumbers.isEmpty()) {
            throw new IllegalArgumentException("no lost sequence numbers");
        }
        TreeSet<Integer> sorted = new TreeSet<>((a, b) -> SerialNumber.compare16(a, b));
        for (int s : lostSequenceNumbers) {
            sorted.add(s & 0xFFFF);
        }
        List<Item> items = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int s : sorted) {
            if (pid >= 0) {
                int d = (s - pid) & 0xFFFF;
                if (d >= 1 && d <= 16) {
                    blp |= 1 << (d - 1);
                    continue;
                }
                items.add(new Item(pid, blp));
            }
            pid = s;
            blp = 0;
        }
        items.add(new Item(pid, blp));
        return new GenericNack(senderSsrc, mediaSsrc, items);
    }

    /** Every sequence number this NACK names, in the order encoded. */
    public List<Integer> lostSequenceNumbers() {
        List<Integer> lost = new ArrayList<>();
        for (Item i : items) {
            lost.add(i.pid());
            for (int bit = 0; bit < 16; bit++) {
                if ((i.blp() & (1 << bit)) != 0) {
                    lost.add((i.pid() + bit + 1) & 0xFFFF);
                }
            }
        }
        return lost;
    }

    public static GenericNack parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expectFeedback(b, "NACK", PT_RTPFB, FMT);
        int start = b.position();
        int fci = h.bodyLength() - 8;
        if (fci < 4 || fci % 4 != 0) {
            throw new ParseException(ParseError.INVALID_LENGTH, "NACK FCI of " + fci + " bytes is not 4n, n >= 1");
        }
        long sender = RtcpHeader.u32(b, start + 4);
        long media = RtcpHeader.u32(b, start + 8);
        List<Item> items = new ArrayList<>(fci / 4);
        for (int p = start + 12; p < start + 12 + fci; p += 4) {
            items.add(new Item(b.getShort(p) & 0xFFFF, b.getShort(p + 2) & 0xFFFF));
        }
        b.position(start + h.totalLength());
        return new GenericNack(sender, media, items);
    }

    @Override
    public int packetType() {
        return PT_RTPFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 4 * items.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, FMT, PT_RTPFB, encodedLength());
        out.putInt((int) senderSsrc);
        out.putInt((int) mediaSsrc);
        for (Item i : items) {
            out.putShort((short) i.pid());
            out.putShort((short) i.blp());
        }
    }
}
