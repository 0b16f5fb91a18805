package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An error cause inside ABORT and ERROR chunks (RFC 9260 §3.3.10).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Cause Code          |         Cause Length          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                    Cause-Specific Information                 /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public sealed interface ErrorCause permits InvalidStreamIdentifierCause, MissingMandatoryParameterCause,
        StaleCookieCause, OutOfResourceCause, UnresolvableAddressCause, UnrecognizedChunkTypeCause,
        InvalidMandatoryParameterCause, UnrecognizedParametersCause, NoUserDataCause,
        CookieReceivedWhileShuttingDownCause, RestartWithNewAddressesCause, UserInitiatedAbortCause,
        ProtocolViolationCause, UnknownErrorCause {

    /** The 16-bit cause code. */
    int code();

    /** The Cause Length field: header and value, without padding. */
    int length();

    /** Bytes written by {@link #writeTo(ByteBuffer)}, padding included. */
    default int encodedLength() {
        return Wire.padded(length());
    }

    void writeTo(ByteBuffer out);

    /** Parses one cause at {@code buf}'s position and advances past it and its padding. */
    static ErrorCause parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("error cause header", buf.remaining(), 4);
        int code = buf.getShort(buf.position()) & 0xFFFF;
        return switch (code) {
            case InvalidStreamIdentifierCause.CODE -> InvalidStreamIdentifierCause.parse(buf);
            case MissingMandatoryParameterCause.CODE -> MissingMandatoryParameterCause.parse(buf);
            case StaleCookieCause.CODE -> StaleCookieCause.parse(buf);
            case OutOfResourceCause.CODE -> OutOfResourceCause.parse(buf);
            case UnresolvableAddressCause.CODE -> UnresolvableAddressCause.parse(buf);
            case UnrecognizedChunkTypeCause.CODE -> UnrecognizedChunkTypeCause.parse(buf);
            case InvalidMandatoryParameterCause.CODE -> InvalidMandatoryParameterCause.parse(buf);
            case UnrecognizedParametersCause.CODE -> UnrecognizedParametersCause.parse(buf);
            case NoUserDataCause.CODE -> NoUserDataCause.parse(buf);
            case CookieReceivedWhileShuttingDownCause.CODE -> CookieReceivedWhileShuttingDownCause.parse(buf);
            case RestartWithNewAddressesCause.CODE -> RestartWithNewAddressesCause.parse(buf);
            case UserInitiatedAbortCause.CODE -> UserInitiatedAbortCause.parse(buf);
            case ProtocolViolationCause.CODE -> ProtocolViolationCause.parse(buf);
            default -> UnknownErrorCause.parse(buf);
        };
    }

    /** Parses causes until {@code value} is exhausted. */
    static List<ErrorCause> parseAll(ByteBuffer value) throws ParseException {
        if (!value.hasRemaining()) {
            return List.of();
        }
        List<ErrorCause> out = new ArrayList<>(2);
        while (value.hasRemaining()) {
            out.add(parse(value));
        }
        return List.copyOf(out);
    }

    static int encodedLength(List<? extends ErrorCause> causes) {
        int n = 0;
        for (ErrorCause c : causes) {
            n += c.encodedLength();
        }
        return n;
    }

    /** Padding after the last cause, which the chunk length leaves out. */
    static int trailingPadding(List<? extends ErrorCause> causes) {
        return causes.isEmpty() ? 0 : Wire.padding(causes.get(causes.size() - 1).length());
    }

    static void writeAll(List<? extends ErrorCause> causes, ByteBuffer out) {
        for (ErrorCause c : causes) {
            c.writeTo(out);
        }
    }

    /** A short human description of {@code causes}, for logs and events. */
    static String describe(List<? extends ErrorCause> causes) {
        if (causes.isEmpty()) {
            return "no cause given";
        }
        StringBuilder sb = new StringBuilder();
        for (ErrorCause c : causes) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
