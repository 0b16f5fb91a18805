package io.jrtc.srtp;

/**
 * Bounds of one {@link SrtpSession}. Each tracked SSRC costs two contexts (RTP and RTCP) of roughly a kilobyte each,
 * plus their JCE cipher objects, so the caps bound memory per session.
 *
 * @param maxLocalSsrcs most sending SSRCs the session will key (RTP and RTCP counted separately)
 * @param maxRemoteSsrcs most receiving SSRCs the session will key; packets from further SSRCs drop as
 *                       {@link SrtpDropReason#SSRC_LIMIT}
 */
public record SrtpSessionConfig(int maxLocalSsrcs, int maxRemoteSsrcs) {

    /** 64 each: room for simulcast video with RTX and FEC plus audio, per direction. */
    public static final SrtpSessionConfig DEFAULT = new SrtpSessionConfig(64, 64);

    public SrtpSessionConfig {
        if (maxLocalSsrcs < 1 || maxRemoteSsrcs < 1) {
            throw new IllegalArgumentException("SSRC caps must be at least 1");
        }
    }
}
