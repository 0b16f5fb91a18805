package io.jrtc.datachannel.dcep;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * DATA_CHANNEL_ACK (Message Type 0x02, RFC 8832 §5.2): confirms a DATA_CHANNEL_OPEN on the same stream.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |  Message Type |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 */
public record DataChannelAck() implements DcepMessage {

    public static final int MESSAGE_TYPE = 0x02;

    public static DataChannelAck parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("DATA_CHANNEL_ACK", buf.remaining(), 1);
        int type = buf.get() & 0xFF;
        if (type != MESSAGE_TYPE) {
            throw new ParseException(ParseError.INVALID_TYPE, "expected DATA_CHANNEL_ACK, got message type " + type);
        }
        if (buf.hasRemaining()) {
            throw new ParseException(ParseError.INVALID_LENGTH, "DATA_CHANNEL_ACK is one byte, " + (buf.remaining() + 1) + " present");
        }
        return new DataChannelAck();
    }

    @Override
    public int messageType() {
        return MESSAGE_TYPE;
    }

    @Override
    public int encodedLength() {
        return 1;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) MESSAGE_TYPE);
    }
}
