package io.jrtc.srtp.rtp;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * One packet of an RTCP compound packet (RFC 3550 section 6, feedback per RFC 4585 and RFC 5104). Each variant is an
 * immutable record with {@code static parse(ByteBuffer)} (one packet at the buffer's position, which it advances),
 * {@link #encodedLength()} and {@link #writeTo(ByteBuffer)}. Packet types this module does not decode become
 * {@link UnknownRtcpPacket} and round-trip unchanged.
 */
public sealed interface RtcpPacket permits SenderReport, ReceiverReport, SourceDescription, Goodbye, GenericNack,
        PictureLossIndication, FullIntraRequest, ReceiverEstimatedMaxBitrate, UnknownRtcpPacket {

    /** SR, RFC 3550 section 6.4.1. */
    int PT_SR = 200;
    /** RR, RFC 3550 section 6.4.2. */
    int PT_RR = 201;
    /** SDES, RFC 3550 section 6.5. */
    int PT_SDES = 202;
    /** BYE, RFC 3550 section 6.6. */
    int PT_BYE = 203;
    /** APP, RFC 3550 section 6.7. */
    int PT_APP = 204;
    /** Transport-layer feedback, RFC 4585 section 6.2. */
    int PT_RTPFB = 205;
    /** Payload-specific feedback, RFC 4585 section 6.3. */
    int PT_PSFB = 206;
    /** Extended reports, RFC 3611. */
    int PT_XR = 207;

    /** The PT field. */
    int packetType();

    /** Bytes {@link #writeTo} writes, header included (a multiple of 4). */
    int encodedLength();

    /** Writes the packet at the buffer's position, advancing it. */
    void writeTo(ByteBuffer out);

    /**
     * Parses the RTCP packet at the buffer's position (advancing past it), choosing the variant by PT and FMT.
     *
     * @throws ParseException if the packet is truncated or violates its format
     */
    static RtcpPacket parse(ByteBuffer b) throws ParseException {
        RtcpHeader h = RtcpHeader.peek(b, "RTCP");
        return switch (h.packetType()) {
            case PT_SR -> SenderReport.parse(b);
            case PT_RR -> ReceiverReport.parse(b);
            case PT_SDES -> SourceDescription.parse(b);
            case PT_BYE -> Goodbye.parse(b);
            case PT_RTPFB -> h.count() == GenericNack.FMT ? GenericNack.parse(b) : UnknownRtcpPacket.parse(b);
            case PT_PSFB -> switch (h.count()) {
                case PictureLossIndication.FMT -> PictureLossIndication.parse(b);
                case FullIntraRequest.FMT -> FullIntraRequest.parse(b);
                case ReceiverEstimatedMaxBitrate.FMT -> ReceiverEstimatedMaxBitrate.isRemb(b, h)
                        ? ReceiverEstimatedMaxBitrate.parse(b) : UnknownRtcpPacket.parse(b);
                default -> UnknownRtcpPacket.parse(b);
            };
            default -> UnknownRtcpPacket.parse(b);
        };
    }
}
