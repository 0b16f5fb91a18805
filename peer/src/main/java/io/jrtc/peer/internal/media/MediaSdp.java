package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaCodec;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.sdp.Connection;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.ExtMap;
import io.jrtc.sdp.Fmtp;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Msid;
import io.jrtc.sdp.RtcpFb;
import io.jrtc.sdp.RtpCodec;
import io.jrtc.sdp.RtpMap;
import io.jrtc.sdp.Ssrc;
import io.jrtc.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audio/video m-sections of JSEP (RFC 9429 sections 5.2.1 and 5.3.1) for one transceiver, and what a completed
 * offer/answer negotiated. Pure functions over immutable SDP records: no state, no I/O.
 *
 * <p>Offers list the transceiver's codecs (each video codec followed by its RTX format, RFC 4588 section 8.6),
 * {@code rtcp-fb} per codec (RFC 4585 section 4.2), the mid header extension (RFC 8843 section 15.2 / RFC 8285),
 * {@code rtcp-mux}, {@code rtcp-rsize}, the direction, and, when sending, {@code msid} (RFC 8830) and
 * {@code ssrc}/{@code ssrc-group:FID} with the CNAME (RFC 5576). Answers accept the offered codecs whose names we
 * support, keep the offer's payload types, parameters and order, keep the feedback both sides support, and answer
 * the direction with {@link Direction#answerTo}.
 */
public final class MediaSdp {

    /** RFC 8843 section 15.2: the mid RTP header extension, used for BUNDLE demultiplexing. */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** The mid extension id we offer (the one Chromium uses). */
    public static final int OFFERED_MID_ID = 4;
    /** RTP/AVPF over DTLS-SRTP (RFC 5764 section 8). */
    public static final String PROTO = MediaDescription.PROTO_RTP_SAVPF;

    private MediaSdp() {
    }

    /** Everything an m-section needs from the local transceiver. */
    public record Local(String mid, MediaKind kind, Direction direction, List<MediaCodec> codecs, boolean rtx,
            String streamId, String trackId, long ssrc, long rtxSsrc, String cname, Negotiated previous) {
    }

    // ------------------------------------------------------------------------------------------------ offers

    /** Our offer's m-section (without transport attributes; the caller adds them and the BUNDLE group). */
    public static MediaDescription offer(Local t) {
        List<RtpCodec> primaries = new ArrayList<>();
        Map<Integer, Integer> rtxByApt = new LinkedHashMap<>();
        if (t.previous() != null && !t.previous().receiveCodecs().isEmpty()) {
            // Re-offer what was negotiated, with the same payload types (RFC 9429 section 5.2.2).
            primaries.addAll(t.previous().receiveCodecs());
            t.previous().receiveRtx().forEach((rtx, apt) -> rtxByApt.put(apt, rtx));
        } else {
            BitSet used = new BitSet(128);
            for (MediaCodec c : t.codecs()) {
                int pt = c.preferredPayloadType();
                if (used.get(pt)) {
                    pt = freePayloadType(used, pt);
                }
                used.set(pt);
                primaries.add(new RtpCodec(pt, c.name(), c.clockRate(), c.channels(), c.parameters(),
                        feedback(pt, c.feedback())));
            }
            if (t.kind() == MediaKind.VIDEO && t.rtx()) {
                for (RtpCodec c : primaries) {
                    int rtx = freePayloadType(used, c.payloadType() + 1);
                    used.set(rtx);
                    rtxByApt.put(c.payloadType(), rtx);
                }
            }
        }
        return section(t, t.direction(), primaries, rtxByApt, OFFERED_MID_ID, true);
    }

    private static int freePayloadType(BitSet used, int wanted) {
        boolean dynamic = wanted >= 96 && wanted <= 127 || wanted >= 35 && wanted <= 63;
        if (dynamic && !used.get(wanted)) {
            return wanted;
        }
        for (int pt = 96; pt <= 127; pt++) {
            if (!used.get(pt)) {
                return pt;
            }
        }
        for (int pt = 35; pt <= 63; pt++) {
            if (!used.get(pt)) {
                return pt;
            }
        }
        throw new IllegalStateException("no free dynamic payload type left in the m-section");
    }

    private static List<RtcpFb> feedback(int pt, List<String> values) {
        List<RtcpFb> out = new ArrayList<>();
        for (String v : values) {
            int sp = v.indexOf(' ');
            out.add(new RtcpFb(pt, sp < 0 ? v : v.substring(0, sp), sp < 0 ? null : v.substring(sp + 1)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ answers

    /**
     * Our answer to an offered audio/video m-section, or null to reject it (RFC 9429 section 5.3.1): no codec in
     * common, or no {@code rtcp-mux} (BUNDLE and our single transport need it).
     */
    public static MediaDescription answer(Local t, MediaDescription offered) {
        if (!offered.rtcpMux()) {
            return null;
        }
        List<RtpCodec> primaries = new ArrayList<>();
        Map<Integer, Integer> rtxByApt = new LinkedHashMap<>();
        List<RtpCodec> offeredCodecs = offered.codecs();
        for (RtpCodec c : offeredCodecs) {
            if (c.isRtx()) {
                continue;
            }
            MediaCodec ours = supported(t.codecs(), c);
            if (ours != null) {
                primaries.add(new RtpCodec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.parameters(),
                        intersect(c.payloadType(), c.feedback(), ours.feedback())));
            }
        }
        if (primaries.isEmpty()) {
            return null;
        }
        if (t.kind() == MediaKind.VIDEO && t.rtx()) {
            for (RtpCodec c : offeredCodecs) {
                if (c.isRtx() && c.associatedPayloadType().isPresent()) {
                    int apt = c.associatedPayloadType().getAsInt();
                    if (primaries.stream().anyMatch(p -> p.payloadType() == apt) && !rtxByApt.containsKey(apt)) {
                        rtxByApt.put(apt, c.payloadType());
                    }
                }
            }
        }
        int midId = 0;
        for (ExtMap e : offered.extMaps()) {
            if (e.uri().equals(MID_URI)) {
                midId = e.id();
            }
        }
        Direction dir = t.direction().answerTo(offered.direction());
        return section(t, dir, primaries, rtxByApt, midId, offered.rtcpRsize());
    }

    private static MediaCodec supported(List<MediaCodec> ours, RtpCodec offered) {
        for (MediaCodec m : ours) {
            if (m.matches(offered.name()) && m.clockRate() == offered.clockRate()) {
                return m;
            }
        }
        return null;
    }

    private static List<RtcpFb> intersect(int pt, List<RtcpFb> offered, List<String> ours) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb fb : offered) {
            if (ours.contains(fb.feedback()) && out.stream().noneMatch(o -> o.feedback().equals(fb.feedback()))) {
                out.add(new RtcpFb(pt, fb.type(), fb.parameter()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ writing

    private static MediaDescription section(Local t, Direction dir, List<RtpCodec> primaries,
            Map<Integer, Integer> rtxByApt, int midId, boolean rsize) {
        List<String> formats = new ArrayList<>();
        for (RtpCodec c : primaries) {
            formats.add(Integer.toString(c.payloadType()));
            Integer rtx = rtxByApt.get(c.payloadType());
            if (rtx != null) {
                formats.add(Integer.toString(rtx));
            }
        }
        MediaDescription.Builder b = MediaDescription.builder(t.kind().sdpName(), MediaDescription.DISCARD_PORT, PROTO, formats)
                .connection(Connection.JSEP_DEFAULT)
                .mid(t.mid());
        if (midId > 0) {
            b.addAttribute(ExtMap.of(midId, MID_URI));
        }
        b.direction(dir);
        if (dir.sends()) {
            b.addAttribute(new Msid(t.streamId(), t.trackId()));
        }
        b.rtcpMux();
        if (rsize) {
            b.addFlag("rtcp-rsize");
        }
        for (RtpCodec c : primaries) {
            b.addAttribute(new RtpMap(c.payloadType(), c.name(), c.clockRate(), c.channels()));
            for (RtcpFb fb : c.feedback()) {
                b.addAttribute(new RtcpFb(c.payloadType(), fb.type(), fb.parameter()));
            }
            if (!c.parameters().isEmpty()) {
                b.addAttribute(Fmtp.of(c.payloadType(), c.parameters()));
            }
            Integer rtx = rtxByApt.get(c.payloadType());
            if (rtx != null) {
                b.addAttribute(new RtpMap(rtx, "rtx", c.clockRate(), 0));
                b.addAttribute(Fmtp.of(rtx, Map.of("apt", Integer.toString(c.payloadType()))));
            }
        }
        if (dir.sends()) {
            boolean withRtx = !rtxByApt.isEmpty();
            if (withRtx) {
                b.addAttribute(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
            }
            ssrcLines(b, t.ssrc(), t);
            if (withRtx) {
                ssrcLines(b, t.rtxSsrc(), t);
            }
        }
        return b.build();
    }

    private static void ssrcLines(MediaDescription.Builder b, long ssrc, Local t) {
        b.addAttribute(new Ssrc(ssrc, "cname", t.cname()));
        b.addAttribute(new Ssrc(ssrc, "msid", t.streamId() + " " + t.trackId()));
    }

    // ------------------------------------------------------------------------------------------------ results

    /**
     * What the pair of m-sections (ours and the remote's, same mid) negotiated. Send codecs carry the remote's
     * payload types (RFC 3264 section 5.1: the receiver's numbering), receive codecs ours; feedback is what both
     * listed for the codec.
     */
    public static Negotiated negotiate(MediaKind kind, MediaDescription local, MediaDescription remote) {
        String mid = local.mid().orElse(remote.mid().orElse(null));
        if (local.isRejected() || remote.isRejected()) {
            return new Negotiated(mid, kind, Direction.INACTIVE, List.of(), List.of(), Map.of(), Map.of(), 0, false,
                    List.of(), Map.of(), List.of(), null);
        }
        List<RtpCodec> ours = local.codecs();
        List<RtpCodec> theirs = remote.codecs();
        List<RtpCodec> send = new ArrayList<>();
        List<RtpCodec> receive = new ArrayList<>();
        for (RtpCodec o : ours) {
            if (o.isRtx()) {
                continue;
            }
            for (RtpCodec r : theirs) {
                if (!r.isRtx() && r.matches(o.name()) && r.clockRate() == o.clockRate()) {
                    List<String> both = new ArrayList<>();
                    for (RtcpFb fb : o.feedback()) {
                        if (r.feedback().stream().anyMatch(x -> x.feedback().equals(fb.feedback())) && !both.contains(fb.feedback())) {
                            both.add(fb.feedback());
                        }
                    }
                    send.add(new RtpCodec(r.payloadType(), r.name(), r.clockRate(), r.channels(), r.parameters(),
                            feedback(r.payloadType(), both)));
                    receive.add(new RtpCodec(o.payloadType(), o.name(), o.clockRate(), o.channels(), o.parameters(),
                            feedback(o.payloadType(), both)));
                    break;
                }
            }
        }
        Map<Integer, Integer> localRtx = rtxMap(ours);
        Map<Integer, Integer> remoteRtx = rtxMap(theirs);
        Map<Integer, Integer> sendRtx = new LinkedHashMap<>();
        Map<Integer, Integer> receiveRtx = new LinkedHashMap<>();
        for (int i = 0; i < send.size(); i++) {
            Integer theirRtx = remoteRtx.get(send.get(i).payloadType());
            Integer ourRtx = localRtx.get(receive.get(i).payloadType());
            if (theirRtx != null && ourRtx != null) {
                sendRtx.put(send.get(i).payloadType(), theirRtx);
                receiveRtx.put(ourRtx, receive.get(i).payloadType());
            }
        }
        int midId = 0;
        for (ExtMap e : local.extMaps()) {
            if (e.uri().equals(MID_URI) && remote.extMaps().stream().anyMatch(x -> x.uri().equals(MID_URI))) {
                midId = e.id();
            }
        }
        Map<Long, Long> rtxSsrcs = new LinkedHashMap<>();
        for (SsrcGroup g : remote.ssrcGroups()) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
                rtxSsrcs.put(g.ssrcs().get(1), g.ssrcs().get(0));
            }
        }
        List<String> streams = new ArrayList<>();
        String track = null;
        for (Msid m : remote.msids()) {
            if (!m.streamId().equals("-") && !streams.contains(m.streamId())) {
                streams.add(m.streamId());
            }
            if (track == null) {
                track = m.trackId();
            }
        }
        if (streams.isEmpty() && track == null) {
            for (Ssrc s : remote.ssrcs()) {
                if (s.attribute().equals("msid") && s.value() != null) {
                    String[] parts = s.value().split(" ", 2);
                    if (!parts[0].equals("-") && !streams.contains(parts[0])) {
                        streams.add(parts[0]);
                    }
                    if (track == null && parts.length == 2) {
                        track = parts[1];
                    }
                }
            }
        }
        Direction dir = send.isEmpty() ? Direction.INACTIVE : Direction.of(local.direction().sends() && remote.direction().receives(),
                local.direction().receives() && remote.direction().sends());
        return new Negotiated(mid, kind, dir, send, receive, sendRtx, receiveRtx, midId,
                local.rtcpRsize() && remote.rtcpRsize(), remote.ssrcIds(), rtxSsrcs, streams, track);
    }

    /** apt to rtx payload type, for every RTX format of a section. */
    private static Map<Integer, Integer> rtxMap(List<RtpCodec> codecs) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (RtpCodec c : codecs) {
            if (c.isRtx() && c.associatedPayloadType().isPresent()) {
                out.putIfAbsent(c.associatedPayloadType().getAsInt(), c.payloadType());
            }
        }
        return out;
    }
}
