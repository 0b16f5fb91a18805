package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Host Name Address (type 11), deprecated by RFC 9260 §3.3.2.1: a receiver aborts with an Unresolvable Address error. Parsed so that it is recognized rather than skipped.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Type = 11           |             Length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                           Host Name                           /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param hostName the value bytes; the array is owned by the record and must not be modified
 */
public record HostNameAddressParameter(byte[] hostName) implements Parameter {

    public static final int TYPE = 11;

    public HostNameAddressParameter {
        Wire.checkLength(hostName, 0xFFFF - 4, "Host Name Address");
    }

    public static HostNameAddressParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Host Name Address");
        return new HostNameAddressParameter(Wire.bytes(Wire.tlv(buf, "Host Name Address", 4)));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 4 + hostName.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.put(hostName);
        Wire.pad(out, length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostNameAddressParameter other && Arrays.equals(hostName, other.hostName);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hostName);
    }

    @Override
    public String toString() {
        return "HostNameAddress[" + Wire.hex(hostName) + "]";
    }
}
