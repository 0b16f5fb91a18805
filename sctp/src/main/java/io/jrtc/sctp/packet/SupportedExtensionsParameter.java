package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Supported Extensions (type 0x8008, RFC 5061 §4.2.7): the chunk types the sender implements beyond RFC 9260,
 * such as RE-CONFIG (130) and FORWARD TSN (192).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 0x8008   |      Parameter Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | CHUNK TYPE 1  |  CHUNK TYPE 2 |  CHUNK TYPE 3 |  CHUNK TYPE 4 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | CHUNK TYPE N  |      PAD      |      PAD      |      PAD      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record SupportedExtensionsParameter(List<Integer> chunkTypes) implements Parameter {

    public static final int TYPE = 0x8008;

    public SupportedExtensionsParameter {
        chunkTypes = List.copyOf(chunkTypes);
        chunkTypes.forEach(t -> Wire.checkU8(t, "chunk type"));
    }

    public static SupportedExtensionsParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Supported Extensions");
        ByteBuffer v = Wire.tlv(buf, "Supported Extensions", 4);
        List<Integer> types = new ArrayList<>(v.remaining());
        while (v.hasRemaining()) {
            types.add(Wire.u8(v));
        }
        return new SupportedExtensionsParameter(types);
    }

    /** Whether {@code chunkType} is listed. */
    public boolean supports(int chunkType) {
        return chunkTypes.contains(chunkType);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + chunkTypes.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        for (int t : chunkTypes) {
            out.put((byte) t);
        }
        Wire.pad(out, length());
    }
}
