package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * RE-CONFIG (type 130, RFC 6525 §3.1): carries one or two re-configuration request or response parameters.
 * Which pairs are allowed is checked by the association (RFC 6525 §3.1); more than two, or none, is
 * {@link ParseError#INVALID_VALUE}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type = 130    |  Chunk Flags  |      Chunk Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                  Re-configuration Parameter                   /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /             Re-configuration Parameter (optional)             /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ReConfigChunk(List<Parameter> parameters) implements Chunk {

    public static final int TYPE = ChunkTypes.RE_CONFIG;

    public ReConfigChunk {
        parameters = List.copyOf(parameters);
        if (parameters.isEmpty() || parameters.size() > 2) {
            throw new IllegalArgumentException("RE-CONFIG carries one or two parameters, not " + parameters.size());
        }
    }

    public static ReConfigChunk parse(ByteBuffer buf) throws ParseException {
        Wire.expectChunkType(buf, TYPE, "RE-CONFIG");
        List<Parameter> params = Parameter.parseAll(Wire.tlv(buf, "RE-CONFIG", 8));
        if (params.isEmpty() || params.size() > 2) {
            throw new ParseException(ParseError.INVALID_VALUE, "RE-CONFIG carries " + params.size() + " parameters");
        }
        return new ReConfigChunk(params);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int length() {
        return 4 + Parameter.encodedLength(parameters) - Parameter.trailingPadding(parameters);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.chunkHeader(out, TYPE, 0, length());
        Parameter.writeAll(parameters, out);
    }
}
