package io.jrtc.sctp.packet;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Re-configuration Response (type 16, RFC 6525 §4.4). The two TSN fields are present only together, and only
 * in answers to an SSN/TSN Reset Request.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Parameter Type = 16       |      Parameter Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Re-configuration Response Sequence Number             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Result                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Sender's Next TSN (optional)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Receiver's Next TSN (optional)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param result one of the {@code RESULT_*} codes (unknown codes are kept as they are)
 * @param hasNextTsns whether the two optional TSN fields are present
 */
public record ReconfigurationResponseParameter(long responseSequenceNumber, long result, boolean hasNextTsns,
        long senderNextTsn, long receiverNextTsn) implements Parameter {

    public static final int TYPE = 16;

    /** Success - Nothing to do. */
    public static final long RESULT_SUCCESS_NOTHING_TO_DO = 0;
    /** Success - Performed. */
    public static final long RESULT_SUCCESS_PERFORMED = 1;
    /** Denied. */
    public static final long RESULT_DENIED = 2;
    /** Error - Wrong SSN. */
    public static final long RESULT_ERROR_WRONG_SSN = 3;
    /** Error - Request already in progress. */
    public static final long RESULT_ERROR_REQUEST_ALREADY_IN_PROGRESS = 4;
    /** Error - Bad Sequence Number. */
    public static final long RESULT_ERROR_BAD_SEQUENCE_NUMBER = 5;
    /** In progress. */
    public static final long RESULT_IN_PROGRESS = 6;

    public ReconfigurationResponseParameter {
        Wire.checkU32(responseSequenceNumber, "response sequence number");
        Wire.checkU32(result, "result");
        Wire.checkU32(senderNextTsn, "sender's next TSN");
        Wire.checkU32(receiverNextTsn, "receiver's next TSN");
    }

    /** A response without the optional TSN fields. */
    public static ReconfigurationResponseParameter of(long responseSequenceNumber, long result) {
        return new ReconfigurationResponseParameter(responseSequenceNumber, result, false, 0, 0);
    }

    public static ReconfigurationResponseParameter parse(ByteBuffer buf) throws ParseException {
        Wire.expectParamType(buf, TYPE, "Re-configuration Response");
        ByteBuffer v = Wire.tlv(buf, "Re-configuration Response", 12);
        if (v.remaining() != 8 && v.remaining() != 16) {
            throw new ParseException(ParseError.INVALID_LENGTH, "Re-configuration Response length must be 12 or 20, was " + (v.remaining() + 4));
        }
        long seq = Wire.u32(v);
        long result = Wire.u32(v);
        if (v.hasRemaining()) {
            return new ReconfigurationResponseParameter(seq, result, true, Wire.u32(v), Wire.u32(v));
        }
        return of(seq, result);
    }

    /** A readable name for a result code. */
    public static String resultName(long result) {
        return switch ((int) result) {
            case 0 -> "Success - Nothing to do";
            case 1 -> "Success - Performed";
            case 2 -> "Denied";
            case 3 -> "Error - Wrong SSN";
            case 4 -> "Error - Request already in progress";
            case 5 -> "Error - Bad Sequence Number";
            case 6 -> "In progress";
            default -> "Unknown result " + result;
        };
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return hasNextTsns ? 20 : 12;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        Wire.tlvHeader(out, TYPE, length());
        out.putInt((int) responseSequenceNumber);
        out.putInt((int) result);
        if (hasNextTsns) {
            out.putInt((int) senderNextTsn);
            out.putInt((int) receiverNextTsn);
        }
    }
}
