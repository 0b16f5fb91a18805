package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.Objects;

/**
 * One attribute line, {@code a=<name>[:<value>]} (RFC 8866 section 5.13), exactly as written.
 *
 * <pre>
 *   attribute-fields =   *(%s"a" "=" attribute CRLF)
 *   attribute =          (attribute-name ":" attribute-value) /
 *                        attribute-name
 * </pre>
 *
 * <p>The value is kept verbatim, leading spaces included ({@code a=msid-semantic: WMS} has the value
 * {@code " WMS"}), so unknown attributes round-trip unchanged. A {@code null} value is a flag attribute
 * ({@code a=rtcp-mux}); an empty value ({@code a=foo:}) is distinct from it.
 *
 * <p>Attributes this module understands are checked against their grammar when constructed: building
 * {@code new Attribute("sctp-port", "abc")} throws {@link InvalidSdpException}. So every typed accessor
 * of {@link MediaDescription} and {@link SessionDescription} works on valid values only.
 *
 * @param name  the attribute name: non-empty, without whitespace or ':'
 * @param value the value after the first ':', or {@code null} for a flag attribute
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (!Syntax.isVisible(name) || name.indexOf(':') >= 0) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "attribute name \"" + name + "\"");
        }
        if (value != null && !Syntax.isText(value)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "attribute " + name + " holds CR, LF or NUL");
        }
        try {
            checkKnown(name, value);
        } catch (SdpParseException e) {
            throw new InvalidSdpException(e);
        }
    }

    /** A flag attribute such as {@code a=rtcp-mux}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** An attribute with a value. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    /**
     * Parses the text of an attribute line after {@code a=} (a leading {@code "a="} is accepted too).
     *
     * @throws SdpParseException if the name is empty or malformed, or the value of a known attribute breaks
     *                           its grammar
     */
    public static Attribute parse(String text) throws SdpParseException {
        String t = text.startsWith("a=") ? text.substring(2) : text;
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        String value = colon < 0 ? null : t.substring(colon + 1);
        if (!Syntax.isVisible(name)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "attribute name \"" + name + "\"", 0, text);
        }
        if (value != null && !Syntax.isText(value)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "attribute value holds CR, LF or NUL", 0, text);
        }
        try {
            return new Attribute(name, value);
        } catch (InvalidSdpException e) {
            throw e.toParseException();
        }
    }

    /** True if this is a flag attribute (no ':' and no value). */
    public boolean isFlag() {
        return value == null;
    }

    /** True if this attribute has the given name. */
    public boolean is(String attributeName) {
        return name.equals(attributeName);
    }

    /** The line as it appears in SDP, without the CRLF: {@code a=name:value}. */
    @Override
    public String toString() {
        return value == null ? "a=" + name : "a=" + name + ':' + value;
    }

    void appendTo(StringBuilder sb) {
        sb.append("a=").append(name);
        if (value != null) {
            sb.append(':').append(value);
        }
        sb.append("\r\n");
    }

    /** Checks the value of an attribute this module gives a typed view of. */
    private static void checkKnown(String name, String value) throws SdpParseException {
        switch (name) {
            case "candidate" -> Candidate.parseValue(required(name, value), value);
            case "ice-ufrag", "ice-pwd" -> {
                if (!Syntax.isIceChars(required(name, value), 1, 256)) {
                    throw new SdpParseException(ParseError.INVALID_VALUE, name + " must be 1-256 ice-chars");
                }
            }
            case "ice-options" -> {
                var fields = Syntax.fields(required(name, value));
                for (String f : fields) {
                    if (!Syntax.isToken(f)) {
                        throw new SdpParseException(ParseError.INVALID_VALUE, "ice-options tag \"" + f + "\"");
                    }
                }
            }
            case "mid" -> {
                if (!Syntax.isToken(required(name, value))) {
                    throw new SdpParseException(ParseError.INVALID_VALUE, "mid must be a token");
                }
            }
            case "sctp-port" -> {
                if (Syntax.unsigned(required(name, value), 65535) < 0) {
                    throw new SdpParseException(ParseError.INVALID_VALUE, "sctp-port must be 0-65535");
                }
            }
            case "sctpmap" -> SctpMap.parse(required(name, value));
            case "max-message-size" -> {
                if (Syntax.unsigned(required(name, value), Long.MAX_VALUE) < 0) {
                    throw new SdpParseException(ParseError.INVALID_VALUE, "max-message-size must be a number");
                }
            }
            case "fingerprint" -> FingerprintAttribute.parse(required(name, value));
            case "setup" -> Setup.parse(required(name, value));
            case "group" -> Group.parse(required(name, value));
            case "rtpmap" -> RtpMap.parse(required(name, value));
            case "fmtp" -> Fmtp.parse(required(name, value));
            case "rtcp-fb" -> RtcpFb.parse(required(name, value));
            case "extmap" -> ExtMap.parse(required(name, value));
            case "ssrc" -> Ssrc.parse(required(name, value));
            case "ssrc-group" -> SsrcGroup.parse(required(name, value));
            case "msid" -> Msid.parse(required(name, value));
            default -> {
                // unknown, or a flag whose value (if any) nobody reads: kept as written
            }
        }
    }

    private static String required(String name, String value) throws SdpParseException {
        if (value == null) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "a=" + name + " needs a value");
        }
        return value;
    }
}
