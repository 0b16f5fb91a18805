package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The connection line of RFC 8866 section 5.7.
 *
 * <pre>
 * connection-field =    [%s"c" "=" nettype SP addrtype SP
 *                       connection-address CRLF]
 * </pre>
 *
 * <p>JSEP writes {@code c=IN IP4 0.0.0.0} until a default candidate is known (RFC 9429 section 5.2.1).
 * The address is kept as written, including any multicast {@code /ttl/count} suffix.
 *
 * @param networkType {@code IN}
 * @param addressType {@code IP4} or {@code IP6}
 * @param address     the connection address as written
 */
public record Connection(String networkType, String addressType, String address) {

    /** {@code IN IP4 0.0.0.0}. */
    public static final Connection JSEP_DEFAULT = new Connection("IN", "IP4", "0.0.0.0");

    public Connection {
        if (!Syntax.isToken(networkType) || !Syntax.isToken(addressType) || !Syntax.isVisible(address)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "connection " + networkType + ' ' + addressType
                    + ' ' + address);
        }
    }

    /**
     * Parses the text after {@code c=}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} unless three fields, {@code INVALID_VALUE} for a bad field
     */
    public static Connection parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() != 3) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "c= needs 3 fields, has " + f.size(), 0, value);
        }
        if (!Syntax.isToken(f.get(0)) || !Syntax.isToken(f.get(1)) || !Syntax.isVisible(f.get(2))) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "c= fields", 0, value);
        }
        return InvalidSdpException.checked(() -> new Connection(f.get(0), f.get(1), f.get(2)), value);
    }

    /** The text after {@code c=}. */
    @Override
    public String toString() {
        return networkType + ' ' + addressType + ' ' + address;
    }
}
