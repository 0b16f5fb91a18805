package io.jrtc.datachannel.dcep;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * DATA_CHANNEL_OPEN (Message Type 0x03, RFC 8832 §5.1): opens a data channel on the stream it is sent on.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Message Type |  Channel Type |            Priority           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Reliability Parameter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Label Length          |       Protocol Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               /
 * |                             Label                             |
 * /                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               /
 * |                            Protocol                           |
 * /                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Label and protocol are UTF-8 without padding. Invalid UTF-8 or an unknown channel type is
 * {@link ParseError#INVALID_VALUE}; lengths that disagree with the message are {@link ParseError#INVALID_LENGTH}.
 *
 * @param priority             16-bit priority (RFC 8832 §6.4; W3C: very-low 128, low 256, medium 512, high 1024)
 * @param reliabilityParameter retransmissions or lifetime in ms; 0 for reliable channels
 */
public record DataChannelOpen(ChannelType channelType, int priority, long reliabilityParameter, String label, String protocol)
        implements DcepMessage {

    public static final int MESSAGE_TYPE = 0x03;
    static final int FIXED_LENGTH = 12;

    public DataChannelOpen {
        if (channelType == null || label == null || protocol == null) {
            throw new NullPointerException();
        }
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("priority must be 16 bits");
        }
        if (reliabilityParameter < 0 || reliabilityParameter > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("reliability parameter must be 32 bits");
        }
        if (utf8Length(label) > 0xFFFF || utf8Length(protocol) > 0xFFFF) {
            throw new IllegalArgumentException("label and protocol are limited to 65535 UTF-8 bytes");
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public static DataChannelOpen parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("DATA_CHANNEL_OPEN", buf.remaining(), FIXED_LENGTH);
        int type = buf.get() & 0xFF;
        if (type != MESSAGE_TYPE) {
            throw new ParseException(ParseError.INVALID_TYPE, "expected DATA_CHANNEL_OPEN, got message type " + type);
        }
        int ct = buf.get() & 0xFF;
        ChannelType channelType = ChannelType.of(ct);
        if (channelType == null) {
            throw new ParseException(ParseError.INVALID_VALUE, "unknown channel type 0x" + Integer.toHexString(ct));
        }
        int priority = buf.getShort() & 0xFFFF;
        long reliability = buf.getInt() & 0xFFFF_FFFFL;
        int labelLength = buf.getShort() & 0xFFFF;
        int protocolLength = buf.getShort() & 0xFFFF;
        if (buf.remaining() != labelLength + protocolLength) {
            throw new ParseException(ParseError.INVALID_LENGTH, "DATA_CHANNEL_OPEN announces " + labelLength + "+" + protocolLength
                    + " bytes of label and protocol, " + buf.remaining() + " present");
        }
        String label = utf8(buf, labelLength, "label");
        String protocol = utf8(buf, protocolLength, "protocol");
        return new DataChannelOpen(channelType, priority, reliability, label, protocol);
    }

    private static String utf8(ByteBuffer buf, int length, String what) throws ParseException {
        ByteBuffer slice = buf.slice(buf.position(), length);
        buf.position(buf.position() + length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ParseException(ParseError.INVALID_VALUE, "DATA_CHANNEL_OPEN " + what + " is not valid UTF-8");
        }
    }

    @Override
    public int messageType() {
        return MESSAGE_TYPE;
    }

    @Override
    public int encodedLength() {
        return FIXED_LENGTH + utf8Length(label) + utf8Length(protocol);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        out.put((byte) MESSAGE_TYPE);
        out.put((byte) channelType.code());
        out.putShort((short) priority);
        out.putInt((int) reliabilityParameter);
        out.putShort((short) l.length);
        out.putShort((short) p.length);
        out.put(l);
        out.put(p);
    }
}
