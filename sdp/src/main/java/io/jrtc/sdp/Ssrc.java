package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code ssrc} attribute of RFC 5576 section 4.1: a source attribute of one SSRC.
 *
 * <pre>
 * ssrc-attr = "ssrc:" ssrc-id SP attribute
 * ; The base definition of "attribute" is in RFC 4566.
 * ; (It is the content of "a=" lines.)
 *
 * ssrc-id = integer ; 0 .. 2**32 - 1
 * </pre>
 *
 * <p>Examples: {@code 1578203208 cname:Aw+yN/oBL1UnUPPE}, {@code 1578203208 msid:<stream> <track>}.
 *
 * @param ssrc      0 to 2^32-1
 * @param attribute the source attribute name ({@code cname}, {@code msid}, ...)
 * @param value     its value, or {@code null} for a flag
 */
public record Ssrc(long ssrc, String attribute, String value) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "ssrc";

    public Ssrc {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "ssrc " + ssrc);
        }
        if (!Syntax.isVisible(attribute) || attribute.indexOf(':') >= 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "ssrc attribute name \"" + attribute + "\"");
        }
        if (value != null && !Syntax.isText(value)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "ssrc attribute value");
        }
    }

    /**
     * Parses {@code <ssrc> <attribute>[:<value>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} without an attribute, {@code INVALID_VALUE} for an SSRC
     *                           that is not a 32-bit number
     */
    public static Ssrc parse(String text) throws SdpParseException {
        int sp = text.indexOf(' ');
        if (sp < 0) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "ssrc needs <ssrc-id> <attribute>", 0, text);
        }
        long id = Syntax.unsigned(text.substring(0, sp), 0xFFFF_FFFFL);
        if (id < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "ssrc-id must be 0-4294967295", 0, text);
        }
        String rest = text.substring(sp + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!Syntax.isVisible(name)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "ssrc attribute name", 0, text);
        }
        return InvalidSdpException.checked(() -> new Ssrc(id, name, colon < 0 ? null : rest.substring(colon + 1)), text);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return value == null ? ssrc + " " + attribute : ssrc + " " + attribute + ':' + value;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
