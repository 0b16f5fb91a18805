package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The {@code fmtp} attribute of RFC 8866 section 6.15: format-specific parameters.
 *
 * <pre>
 * fmtp-value = fmt SP format-specific-params
 * format-specific-params = byte-string
 *   ; Notes:
 *   ; - The format parameters are media type parameters and
 *   ;   need to reflect their syntax.
 * </pre>
 *
 * <p>Example: {@code 111 minptime=10;useinbandfec=1}. The parameters are kept as written;
 * {@link #parameterMap()} reads the common {@code key=value;key=value} form. A piece without '='
 * (RED's {@code 111/111}, telephone-event's {@code 0-15}) maps to the empty string.
 *
 * @param format     the format (payload type) as written
 * @param parameters the format-specific parameters as written; may be empty
 */
public record Fmtp(String format, String parameters) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "fmtp";

    public Fmtp {
        if (!Syntax.isToken(format)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "fmtp format \"" + format + "\"");
        }
        if (!Syntax.isText(parameters)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "fmtp parameters hold CR, LF or NUL");
        }
    }

    /** An fmtp for a payload type, parameters written {@code k=v;k=v} in map order. */
    public static Fmtp of(int payloadType, Map<String, String> parameters) {
        StringJoiner j = new StringJoiner(";");
        parameters.forEach((k, v) -> j.add(v == null || v.isEmpty() ? k : k + '=' + v));
        return new Fmtp(Integer.toString(payloadType), j.toString());
    }

    /**
     * Parses {@code <format> <parameters>}. A value without parameters ({@code a=fmtp:96}) is accepted.
     *
     * @throws SdpParseException {@code INVALID_VALUE} if the format is not a token
     */
    public static Fmtp parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        String format = sp < 0 ? value : value.substring(0, sp);
        if (!Syntax.isToken(format)) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "fmtp format must be a token", 0, value);
        }
        return InvalidSdpException.checked(() -> new Fmtp(format, sp < 0 ? "" : value.substring(sp + 1)), value);
    }

    /** The format as a payload type, or -1 if it is not a number from 0 to 127. */
    public int payloadType() {
        return (int) Syntax.unsigned(format, 127);
    }

    /** The parameters split on ';' and '=' (keys and values trimmed), in order; later duplicates win. */
    public Map<String, String> parameterMap() {
        Map<String, String> out = new LinkedHashMap<>();
        int start = 0;
        String p = parameters;
        for (int i = 0; i <= p.length(); i++) {
            if (i == p.length() || p.charAt(i) == ';') {
                String piece = p.substring(start, i).trim();
                start = i + 1;
                if (piece.isEmpty()) {
                    continue;
                }
                int eq = piece.indexOf('=');
                if (eq < 0) {
                    out.put(piece, "");
                } else {
                    out.put(piece.substring(0, eq).trim(), piece.substring(eq + 1).trim());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** One parameter's value. */
    public Optional<String> parameter(String key) {
        return Optional.ofNullable(parameterMap().get(key));
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return parameters.isEmpty() ? format : format + ' ' + parameters;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
