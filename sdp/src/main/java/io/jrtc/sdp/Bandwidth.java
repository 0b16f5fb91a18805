package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * A bandwidth line of RFC 8866 section 5.8.
 *
 * <pre>
 * bandwidth-fields =    *(%s"b" "=" bwtype ":" bandwidth CRLF)
 * bwtype =              token
 * bandwidth =           1*DIGIT
 * </pre>
 *
 * @param type      {@code AS}, {@code CT}, {@code TIAS}, ...
 * @param bandwidth the value (kbit/s for AS and CT, bit/s for TIAS)
 */
public record Bandwidth(String type, long bandwidth) {

    public Bandwidth {
        if (!Syntax.isToken(type) || type.indexOf(':') >= 0 || bandwidth < 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "bandwidth " + type + ':' + bandwidth);
        }
    }

    /**
     * Parses the text after {@code b=}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} without ':', {@code INVALID_VALUE} for a bad type or number
     */
    public static Bandwidth parse(String value) throws SdpParseException {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "b= needs <bwtype>:<bandwidth>", 0, value);
        }
        String type = value.substring(0, colon);
        long bw = Syntax.unsigned(value.substring(colon + 1), Long.MAX_VALUE);
        if (!Syntax.isToken(type) || bw < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "b= type or bandwidth", 0, value);
        }
        return InvalidSdpException.checked(() -> new Bandwidth(type, bw), value);
    }

    /** The text after {@code b=}. */
    @Override
    public String toString() {
        return type + ':' + bandwidth;
    }
}
