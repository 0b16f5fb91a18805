package io.jrtc.peer.media;

import java.util.List;

/**
 * W3C {@code RTCTrackEvent}: the remote description says the remote now sends on a transceiver. Fired during
 * {@code setRemoteDescription}, on the connection's event loop; set the receiver's {@link RtpReceiver#onRtp}
 * listener there.
 *
 * @param transceiver the transceiver whose receiver gets the media
 * @param receiver    {@code transceiver.receiver()}
 * @param streamIds   the remote's MediaStream ids ({@code a=msid}), possibly empty
 * @param trackId     the remote's track id ({@code a=msid} appdata), or null
 */
public record TrackEvent(RtpTransceiver transceiver, RtpReceiver receiver, List<String> streamIds, String trackId) {

    public TrackEvent {
        streamIds = List.copyOf(streamIds);
    }

    public MediaKind kind() {
        return transceiver.kind();
    }
}
