package io.jrtc.peer.internal.media;

import io.jrtc.peer.media.MediaKind;
import io.jrtc.sdp.Direction;
import io.jrtc.sdp.RtpCodec;
import java.util.List;
import java.util.Map;

/**
 * What one completed offer/answer says about one audio or video m-section, from our side. Immutable.
 *
 * @param mid               the m-section's mid
 * @param kind              audio or video
 * @param direction         what we do: sends means we may send, receives that the remote may send to us
 * @param sendCodecs        primary codecs we may send, with the remote's payload types and the feedback both listed
 * @param receiveCodecs     primary codecs the remote may send, with our payload types
 * @param sendRtx           RTX payload type to use when retransmitting each send payload type (apt to rtx)
 * @param receiveRtx        for each RTX payload type we receive, the payload type it repairs (rtx to apt)
 * @param midExtensionId    the RFC 8285 id of {@code urn:ietf:params:rtp-hdrext:sdes:mid}, 0 if not negotiated
 * @param rtcpRsize         whether reduced-size RTCP (RFC 5506) was negotiated
 * @param remoteSsrcs       the remote's signalled SSRCs ({@code a=ssrc}), media and RTX
 * @param remoteRtxSsrcs    the remote's RTX SSRC for each of its media SSRCs ({@code a=ssrc-group:FID}), rtx to primary
 * @param remoteStreamIds   the remote's MediaStream ids
 * @param remoteTrackId     the remote's track id, or null
 */
public record Negotiated(String mid, MediaKind kind, Direction direction, List<RtpCodec> sendCodecs,
        List<RtpCodec> receiveCodecs, Map<Integer, Integer> sendRtx, Map<Integer, Integer> receiveRtx,
        int midExtensionId, boolean rtcpRsize, List<Long> remoteSsrcs, Map<Long, Long> remoteRtxSsrcs,
        List<String> remoteStreamIds, String remoteTrackId) {

    public Negotiated {
        sendCodecs = List.copyOf(sendCodecs);
        receiveCodecs = List.copyOf(receiveCodecs);
        sendRtx = Map.copyOf(sendRtx);
        receiveRtx = Map.copyOf(receiveRtx);
        remoteSsrcs = List.copyOf(remoteSsrcs);
        remoteRtxSsrcs = Map.copyOf(remoteRtxSsrcs);
        remoteStreamIds = List.copyOf(remoteStreamIds);
    }

    /** The send codec with this payload type, or null. */
    public RtpCodec sendCodec(int payloadType) {
        for (RtpCodec c : sendCodecs) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }

    /** Whether the feedback value (e.g. {@code nack pli}) applies to some codec we send. */
    public boolean sendFeedback(String value) {
        return anyFeedback(sendCodecs, value);
    }

    /** Whether the feedback value applies to some codec we receive. */
    public boolean receiveFeedback(String value) {
        return anyFeedback(receiveCodecs, value);
    }

    private static boolean anyFeedback(List<RtpCodec> codecs, String value) {
        for (RtpCodec c : codecs) {
            for (var fb : c.feedback()) {
                if (fb.feedback().equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
