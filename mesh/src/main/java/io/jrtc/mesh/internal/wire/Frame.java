package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * One mesh frame on a link: the unit the overlay core hands to the link edge, one frame per data-channel message.
 * The first byte is the frame type. Link-local frames (membership and tree maintenance) are authenticated by the
 * link itself (DTLS bound to the peer's agent id); an {@link Envelope} carries a signature of its origin and may
 * travel many hops.
 *
 * <pre>
 *  type  frame              body
 *  0x01  JOIN               -
 *  0x02  FORWARD_JOIN       ttl(1) newcomer(16)
 *  0x03  NEIGHBOR           priority(1)
 *  0x04  NEIGHBOR_REPLY     accepted(1)
 *  0x05  DISCONNECT         -
 *  0x06  SHUFFLE            count(1) agent ids(16 each)
 *  0x07  SHUFFLE_REPLY      count(1) agent ids(16 each)
 *  0x08  IHAVE              count(2) entries(25 each: origin id 16, sequence 8, hops 1)
 *  0x09  GRAFT              count(2, may be 0) message ids(24 each)
 *  0x0a  PRUNE              -
 *  0x0b  PING               sequence(4) timestamp(8)
 *  0x0c  PONG               sequence(4) timestamp(8), echoed
 *  0x10  ENVELOPE           see {@link Envelope}
 * </pre>
 */
public sealed interface Frame
        permits JoinFrame, ForwardJoinFrame, NeighborFrame, NeighborReplyFrame, DisconnectFrame, ShuffleFrame,
        ShuffleReplyFrame, IHaveFrame, GraftFrame, PruneFrame, PingFrame, PongFrame, Envelope {

    int JOIN = 0x01;
    int FORWARD_JOIN = 0x02;
    int NEIGHBOR = 0x03;
    int NEIGHBOR_REPLY = 0x04;
    int DISCONNECT = 0x05;
    int SHUFFLE = 0x06;
    int SHUFFLE_REPLY = 0x07;
    int IHAVE = 0x08;
    int GRAFT = 0x09;
    int PRUNE = 0x0a;
    int PING = 0x0b;
    int PONG = 0x0c;
    int ENVELOPE = 0x10;

    int type();

    int encodedLength();

    /** Writes the whole frame, type byte included. */
    void writeTo(ByteBuffer out);

    default byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        writeTo(b);
        return b.array();
    }

    /** Parses exactly one frame filling the buffer from position to limit. */
    static Frame parse(ByteBuffer in) throws ParseException {
        ParseException.requireLength("frame", in.remaining(), 1);
        int type = in.get(in.position()) & 0xff;
        Frame f = switch (type) {
            case JOIN -> JoinFrame.parse(in);
            case FORWARD_JOIN -> ForwardJoinFrame.parse(in);
            case NEIGHBOR -> NeighborFrame.parse(in);
            case NEIGHBOR_REPLY -> NeighborReplyFrame.parse(in);
            case DISCONNECT -> DisconnectFrame.parse(in);
            case SHUFFLE -> ShuffleFrame.parse(in);
            case SHUFFLE_REPLY -> ShuffleReplyFrame.parse(in);
            case IHAVE -> IHaveFrame.parse(in);
            case GRAFT -> GraftFrame.parse(in);
            case PRUNE -> PruneFrame.parse(in);
            case PING -> PingFrame.parse(in);
            case PONG -> PongFrame.parse(in);
            case ENVELOPE -> Envelope.parse(in);
            default -> throw new ParseException(ParseError.INVALID_TYPE, "unknown mesh frame type " + type);
        };
        if (in.hasRemaining()) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    "frame type " + type + " followed by " + in.remaining() + " stray bytes");
        }
        return f;
    }

    /** Consumes the type byte, checking it is {@code expected}. */
    static void expectType(ByteBuffer in, int expected, String element, int minLength) throws ParseException {
        ParseException.requireLength(element, in.remaining(), minLength);
        int t = in.get() & 0xff;
        if (t != expected) {
            throw new ParseException(ParseError.INVALID_TYPE, element + " has type " + t + ", expected " + expected);
        }
    }
}
