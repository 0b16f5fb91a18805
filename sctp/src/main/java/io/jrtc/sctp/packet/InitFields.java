package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/** The fixed part shared by INIT and INIT ACK. */
final class InitFields {

    private InitFields() {
    }

    static void check(long tag, long arwnd, int os, int mis, long tsn) {
        Wire.checkU32(tag, "initiate tag");
        Wire.checkU32(arwnd, "a_rwnd");
        Wire.checkU16(os, "outbound streams");
        Wire.checkU16(mis, "inbound streams");
        Wire.checkU32(tsn, "initial TSN");
    }

    static void validate(String element, long tag, int os, int mis) throws ParseException {
        if (tag == 0) {
            throw new ParseException(ParseError.INVALID_VALUE, element + " Initiate Tag is zero");
        }
        if (os == 0 || mis == 0) {
            throw new ParseException(ParseError.INVALID_VALUE, element + " announces zero streams (OS=" + os + ", MIS=" + mis + ")");
        }
    }

    static void write(ByteBuffer out, int type, int length, long tag, long arwnd, int os, int mis, long tsn,
            List<Parameter> params) {
        Wire.chunkHeader(out, type, 0, length);
        out.putInt((int) tag);
        out.putInt((int) arwnd);
        out.putShort((short) os);
        out.putShort((short) mis);
        out.putInt((int) tsn);
        Parameter.writeAll(params, out);
    }
}
