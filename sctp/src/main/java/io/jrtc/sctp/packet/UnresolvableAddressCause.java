package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Unresolvable Address error cause (code 5, RFC 9260 §3.3.10.5): the address parameter that could not be resolved.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Cause Code = 5        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                      Unresolvable Address                     /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param address the value bytes; the array is owned by the record and must not be modified
 */
public record UnresolvableAddressCause(byte[] address) implements ErrorCause {

    public static final int CODE = 5;

    public UnresolvableAddressCause {
        Wire.checkLength(address, 0xFFFF - 4, "Unresolvable Address");
    }

    public static UnresolvableAddressCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Unresolvable Address");
        return new UnresolvableAddressCause(Wire.bytes(Wire.tlv(buf, "Unresolvable Address", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + address.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(address);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnresolvableAddressCause other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "UnresolvableAddress[" + Wire.hex(address) + "]";
    }
}
