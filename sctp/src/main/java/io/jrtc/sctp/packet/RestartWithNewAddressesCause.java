package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Restart of an Association with New Addresses error cause (code 11, RFC 9260 §3.3.10.11): the new address parameters.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Cause Code = 11        |          Cause Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                   TLV(s) of New Address(es)                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param addresses the value bytes; the array is owned by the record and must not be modified
 */
public record RestartWithNewAddressesCause(byte[] addresses) implements ErrorCause {

    public static final int CODE = 11;

    public RestartWithNewAddressesCause {
        Wire.checkLength(addresses, 0xFFFF - 4, "Restart with New Addresses");
    }

    public static RestartWithNewAddressesCause parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, CODE, "Restart with New Addresses");
        return new RestartWithNewAddressesCause(Wire.bytes(Wire.tlv(buf, "Restart with New Addresses", 4)));
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return 4 + addresses.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, CODE, length());
        out.put(addresses);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestartWithNewAddressesCause other && Arrays.equals(addresses, other.addresses);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(addresses);
    }

    @Override
    public String toString() {
        return "RestartWithNewAddresses[" + Wire.hex(addresses) + "]";
    }
}
