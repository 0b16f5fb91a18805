package io.jrtc.sdp;

import io.jrtc.common.ParseError;

/**
 * Thrown at once when code builds an SDP record from values the grammar forbids (API misuse), for
 * example an {@link Attribute} named {@code sctp-port} whose value is not a number, or a media port
 * over 65535. Received text never produces this: {@link SessionDescription#parse(String)} reports it as
 * a checked {@link SdpParseException} instead.
 */
public final class InvalidSdpException extends IllegalArgumentException {

    private final ParseError error;

    public InvalidSdpException(ParseError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    InvalidSdpException(SdpParseException cause) {
        super(cause.getMessage(), cause);
        this.error = cause.error();
    }

    /** The coarse reason. */
    public ParseError error() {
        return error;
    }

    /**
     * Runs a record constructor for a parser: a grammar violation the parser did not catch itself still
     * surfaces as the checked {@link SdpParseException}, quoting {@code text}.
     */
    static <T> T checked(java.util.function.Supplier<T> constructor, String text) throws SdpParseException {
        try {
            return constructor.get();
        } catch (InvalidSdpException e) {
            SdpParseException p = e.toParseException();
            throw new SdpParseException(p.error(), p.reason(), 0, text);
        }
    }

    /** The checked form of this failure, if it came from a value parser. */
    SdpParseException toParseException() {
        return getCause() instanceof SdpParseException p ? p
                : new SdpParseException(error, getMessage().substring(error.toString().length() + 2));
    }
}
