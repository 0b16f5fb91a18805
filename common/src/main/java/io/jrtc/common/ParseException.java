package io.jrtc.common;

/**
 * A checked failure to parse a wire element. It carries a coarse {@link ParseError} for counting and a
 * message naming the element and the offending field, for logs.
 */
public final class ParseException extends Exception {

    private final ParseError error;

    public ParseException(ParseError error, String message) {
        super(error + ": " + message, null, false, false);
        this.error = error;
    }

    /** The coarse reason, suitable as a metric label. */
    public ParseError error() {
        return error;
    }

    /** Throws {@link ParseError#INVALID_LENGTH} unless {@code available >= needed}. */
    public static void requireLength(String element, int available, int needed) throws ParseException {
        if (available < needed) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    element + " needs " + needed + " bytes, " + available + " present");
        }
    }
}
