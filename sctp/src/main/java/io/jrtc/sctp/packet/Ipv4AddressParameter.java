package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * IPv4 Address (type 5) in INIT / INIT ACK (RFC 9260 §3.3.2.1). Over DTLS (RFC 8261) addresses are meaningless;
 * the association ignores it, but it is recognized so that the parameters after it are still processed.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Type = 5            |          Length = 8           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         IPv4 Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param address four bytes, network order; owned by the record
 */
public record Ipv4AddressParameter(byte[] address) implements Parameter {

    public static final int TYPE = 5;

    public Ipv4AddressParameter {
        if (address.length != 4) {
            throw new IllegalArgumentException("IPv4 address must be 4 bytes");
        }
    }

    public static Ipv4AddressParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "IPv4 Address");
        ByteBuffer v = Wire.tlv(buf, "IPv4 Address", 4);
        Wire.exactLength(v, 4, "IPv4 Address");
        return new Ipv4AddressParameter(Wire.bytes(v));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, 8);
        out.put(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4AddressParameter other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "Ipv4Address[" + Wire.hex(address) + "]";
    }
}
