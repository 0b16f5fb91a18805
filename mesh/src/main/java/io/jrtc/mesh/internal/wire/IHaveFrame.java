package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * IHAVE: Plumtree lazy push: the sender holds these broadcasts; the receiver GRAFTs any it misses after a timeout.
 * Since protocol version 5 each id comes with the hop count its payload would carry over this link (the sender's own
 * hop count plus one), so a receiver that got the payload over a longer path can move the tree onto this link
 * (Plumtree's tree optimisation).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x08  |   Count (N, 1..2048)          |  N x (origin id 16 bytes, sequence 8 bytes, hops 1 byte: 1..255)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record IHaveFrame(List<Entry> entries) implements Frame {

    /** One announced broadcast: its id, and the Hops its payload would carry if sent over this link (1..255). */
    public record Entry(MessageId id, int hops) {
        public static final int LENGTH = MessageId.LENGTH + 1;

        public Entry {
            if (hops < 1 || hops > 255) {
                throw new IllegalArgumentException("announced hops " + hops + ", 1..255");
            }
        }
    }

    /** The most ids one IHAVE carries. */
    public static final int MAX_ENTRIES = WireLists.MAX_MESSAGE_IDS;

    public IHaveFrame {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.size() > WireLists.MAX_MESSAGE_IDS) {
            throw new IllegalArgumentException(entries.size() + " ids in one IHAVE, 1.." + WireLists.MAX_MESSAGE_IDS);
        }
    }

    /** The announced ids, in order. */
    public List<MessageId> ids() {
        return entries.stream().map(Entry::id).toList();
    }

    static IHaveFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, IHAVE, "IHAVE", 3);
        int n = in.getShort() & 0xffff;
        if (n == 0 || n > WireLists.MAX_MESSAGE_IDS) {
            throw new ParseException(ParseError.INVALID_VALUE, "IHAVE with " + n + " message ids");
        }
        ParseException.requireLength("IHAVE", in.remaining(), n * Entry.LENGTH);
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MessageId id = MessageId.read(in);
            int hops = in.get() & 0xff;
            if (hops == 0) {
                throw new ParseException(ParseError.INVALID_VALUE, "IHAVE announces " + id + " at 0 hops");
            }
            entries.add(new Entry(id, hops));
        }
        return new IHaveFrame(entries);
    }

    @Override
    public int type() {
        return IHAVE;
    }

    @Override
    public int encodedLength() {
        return 3 + entries.size() * Entry.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) IHAVE);
        out.putShort((short) entries.size());
        for (Entry e : entries) {
            e.id().writeTo(out);
            out.put((byte) e.hops());
        }
    }
}
