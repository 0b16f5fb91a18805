package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code rtpmap} attribute of RFC 8866 section 6.6: which codec a dynamic payload type carries.
 *
 * <pre>
 * rtpmap-value = payload-type SP encoding-name
 *                "/" clock-rate [ "/" encoding-params ]
 * payload-type = zero-based-integer
 * encoding-name = token
 * clock-rate = integer
 * encoding-params = channels
 * channels = integer
 * </pre>
 *
 * <p>Example: {@code 111 opus/48000/2}. The encoding name keeps its case (werift writes {@code OPUS},
 * Chromium {@code opus}); {@link #matches(String)} compares case-insensitively as RFC 8866 requires.
 *
 * @param payloadType  0-127
 * @param encodingName the codec name, e.g. {@code opus}, {@code VP8}, {@code H264}, {@code AV1}, {@code rtx}
 * @param clockRate    the RTP clock rate in Hz, at least 1
 * @param channels     the encoding parameters (audio channels), or 0 when absent
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "rtpmap";

    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtpmap payload type " + payloadType);
        }
        if (!Syntax.isToken(encodingName) || encodingName.indexOf('/') >= 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtpmap encoding name \"" + encodingName + "\"");
        }
        if (clockRate < 1) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtpmap clock rate " + clockRate);
        }
        if (channels < 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtpmap channels " + channels);
        }
    }

    /**
     * Parses {@code <payload type> <encoding name>/<clock rate>[/<encoding parameters>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} for a wrong number of fields, {@code INVALID_VALUE} for a
     *                           payload type over 127, a non-numeric clock rate or channel count
     */
    public static RtpMap parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() != 2) {
            throw fail(ParseError.INVALID_LENGTH, "rtpmap needs <payload type> <encoding>/<clock rate>", value);
        }
        long pt = Syntax.unsigned(f.get(0), 127);
        if (pt < 0) {
            throw fail(ParseError.INVALID_VALUE, "rtpmap payload type must be 0-127", value);
        }
        String enc = f.get(1);
        int s1 = enc.indexOf('/');
        if (s1 < 0) {
            throw fail(ParseError.INVALID_LENGTH, "rtpmap needs a clock rate", value);
        }
        int s2 = enc.indexOf('/', s1 + 1);
        String name = enc.substring(0, s1);
        String rate = s2 < 0 ? enc.substring(s1 + 1) : enc.substring(s1 + 1, s2);
        String params = s2 < 0 ? null : enc.substring(s2 + 1);
        if (!Syntax.isToken(name)) {
            throw fail(ParseError.INVALID_VALUE, "rtpmap encoding name", value);
        }
        long clock = Syntax.unsigned(rate, Integer.MAX_VALUE);
        if (clock < 1) {
            throw fail(ParseError.INVALID_VALUE, "rtpmap clock rate must be a positive number", value);
        }
        long channels = 0;
        if (params != null) {
            channels = Syntax.unsigned(params, Integer.MAX_VALUE);
            if (channels < 1) {
                throw fail(ParseError.INVALID_VALUE, "rtpmap channels must be a positive number", value);
            }
        }
        int ch = (int) channels;
        return InvalidSdpException.checked(() -> new RtpMap((int) pt, name, (int) clock, ch), value);
    }

    private static SdpParseException fail(ParseError e, String reason, String value) {
        return new SdpParseException(e, reason, 0, value);
    }

    /** True if the encoding name is {@code codecName}, ignoring case. */
    public boolean matches(String codecName) {
        return encodingName.equalsIgnoreCase(codecName);
    }

    /** The channel count, 1 when the attribute does not say. */
    public int effectiveChannels() {
        return channels == 0 ? 1 : channels;
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        String base = payloadType + " " + encodingName + '/' + clockRate;
        return channels == 0 ? base : base + '/' + channels;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
