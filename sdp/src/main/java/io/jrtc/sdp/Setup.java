package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import java.util.Locale;

/**
 * The {@code setup} attribute of RFC 4145 section 4 (used for DTLS roles by RFC 8842 section 5):
 * who opens the connection.
 *
 * <pre>
 * setup-attr           =  "a=setup:" role
 * role                 =  "active" / "passive" / "actpass"
 *                         / "holdconn"
 * </pre>
 *
 * <p>In DTLS-SRTP and SCTP over DTLS, the {@code active} side is the DTLS client. An offer says
 * {@code actpass}; JSEP (RFC 9429 section 5.3.1) has the answer say {@code active}.
 */
public enum Setup implements TypedAttribute {
    /** Offerer: either role. Only valid in offers. */
    ACTPASS("actpass"),
    /** Opens the connection: the DTLS client. */
    ACTIVE("active"),
    /** Accepts the connection: the DTLS server. */
    PASSIVE("passive"),
    /** Neither, for now. */
    HOLDCONN("holdconn");

    /** The attribute name. */
    public static final String NAME = "setup";

    private final String sdpName;

    Setup(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The role token. */
    public String sdpName() {
        return sdpName;
    }

    /**
     * Parses a role token (case-insensitive).
     *
     * @throws SdpParseException {@code INVALID_VALUE} for anything but the four roles
     */
    public static Setup parse(String value) throws SdpParseException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "actpass" -> ACTPASS;
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "holdconn" -> HOLDCONN;
            default -> throw new SdpParseException(ParseError.INVALID_VALUE, "setup role \"" + value + "\"", 0, value);
        };
    }

    /**
     * The role an answerer takes for an offered role: {@code actpass} gives {@code active} (RFC 9429
     * section 5.3.1), {@code active} gives {@code passive}, {@code passive} gives {@code active}, and
     * {@code holdconn} gives {@code holdconn}.
     */
    public static Setup answerFor(Setup offered) {
        return switch (offered) {
            case ACTPASS, PASSIVE -> ACTIVE;
            case ACTIVE -> PASSIVE;
            case HOLDCONN -> HOLDCONN;
        };
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return sdpName;
    }
}
