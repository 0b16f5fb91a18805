package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Lists of 16-bit stream numbers inside RE-CONFIG parameters. */
final class StreamLists {

    private StreamLists() {
    }

    static List<Integer> read(ByteBuffer v, String element) throws ParseException {
        if ((v.remaining() & 1) != 0) {
            throw new ParseException(ParseError.INVALID_LENGTH, element + " stream list has an odd length " + v.remaining());
        }
        if (!v.hasRemaining()) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>(v.remaining() / 2);
        while (v.hasRemaining()) {
            ids.add(Wire.u16(v));
        }
        return ids;
    }

    static void write(ByteBuffer out, List<Integer> ids) {
        for (int id : ids) {
            out.putShort((short) id);
        }
    }
}
