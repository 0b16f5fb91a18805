package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * One chunk of an SCTP packet (RFC 9260 §3.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                          Chunk Value                          /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Flags that RFC 9260 defines as reserved are written as zero and ignored on receipt. Unknown chunk types
 * parse to {@link UnknownChunk}; the two high bits of the type say what a receiver does with them
 * ({@link #unrecognizedAction(int)}).
 */
public sealed interface Chunk permits DataChunk, InitChunk, InitAckChunk, SackChunk, HeartbeatRequestChunk,
        HeartbeatAckChunk, AbortChunk, ShutdownChunk, ShutdownAckChunk, ErrorChunk, CookieEchoChunk, CookieAckChunk,
        ShutdownCompleteChunk, ForwardTsnChunk, ReConfigChunk, UnknownChunk {

    /** What RFC 9260 §3.2 says to do with an unrecognized chunk, from the two high bits of its type. */
    enum UnrecognizedAction {
        /** 00: stop processing this packet, discard it, do not report. */
        STOP,
        /** 01: stop processing this packet, discard it, report in an ERROR chunk (Unrecognized Chunk Type). */
        STOP_AND_REPORT,
        /** 10: skip this chunk and continue processing. */
        SKIP,
        /** 11: skip this chunk, continue, and report it in an ERROR chunk. */
        SKIP_AND_REPORT
    }

    /** The 8-bit chunk type. */
    int type();

    /** The 8-bit flags as written on the wire. */
    int flags();

    /** The Chunk Length field: header and value, without trailing padding. */
    int length();

    /** Bytes written by {@link #writeTo(ByteBuffer)}, padding included. */
    default int encodedLength() {
        return Wire.padded(length());
    }

    /** Writes the chunk and its zero padding. */
    void writeTo(ByteBuffer out);

    /** The action for an unrecognized chunk type. */
    static UnrecognizedAction unrecognizedAction(int type) {
        return UnrecognizedAction.values()[(type >>> 6) & 3];
    }

    /** Parses one chunk at {@code buf}'s position and advances past it and its padding. */
    static Chunk parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("chunk header", buf.remaining(), 4);
        int type = buf.get(buf.position()) & 0xFF;
        return switch (type) {
            case ChunkTypes.DATA -> DataChunk.parse(buf);
            case ChunkTypes.INIT -> InitChunk.parse(buf);
            case ChunkTypes.INIT_ACK -> InitAckChunk.parse(buf);
            case ChunkTypes.SACK -> SackChunk.parse(buf);
            case ChunkTypes.HEARTBEAT -> HeartbeatRequestChunk.parse(buf);
            case ChunkTypes.HEARTBEAT_ACK -> HeartbeatAckChunk.parse(buf);
            case ChunkTypes.ABORT -> AbortChunk.parse(buf);
            case ChunkTypes.SHUTDOWN -> ShutdownChunk.parse(buf);
            case ChunkTypes.SHUTDOWN_ACK -> ShutdownAckChunk.parse(buf);
            case ChunkTypes.ERROR -> ErrorChunk.parse(buf);
            case ChunkTypes.COOKIE_ECHO -> CookieEchoChunk.parse(buf);
            case ChunkTypes.COOKIE_ACK -> CookieAckChunk.parse(buf);
            case ChunkTypes.SHUTDOWN_COMPLETE -> ShutdownCompleteChunk.parse(buf);
            case ChunkTypes.FORWARD_TSN -> ForwardTsnChunk.parse(buf);
            case ChunkTypes.RE_CONFIG -> ReConfigChunk.parse(buf);
            default -> UnknownChunk.parse(buf);
        };
    }
}
