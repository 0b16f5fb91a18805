package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * IPv6 Address (type 6) in INIT / INIT ACK (RFC 9260 §3.3.2.1). Over DTLS (RFC 8261) addresses are meaningless;
 * the association ignores it, but it is recognized so that the parameters after it are still processed.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Type = 6            |          Length = 20          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |                         IPv6 Address                          |
 * |                                                               |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param address sixteen bytes, network order; owned by the record
 */
public record Ipv6AddressParameter(byte[] address) implements Parameter {

    public static final int TYPE = 6;

    public Ipv6AddressParameter {
        if (address.length != 16) {
            throw new IllegalArgumentException("IPv6 address must be 16 bytes");
        }
    }

    public static Ipv6AddressParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "IPv6 Address");
        ByteBuffer v = Wire.tlv(buf, "IPv6 Address", 4);
        Wire.exactLength(v, 16, "IPv6 Address");
        return new Ipv6AddressParameter(Wire.bytes(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 20;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, 20);
        out.put(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6AddressParameter other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "Ipv6Address[" + Wire.hex(address) + "]";
    }
}
