package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code msid} attribute of RFC 8830 section 2: which MediaStream (and track) an m-section belongs to.
 *
 * <pre>
 * msid-value = msid-id [ SP msid-appdata ]
 * msid-id = 1*64token-char ; see RFC 4566
 * msid-appdata = 1*64token-char  ; see RFC 4566
 * </pre>
 *
 * <p>The stream id {@code -} means "no stream" (RFC 9429 section 5.2.1). The 64-character limit is not
 * enforced.
 *
 * @param streamId the stream id
 * @param trackId  the application data (the track id in browsers), or {@code null}
 */
public record Msid(String streamId, String trackId) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "msid";

    public Msid {
        if (!Syntax.isToken(streamId)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "msid id \"" + streamId + "\"");
        }
        if (trackId != null && !Syntax.isToken(trackId)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "msid appdata \"" + trackId + "\"");
        }
    }

    /**
     * Parses {@code <stream id> [<track id>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} for more than two fields, {@code INVALID_VALUE} for
     *                           non-token ids
     */
    public static Msid parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() > 2) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "msid has at most <id> <appdata>", 0, value);
        }
        for (String s : f) {
            if (!Syntax.isToken(s)) {
                throw new SdpParseException(ParseError.INVALID_VALUE, "msid fields must be tokens", 0, value);
            }
        }
        return InvalidSdpException.checked(() -> new Msid(f.get(0), f.size() == 2 ? f.get(1) : null), value);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
