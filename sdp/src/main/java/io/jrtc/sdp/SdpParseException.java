package io.jrtc.sdp;

import io.jrtc.common.ParseError;

/**
 * A checked failure to parse SDP text, or one SDP value such as a trickled candidate.
 *
 * <p>It carries the coarse {@link ParseError} (a metric label), the 1-based number of the offending
 * line (0 when a single value was parsed on its own) and that line's text. The mapping is:
 * <ul>
 *   <li>{@link ParseError#INVALID_TYPE}: a line type that is unknown, missing where required
 *       ({@code v=}, {@code o=}, {@code s=}, {@code t=}), repeated where it may appear once, or out of
 *       the order of RFC 8866 section 5;</li>
 *   <li>{@link ParseError#INVALID_LENGTH}: a line or value with too few or too many fields, or empty
 *       input;</li>
 *   <li>{@link ParseError#INVALID_VALUE}: a field whose text the grammar forbids (a port that is not a
 *       number, a candidate priority over 2^32-1, a non-numeric {@code sctp-port}, ...).</li>
 * </ul>
 */
public final class SdpParseException extends Exception {

    private final ParseError error;
    private final String reason;
    private final int lineNumber;
    private final String line;

    /** A failure of a single value, not tied to a line of a description. */
    public SdpParseException(ParseError error, String reason) {
        this(error, reason, 0, null);
    }

    /** A failure at line {@code lineNumber} (1-based) whose text is {@code line}. */
    public SdpParseException(ParseError error, String reason, int lineNumber, String line) {
        super(message(error, reason, lineNumber, line), null, false, false);
        this.error = error;
        this.reason = reason;
        this.lineNumber = lineNumber;
        this.line = line;
    }

    private static String message(ParseError error, String reason, int lineNumber, String line) {
        StringBuilder sb = new StringBuilder().append(error).append(": ").append(reason);
        if (lineNumber > 0) {
            sb.append(" (line ").append(lineNumber);
            if (line != null) {
                sb.append(": \"").append(line.length() > 200 ? line.substring(0, 200) + "..." : line).append('"');
            }
            sb.append(')');
        } else if (line != null) {
            sb.append(" (in \"").append(line.length() > 200 ? line.substring(0, 200) + "..." : line).append("\")");
        }
        return sb.toString();
    }

    /** The coarse reason, suitable as a metric label. */
    public ParseError error() {
        return error;
    }

    /** What was wrong, without the line information. */
    public String reason() {
        return reason;
    }

    /** The 1-based line number within the description, or 0 when a single value was parsed. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The offending line (or value) as received, or {@code null} if unknown. */
    public String line() {
        return line;
    }

    /** The same failure, located at a line of a description. */
    public SdpParseException at(int number, String text) {
        return new SdpParseException(error, reason, number, text);
    }
}
