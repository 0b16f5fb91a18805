package io.jrtc.sdp;

import io.jrtc.common.ParseError;
import io.jrtc.sdp.internal.Syntax;

/**
 * The {@code sctpmap} attribute of the SCTP SDP drafts before RFC 8841 (draft-ietf-mmusic-sctp-sdp up to -05),
 * which Chromium wrote until 2019 and several deployed stacks still write. The data section then reads
 * {@code m=application <port> DTLS/SCTP 5000} and its format, {@code 5000}, is the SCTP port named again here:
 *
 * <pre>
 * sctpmap-attr    = "a=sctpmap:" sctpmap-number SP protocol [SP streams]
 * sctpmap-number  = 1*DIGIT        ; the SCTP port, equal to the m= line's format
 * protocol        = token          ; "webrtc-datachannel" for data channels
 * streams         = 1*DIGIT        ; the number of SCTP streams the endpoint supports
 * </pre>
 *
 * <p>Example: {@code a=sctpmap:5000 webrtc-datachannel 1024}. RFC 8841 replaced it with {@code a=sctp-port}
 * and the format {@code webrtc-datachannel}; see {@link MediaDescription#sctpForm()}.
 *
 * @param number   the SCTP port, 0-65535
 * @param protocol the association usage, {@code webrtc-datachannel} for WebRTC
 * @param streams  the stream count, 0-65535, or -1 when the optional field is absent
 */
public record SctpMap(int number, String protocol, int streams) implements TypedAttribute {

    /** The attribute name. */
    public static final String NAME = "sctpmap";

    public SctpMap {
        if (number < 0 || number > 65535) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "sctpmap number " + number);
        }
        if (!Syntax.isToken(protocol)) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "sctpmap protocol \"" + protocol + "\"");
        }
        if (streams < -1 || streams > 65535) {
            throw new InvalidSdpException(ParseError.INVALID_VALUE, "sctpmap streams " + streams);
        }
    }

    /** A data channel map: {@code <port> webrtc-datachannel <streams>}. */
    public static SctpMap dataChannel(int sctpPort, int streams) {
        return new SctpMap(sctpPort, MediaDescription.FORMAT_DATACHANNEL, streams);
    }

    /**
     * Parses {@code <number> <protocol> [<streams>]}.
     *
     * @throws SdpParseException {@code INVALID_LENGTH} for fewer than two or more than three fields,
     *                           {@code INVALID_VALUE} for a number or stream count that is not 0-65535, or a
     *                           protocol that is not a token
     */
    public static SctpMap parse(String value) throws SdpParseException {
        var f = Syntax.fields(value);
        if (f.size() < 2 || f.size() > 3) {
            throw new SdpParseException(ParseError.INVALID_LENGTH, "sctpmap needs <number> <protocol> [<streams>]", 0,
                    value);
        }
        long number = Syntax.unsigned(f.get(0), 65535);
        if (number < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "sctpmap number must be 0-65535", 0, value);
        }
        long streams = f.size() == 3 ? Syntax.unsigned(f.get(2), 65535) : -1;
        if (f.size() == 3 && streams < 0) {
            throw new SdpParseException(ParseError.INVALID_VALUE, "sctpmap streams must be 0-65535", 0, value);
        }
        return InvalidSdpException.checked(() -> new SctpMap((int) number, f.get(1), (int) streams), value);
    }

    /** True for the data channel protocol ({@code webrtc-datachannel}, case-insensitive). */
    public boolean isDataChannel() {
        return protocol.equalsIgnoreCase(MediaDescription.FORMAT_DATACHANNEL);
    }

    @Override
    public String attributeName() {
        return NAME;
    }

    @Override
    public String toAttributeValue() {
        return streams < 0 ? number + " " + protocol : number + " " + protocol + " " + streams;
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
