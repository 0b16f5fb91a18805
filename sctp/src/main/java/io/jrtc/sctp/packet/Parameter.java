package io.jrtc.sctp.packet;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A variable-length parameter inside INIT, INIT ACK, HEARTBEAT and RE-CONFIG chunks (RFC 9260 §3.2.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Parameter Type         |       Parameter Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                                                               \
 * /                        Parameter Value                        /
 * \                                                               \
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #encodedLength()} includes the trailing padding to a multiple of four bytes; the Parameter Length
 * field written by {@link #writeTo(ByteBuffer)} does not. Unknown types parse to {@link UnknownParameter} and
 * round-trip unchanged; what a receiver does with them depends on the two high bits of the type
 * ({@link #unrecognizedAction(int)}).
 */
public sealed interface Parameter permits HeartbeatInfoParameter, Ipv4AddressParameter, Ipv6AddressParameter,
        StateCookieParameter, UnrecognizedParameter, CookiePreservativeParameter, HostNameAddressParameter,
        SupportedAddressTypesParameter, OutgoingSsnResetRequestParameter, IncomingSsnResetRequestParameter,
        SsnTsnResetRequestParameter, ReconfigurationResponseParameter, AddOutgoingStreamsRequestParameter,
        AddIncomingStreamsRequestParameter, ZeroChecksumAcceptableParameter, SupportedExtensionsParameter,
        ForwardTsnSupportedParameter, UnknownParameter {

    /** What RFC 9260 §3.2.1 says to do with an unrecognized parameter, from the two high bits of its type. */
    enum UnrecognizedAction {
        /** 00: stop processing this parameter and the rest of the chunk; do not report. */
        STOP,
        /** 01: stop processing this parameter and the rest of the chunk; report it in an Unrecognized Parameter. */
        STOP_AND_REPORT,
        /** 10: skip this parameter and continue. */
        SKIP,
        /** 11: skip this parameter, continue, and report it. */
        SKIP_AND_REPORT
    }

    /** The 16-bit parameter type. */
    int type();

    /** The Parameter Length field: header and value, without trailing padding. */
    int length();

    /** Bytes written by {@link #writeTo(ByteBuffer)}, padding included. */
    default int encodedLength() {
        return Wire.padded(length());
    }

    /** Writes header, value and zero padding. */
    void writeTo(ByteBuffer out);

    /** The action for an unrecognized parameter type. */
    static UnrecognizedAction unrecognizedAction(int type) {
        return UnrecognizedAction.values()[(type >>> 14) & 3];
    }

    /** Parses one parameter at {@code buf}'s position and advances past it and its padding. */
    static Parameter parse(ByteBuffer buf) throws ParseException {
        ParseException.requireLength("parameter header", buf.remaining(), 4);
        int type = buf.getShort(buf.position()) & 0xFFFF;
        return switch (type) {
            case HeartbeatInfoParameter.TYPE -> HeartbeatInfoParameter.parse(buf);
            case Ipv4AddressParameter.TYPE -> Ipv4AddressParameter.parse(buf);
            case Ipv6AddressParameter.TYPE -> Ipv6AddressParameter.parse(buf);
            case StateCookieParameter.TYPE -> StateCookieParameter.parse(buf);
            case UnrecognizedParameter.TYPE -> UnrecognizedParameter.parse(buf);
            case CookiePreservativeParameter.TYPE -> CookiePreservativeParameter.parse(buf);
            case HostNameAddressParameter.TYPE -> HostNameAddressParameter.parse(buf);
            case SupportedAddressTypesParameter.TYPE -> SupportedAddressTypesParameter.parse(buf);
            case OutgoingSsnResetRequestParameter.TYPE -> OutgoingSsnResetRequestParameter.parse(buf);
            case IncomingSsnResetRequestParameter.TYPE -> IncomingSsnResetRequestParameter.parse(buf);
            case SsnTsnResetRequestParameter.TYPE -> SsnTsnResetRequestParameter.parse(buf);
            case ReconfigurationResponseParameter.TYPE -> ReconfigurationResponseParameter.parse(buf);
            case AddOutgoingStreamsRequestParameter.TYPE -> AddOutgoingStreamsRequestParameter.parse(buf);
            case AddIncomingStreamsRequestParameter.TYPE -> AddIncomingStreamsRequestParameter.parse(buf);
            case ZeroChecksumAcceptableParameter.TYPE -> ZeroChecksumAcceptableParameter.parse(buf);
            case SupportedExtensionsParameter.TYPE -> SupportedExtensionsParameter.parse(buf);
            case ForwardTsnSupportedParameter.TYPE -> ForwardTsnSupportedParameter.parse(buf);
            default -> UnknownParameter.parse(buf);
        };
    }

    /** Parses parameters until {@code value} is exhausted. */
    static List<Parameter> parseAll(ByteBuffer value) throws ParseException {
        if (!value.hasRemaining()) {
            return List.of();
        }
        List<Parameter> out = new ArrayList<>(4);
        while (value.hasRemaining()) {
            out.add(parse(value));
        }
        return List.copyOf(out);
    }

    /** Sum of {@link #encodedLength()} over {@code params}, padding included. */
    static int encodedLength(List<? extends Parameter> params) {
        int n = 0;
        for (Parameter p : params) {
            n += p.encodedLength();
        }
        return n;
    }

    /** Padding after the last parameter, which a chunk's length field leaves out (RFC 9260 §3.2). */
    static int trailingPadding(List<? extends Parameter> params) {
        if (params.isEmpty()) {
            return 0;
        }
        return Wire.padding(params.get(params.size() - 1).length());
    }

    static void writeAll(List<? extends Parameter> params, ByteBuffer out) {
        for (Parameter p : params) {
            p.writeTo(out);
        }
    }
}
