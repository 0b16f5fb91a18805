package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SDES: source description (RFC 3550 section 6.5). WebRTC sends one chunk per source with a CNAME item.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |    type (1-8)  |   length     |  text ... ; items end with a   |
 *        |  zero type octet, then zeros to the next 32-bit boundary       |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param chunks up to 31 chunks
 */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {

    /** SDES item types, RFC 3550 section 6.5. */
    public static final int END = 0;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    public SourceDescription {
        chunks = List.copyOf(chunks);
        if (chunks.size() > 31) {
            throw new IllegalArgumentException("at most 31 SDES chunks, got " + chunks.size());
        }
    }

    /** One chunk carrying just a CNAME: what every WebRTC endpoint sends. */
    public static SourceDescription cname(long ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(Item.of(CNAME, cname)))));
    }

    /** The CNAME of the first chunk that has one. */
    public Optional<String> firstCname() {
        for (Chunk c : chunks) {
            for (Item i : c.items()) {
                if (i.type() == CNAME) {
                    return Optional.of(i.text());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One chunk: a source and its items.
     *
     * @param ssrc SSRC or CSRC described
     * @param items items in order (END excluded)
     */
    public record Chunk(long ssrc, List<Item> items) {
        public Chunk {
            ssrc &= 0xFFFF_FFFFL;
            items = List.copyOf(items);
        }

        int encodedLength() {
            int n = 4;
            for (Item i : items) {
                n += 2 + i.value.length;
            }
            n += 1; // END
            return (n + 3) & ~3;
        }
    }

    /**
     * One SDES item.
     *
     * @param type 1-255 (0 is END and never an item)
     * @param value up to 255 bytes, UTF-8 text for the standard types
     */
    public record Item(int type, byte[] value) {
        public Item {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("SDES item type " + type);
            }
            if (value.length > 255) {
                throw new IllegalArgumentException("SDES item of " + value.length + " bytes exceeds 255");
            }
            value = value.clone();
        }

        public static Item of(int type, String text) {
            return new Item(type, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Item i && i.type == type && Arrays.equals(i.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Item[type=" + type + ", text=" + text() + "]";
        }
    }

    public static SourceDescription parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.expect(b, "SDES", PT_SDES);
        int start = b.position();
        int p = start + 4;
        int end = p + h.bodyLength();
        List<Chunk> chunks = new ArrayList<>(h.count());
        for (int c = 0; c < h.count(); c++) {
            if (p + 4 > end) {
                throw new ParseException(ParseError.INVALID_LENGTH, "SDES chunk " + c + " truncated");
            }
            long ssrc = RtcpHeader.u32(b, p);
            p += 4;
            List<Item> items = new ArrayList<>(1);
            while (true) {
                if (p >= end) {
                    throw new ParseException(ParseError.INVALID_LENGTH, "SDES chunk " + c + " lacks its END octet");
                }
                int type = b.get(p) & 0xFF;
                if (type == END) {
                    p++;
                    break;
                }
                if (p + 2 > end) {
                    throw new ParseException(ParseError.INVALID_LENGTH, "SDES item header truncated");
                }
                int len = b.get(p + 1) & 0xFF;
                if (p + 2 + len > end) {
                    throw new ParseException(ParseError.INVALID_LENGTH, "SDES item of " + len + " bytes overruns");
                }
                byte[] v = new byte[len];
                b.get(p + 2, v);
                items.add(new Item(type, v));
                p += 2 + len;
            }
            // Skip the null octets up to the chunk's 32-bit boundary.
            int aligned = start + (((p - start) + 3) & ~3);
            for (; p < aligned; p++) {
                if (p >= end || b.get(p) != 0) {
                    throw new ParseException(ParseError.INVALID_PADDING, "SDES chunk " + c + " not null-padded");
                }
            }
            chunks.add(new Chunk(ssrc, items));
        }
        b.position(start + h.totalLength());
        return new SourceDescription(chunks);
    }

    @Override
    public int packetType() {
        return PT_SDES;
    }

    @Override
    public int encodedLength() {
        int n = 4;
        for (Chunk c : chunks) {
            n += c.encodedLength();
        }
        return n;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        RtcpHeader.write(out, chunks.size(), PT_SDES, encodedLength());
        for (Chunk c : chunks) {
            int start = out.position();
            out.putInt((int) c.ssrc());
            for (Item i : c.items()) {
                out.put((byte) i.type());
                out.put((byte) i.value.length);
                out.put(i.value);
            }
            int written = out.position() - start;
            for (int k = written; k < c.encodedLength(); k++) {
                out.put((byte) 0);
            }
        }
    }
}
