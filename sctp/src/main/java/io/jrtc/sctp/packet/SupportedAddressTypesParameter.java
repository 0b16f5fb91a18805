package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Supported Address Types (type 12) in INIT (RFC 9260 §3.3.2.1): a list of address parameter types. Ignored over
 * DTLS, recognized so that processing continues past it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Type = 12            |          Length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Address Type #1        |        Address Type #2        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            ......                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param addressTypes the listed types, each unsigned 16-bit
 */
public record SupportedAddressTypesParameter(List<Integer> addressTypes) implements Parameter {

    public static final int TYPE = 12;

    public SupportedAddressTypesParameter {
        addressTypes = List.copyOf(addressTypes);
        addressTypes.forEach(t -> Wire.checkU16(t, "address type"));
    }

    public static SupportedAddressTypesParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Supported Address Types");
        ByteBuffer v = Wire.tlv(buf, "Supported Address Types", 4);
        if ((v.remaining() & 1) != 0) {
            throw new ParseException(ParseError.INVALID_LENGTH, "Supported Address Types value has an odd length " + v.remaining());
        }
        List<Integer> types = new ArrayList<>(v.remaining() / 2);
        while (v.hasRemaining()) {
            types.add(Wire.u16(v));
        }
        return new SupportedAddressTypesParameter(types);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + 2 * addressTypes.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        for (int t : addressTypes) {
            out.putShort((short) t);
        }
        Wire.pad(out, length());
    }
}
