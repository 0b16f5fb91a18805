package io.jrtc.ice.nat;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The body of RFC 5780's address attributes, RESPONSE-ORIGIN (0x802B, §7.3) and OTHER-ADDRESS (0x802C, §7.4), which
 * ice4j does not know (it decodes them as opaque comprehension-optional attributes). Both use the MAPPED-ADDRESS
 * format of RFC 8489 §14.1, not XOR'ed:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0 0 0 0 0 0 0|    Family     |           Port                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  |                 Address (32 bits or 128 bits)                 |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Family 0x01 is IPv4 (8-byte body), 0x02 IPv6 (20-byte body).
 *
 * @param type    the attribute type ({@link #RESPONSE_ORIGIN} or {@link #OTHER_ADDRESS})
 * @param address the transport address carried
 */
record AddressAttribute(int type, InetSocketAddress address) {

    static final int RESPONSE_ORIGIN = 0x802B;
    static final int OTHER_ADDRESS = 0x802C;

    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    AddressAttribute {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    /** Parses an attribute body (the value, without the 4-byte type and length header). */
    static AddressAttribute parseBody(int type, byte[] body) throws ParseException {
        String name = type == OTHER_ADDRESS ? "OTHER-ADDRESS" : type == RESPONSE_ORIGIN ? "RESPONSE-ORIGIN" : "address attribute";
        ParseException.requireLength(name, body.length, 4);
        int family = body[1] & 0xFF;
        int length = switch (family) {
            case FAMILY_IPV4 -> 4;
            case FAMILY_IPV6 -> 16;
            default -> throw new ParseException(ParseError.INVALID_VALUE, name + " family 0x" + Integer.toHexString(family));
        };
        if (body.length != 4 + length) {
            throw new ParseException(ParseError.INVALID_LENGTH, name + " of family " + family + " is " + body.length + " bytes");
        }
        int port = ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
        byte[] ip = new byte[length];
        System.arraycopy(body, 4, ip, 0, length);
        try {
            return new AddressAttribute(type, new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException e) {
            throw new ParseException(ParseError.INVALID_VALUE, name + ": " + e.getMessage());
        }
    }

    /** Header plus body (both families' bodies are multiples of four bytes: no padding). */
    int encodedLength() {
        return 4 + 4 + (address.getAddress() instanceof Inet4Address ? 4 : 16);
    }

    /** Writes the attribute (header and body) at {@code out}'s position. */
    void writeTo(ByteBuffer out) {
        byte[] ip = address.getAddress().getAddress();
        out.putShort((short) type);
        out.putShort((short) (4 + ip.length));
        out.put((byte) 0);
        out.put((byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
        out.putShort((short) address.getPort());
        out.put(ip);
    }
}
