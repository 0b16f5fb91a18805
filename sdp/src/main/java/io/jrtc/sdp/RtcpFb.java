package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code rtcp-fb} attribute of RFC 4585 section 4.2: an RTCP feedback message a payload type (or
 * every payload type, {@code *}) supports.
 *
 * <pre>
 * rtcp-fb-syntax = "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val CRLF
 * rtcp-fb-pt         = "*"   ; wildcard: applies to all formats
 *                    / fmt   ; as defined in SDP spec
 * rtcp-fb-val        = "ack" rtcp-fb-ack-param
 *                    / "nack" rtcp-fb-nack-param
 *                    / "trr-int" SP 1*DIGIT
 *                    / rtcp-fb-id rtcp-fb-param
 * </pre>
 *
 * <p>Examples: {@code 96 nack}, {@code 96 nack pli}, {@code 96 ccm fir}, {@code 111 transport-cc},
 * {@code 96 goog-remb}.
 *
 * @param payloadType 0-127, or {@link #WILDCARD} for {@code *}
 * @param type        the feedback type: {@code nack}, {@code ccm}, {@code transport-cc}, ...
 * @param parameter   the rest ({@code pli}, {@code fir}, ...), or {@code null}
 */
public record RtcpFb(int payloadType, String type, String parameter) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "rtcp-fb";
    /** {@code *}: applies to every payload type of the m-section. */
    public static final int WILDCARD = -1;

    public RtcpFb {
        if (payloadType < WILDCARD || payloadType > 127) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtcp-fb payload type " + payloadType);
        }
        if (!Syntax.isToken(type)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtcp-fb type \"" + type + "\"");
        }
        if (parameter != null && (parameter.isEmpty() || !Syntax.isText(parameter))) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "rtcp-fb parameter");
        }
    }

    /**
     * Parses {@code <payload type|*> <type> [<parameter>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} without a type, {@code INVALID_VALUE} for a bad payload type
     */
    public static RtcpFb parse(String value) throws SdpParseException {
        int sp1 = value.indexOf(' ');
        if (sp1 < 0) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "rtcp-fb needs <payload type> <type>", 0, value);
        }
        String pt = value.substring(0, sp1);
        int payloadType;
        if (pt.equals("*")) {
            payloadType = WILDCARD;
        } else {
            long v = Syntax.unsigned(pt, 127);
            if (v < 0) {
                throw new SdpParseException(ParseError.INVALID_VALUE, "rtcp-fb payload type must be * or 0-127", 0,
                        value);
            }
            payloadType = (int) v;
        }
        int sp2 = value.indexOf(' ', sp1 + 1);
        String type = sp2 < 0 ? value.substring(sp1 + 1) : value.substring(sp1 + 1, sp2);
        String param = sp2 < 0 ? null : value.substring(sp2 + 1);
        if (!Syntax.isToken(type)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "rtcp-fb type must be a token", 0, value);
        }
        if (param != null && param.isEmpty()) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "rtcp-fb parameter is empty", 0, value);
        }
        return InvalidSdpException.checked(() -> new RtcpFb(payloadType, type, param), value);
    }

    /** True for {@code *}. */
    public boolean isWildcard() {
        return payloadType == WILDCARD;
    }

    /** True if this feedback applies to the payload type (exact match or wildcard). */
    public boolean appliesTo(int pt) {
        return payloadType == WILDCARD || payloadType == pt;
    }

    /** The feedback value as written after the payload type: {@code nack pli}. */
    public String feedback() {
        return parameter == null ? type : type + ' ' + parameter;
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return (payloadType == WILDCARD ? "*" : Integer.toString(payloadType)) + ' ' + feedback();
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
