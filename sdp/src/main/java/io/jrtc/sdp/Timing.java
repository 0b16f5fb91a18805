package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.List;

/**
 * A timing line with its repeat lines (RFC 8866 sections 5.9 and 5.10).
 *
 * <pre>
 * time-fields =         1*( %s"t" "=" start-time SP stop-time
 *                       *(CRLF repeat-fields) CRLF)
 *                       [zone-adjustments CRLF]
 * </pre>
 *
 * <p>WebRTC always writes {@code t=0 0} (RFC 9429 section 5.2.1). Repeat lines are kept as text.
 *
 * @param start   start time (NTP seconds), 0 for unbounded
 * @param stop    stop time (NTP seconds), 0 for unbounded
 * @param repeats the text after {@code r=} of each repeat line, in order
 */
public record Timing(long start, long stop, List<String> repeats) {

    /** {@code t=0 0}. */
    public static final Timing UNBOUNDED = new Timing(0, 0, List.of());

    public Timing {
        repeats = List.copyOf(repeats);
        if (start < 0 || stop < 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "timing " + start + ' ' + stop);
        }
        for (String r : repeats) {
            if (r.isEmpty() || !Syntax.isText(r)) {
                throw new InvalidSdpException(ParseError.INVALID_VALUE, "repeat line");
            }
        }
    }

    /**
     * Parses the text after {@code t=}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} unless two fields, {@code INVALID_VALUE} for non-numbers
     */
    public static Timing parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() != 2) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "t= needs <start> <stop>", 0, value);
        }
        long start = Syntax.unsigned(f.get(0), Long.MAX_VALUE);
        long stop = Syntax.unsigned(f.get(1), Long.MAX_VALUE);
        if (start < 0 || stop < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "t= times must be numbers", 0, value);
        }
        return InvalidSdpException.checked(() -> new Timing(start, stop, List.of()), value);
    }

    /** A copy with one more repeat line. */
    public Timing withRepeat(String repeat) {
        var r = new java.util.ArrayList<>(repeats);
        r.add(repeat);
        return new Timing(start, stop, r);
    }

    /** The text after {@code t=}. */
    @Override
    public String toString() {
        return start + " " + stop;
    }
}
