package io.jrtc.ice.internal;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * A TURN ChannelData message (RFC 8656 §12.4). Written here rather than with ice4j's {@code ChannelData}, which
 * copies the payload twice per packet; this is the data fast path.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Channel Number        |            Length             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  /                       Application Data                        /
 *  /                                                               /
 *  |                                                               |
 *  |                               +-------------------------------+
 *  |                               |
 *  +-------------------------------+
 * </pre>
 *
 * Over TCP and TLS the message is padded to a multiple of four bytes (RFC 8656 §12.5); over UDP padding is
 * optional and is not added.
 *
 * @param channel the channel number, 0x4000..0x4FFF (RFC 8656 §12)
 * @param data    the application data (a read-only view; not copied)
 */
public record ChannelData(int channel, ByteBuffer data) {

    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;
    public static final int HEADER_LENGTH = 4;

    public ChannelData {
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
            throw new IllegalArgumentException("channel number out of 0x4000..0x4FFF: " + channel);
        }
        if (data.remaining() > 0xFFFF) {
            throw new IllegalArgumentException("ChannelData payload over 65535 bytes");
        }
    }

    /** True when the first byte is in the ChannelData range of RFC 7983 (64..79). */
    public static boolean looksLikeChannelData(int firstByte) {
        return firstByte >= 0x40 && firstByte <= 0x4F;
    }

    /**
     * Parses one ChannelData message from {@code buf} (position to limit); trailing bytes are allowed (padding).
     * The data is a view into {@code buf}.
     */
    public static ChannelData parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("ChannelData header", buf.remaining(), HEADER_LENGTH);
        int p = buf.position();
        int channel = buf.getShort(p) & 0xFFFF;
        int length = buf.getShort(p + 2) & 0xFFFF;
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
            throw new ParseException(ParseError.INVALID_VALUE, "ChannelData channel number 0x" + Integer.toHexString(channel));
        }
        ParseException.requireLength("ChannelData payload", buf.remaining() - HEADER_LENGTH, length);
        ByteBuffer data = buf.duplicate();
        data.position(p + HEADER_LENGTH).limit(p + HEADER_LENGTH + length);
        return new ChannelData(channel, data.slice().asReadOnlyBuffer());
    }

    /** Header plus payload, plus padding when {@code padded}. */
    public int encodedLength(boolean padded) {
        int n = HEADER_LENGTH + data.remaining();
        return padded ? (n + 3) & ~3 : n;
    }

    /** Unpadded length (the UDP encoding). */
    public int encodedLength() {
        return encodedLength(false);
    }

    /** Writes the message at {@code out}'s position, with zero padding when {@code padded}. */
    public void writeTo(ByteBuffer out, boolean padded) {
        out.putShort((short) channel);
        out.putShort((short) data.remaining());
        out.put(data.duplicate());
        if (padded) {
            int pad = encodedLength(true) - encodedLength(false);
            for (int i = 0; i < pad; i++) {
                out.put((byte) 0);
            }
        }
    }

    /** Writes the unpadded (UDP) encoding. */
    public void writeTo(ByteBuffer out) {
        writeTo(out, false);
    }
}
