package io.jrtc.datachannel.dcep;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * A Data Channel Establishment Protocol message (RFC 8832 §5), carried in an SCTP message with PPID 50 on the
 * channel's stream. The first byte is the Message Type.
 */
public sealed interface DcepMessage permits DataChannelOpen, DataChannelAck {

    /** Payload Protocol Identifier of DCEP messages (RFC 8832 §8.1). */
    int PPID = 50;

    /** The 8-bit Message Type. */
    int messageType();

    int encodedLength();

    void writeTo(ByteBuffer out);

    /** Encodes into a fresh buffer. */
    default ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        writeTo(b);
        return b.flip();
    }

    /** Parses the whole remaining content of {@code buf}. */
    static DcepMessage parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("DCEP message", buf.remaining(), 1);
        int type = buf.get(buf.position()) & 0xFF;
        return switch (type) {
            case DataChannelOpen.MESSAGE_TYPE -> DataChannelOpen.parse(buf);
            case DataChannelAck.MESSAGE_TYPE -> DataChannelAck.parse(buf);
            default -> throw new ParseException(ParseError.INVALID_TYPE, "unknown DCEP message type " + type);
        };
    }
}
