package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The origin line of RFC 8866 section 5.2.
 *
 * <pre>
 * origin-field =        %s"o" "=" username SP sess-id SP sess-version SP
 *                       nettype SP addrtype SP unicast-address CRLF
 * </pre>
 *
 * <p>Example: {@code o=- 7596809839844081191 2 IN IP4 127.0.0.1}. JSEP (RFC 9429 section 5.2.2)
 * increments the version on every new local description: {@link #withNextVersion()}.
 *
 * @param username       the user name, {@code -} in WebRTC
 * @param sessionId      the session id as written (digits in every stack we met; kept as text because it may
 *                       exceed 64 bits)
 * @param sessionVersion the version, 0 to 2^63-1
 * @param networkType    {@code IN}
 * @param addressType    {@code IP4} or {@code IP6}
 * @param address        the unicast address as written
 */
public record Origin(String username, String sessionId, long sessionVersion, String networkType,
        String addressType, String address) {

    public Origin {
        String bad = check(username, sessionId, sessionVersion, networkType, addressType, address);
        if (bad != null) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "origin " + bad);
        }
    }

    private static String check(String username, String sessionId, long sessionVersion, String networkType,
            String addressType, String address) {
        if (!Syntax.isVisible(username)) {
            return "username";
        }
        if (!Syntax.isVisible(sessionId)) {
            return "sess-id";
        }
        if (sessionVersion < 0) {
            return "sess-version";
        }
        if (!Syntax.isToken(networkType)) {
            return "nettype";
        }
        if (!Syntax.isToken(addressType)) {
            return "addrtype";
        }
        if (!Syntax.isVisible(address)) {
            return "unicast-address";
        }
        return null;
    }

    /** An origin as JSEP writes it: {@code - <id> <version> IN IP4 0.0.0.0}. */
    public static Origin jsep(String sessionId, long sessionVersion) {
        return new Origin("-", sessionId, sessionVersion, "IN", "IP4", "0.0.0.0");
    }

    /**
     * Parses the text after {@code o=}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} unless six fields, {@code INVALID_VALUE} for a bad field
     */
    public static Origin parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() != 6) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "o= needs 6 fields, has " + f.size(), 0, value);
        }
        long version = Syntax.unsigned(f.get(2), Long.MAX_VALUE);
        if (version < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "o= sess-version must be a number", 0, value);
        }
        String bad = check(f.get(0), f.get(1), version, f.get(3), f.get(4), f.get(5));
        if (bad != null) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "o= " + bad, 0, value);
        }
        return InvalidSdpException.checked(() -> new Origin(f.get(0), f.get(1), version, f.get(3), f.get(4), f.get(5)), value);
    }

    /** A copy with the session version incremented. */
    public Origin withNextVersion() {
        return new Origin(username, sessionId, sessionVersion + 1, networkType, addressType, address);
    }

    /** The text after {@code o=}. */
    @Override
    public String toString() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + networkType + ' ' + addressType + ' '
                + address;
    }
}
