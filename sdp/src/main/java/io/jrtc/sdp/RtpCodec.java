package io.jrtc.sdp;

import io.jrtc.sdp.internal.Syntax;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One RTP payload type of an m-section with everything SDP says about it: its {@code rtpmap} (or the
 * static assignment of RFC 3551 section 6), its {@code fmtp} parameters and the {@code rtcp-fb} lines
 * that apply to it (including {@code *}). A read-only view built by {@link MediaDescription#codecs()};
 * codecs are opaque to this module, so VP9, H264 or AV1 are just names.
 *
 * @param payloadType 0-127
 * @param name        the encoding name as written ({@code opus}, {@code VP8}, {@code rtx}, ...)
 * @param clockRate   the clock rate in Hz
 * @param channels    the channel count, 0 when not given
 * @param parameters  the {@code fmtp} parameters in written order, empty if none
 * @param feedback    the {@code rtcp-fb} entries that apply, in order
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels, Map<String, String> parameters,
        List<RtcpFb> feedback) {

    public RtpCodec {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        feedback = List.copyOf(feedback);
    }

    /** True if the encoding name is {@code codecName}, ignoring case. */
    public boolean matches(String codecName) {
        return name.equalsIgnoreCase(codecName);
    }

    /** True for the retransmission format of RFC 4588. */
    public boolean isRtx() {
        return matches("rtx");
    }

    /** The {@code apt} parameter of an RTX payload type: the payload type it repairs. */
    public OptionalInt associatedPayloadType() {
        String apt = parameters.get("apt");
        if (apt == null) {
            return OptionalInt.empty();
        }
        long v = io.jrtc.sdp.internal.Syntax.unsigned(apt, 127);
        return v < 0 ? OptionalInt.empty() : OptionalInt.of((int) v);
    }

    /** True if some {@code rtcp-fb} entry has this type and parameter ({@code null} for none). */
    public boolean hasFeedback(String type, String parameter) {
        for (RtcpFb fb : feedback) {
            if (fb.type().equals(type) && java.util.Objects.equals(fb.parameter(), parameter)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The static payload types of RFC 3551 section 6 (table 4 and 5), used when an m-section lists one
     * without an {@code rtpmap}. Returns {@code null} for dynamic or unassigned types.
     */
    static RtpMap staticPayloadType(int pt) {
        return switch (pt) {
            case 0 -> new RtpMap(0, "PCMU", 8000, 1);
            case 3 -> new RtpMap(3, "GSM", 8000, 1);
            case 4 -> new RtpMap(4, "G723", 8000, 1);
            case 5 -> new RtpMap(5, "DVI4", 8000, 1);
            case 6 -> new RtpMap(6, "DVI4", 16000, 1);
            case 7 -> new RtpMap(7, "LPC", 8000, 1);
            case 8 -> new RtpMap(8, "PCMA", 8000, 1);
            case 9 -> new RtpMap(9, "G722", 8000, 1);
            case 10 -> new RtpMap(10, "L16", 44100, 2);
            case 11 -> new RtpMap(11, "L16", 44100, 1);
            case 12 -> new RtpMap(12, "QCELP", 8000, 1);
            case 13 -> new RtpMap(13, "CN", 8000, 1);
            case 14 -> new RtpMap(14, "MPA", 90000, 0);
            case 15 -> new RtpMap(15, "G728", 8000, 1);
            case 16 -> new RtpMap(16, "DVI4", 11025, 1);
            case 17 -> new RtpMap(17, "DVI4", 22050, 1);
            case 18 -> new RtpMap(18, "G729", 8000, 1);
            case 25 -> new RtpMap(25, "CelB", 90000, 0);
            case 26 -> new RtpMap(26, "JPEG", 90000, 0);
            case 28 -> new RtpMap(28, "nv", 90000, 0);
            case 31 -> new RtpMap(31, "H261", 90000, 0);
            case 32 -> new RtpMap(32, "MPV", 90000, 0);
            case 33 -> new RtpMap(33, "MP2T", 90000, 0);
            case 34 -> new RtpMap(34, "H263", 90000, 0);
            default -> null;
        };
    }

    /** The codecs of an m= line's formats (see {@link MediaDescription#codecs()}). */
    static List<RtpCodec> fromMediaLine(List<String> formats, List<RtpMap> maps, List<Fmtp> fmtps, List<RtcpFb> fbs) {
        List<RtpCodec> out = new java.util.ArrayList<>(formats.size());
        for (String f : formats) {
            long v = Syntax.unsigned(f, 127);
            if (v < 0) {
                continue;
            }
            int pt = (int) v;
            RtpMap map = null;
            for (RtpMap m : maps) {
                if (m.payloadType() == pt) {
                    map = m;
                    break;
                }
            }
            if (map == null) {
                map = staticPayloadType(pt);
            }
            if (map == null) {
                continue;
            }
            Map<String, String> params = Map.of();
            for (Fmtp fm : fmtps) {
                if (fm.payloadType() == pt) {
                    params = fm.parameterMap();
                    break;
                }
            }
            List<RtcpFb> applicable = new java.util.ArrayList<>();
            for (RtcpFb fb : fbs) {
                if (fb.appliesTo(pt)) {
                    applicable.add(fb);
                }
            }
            out.add(new RtpCodec(pt, map.encodingName(), map.clockRate(), map.channels(), params, applicable));
        }
        return out;
    }
}
