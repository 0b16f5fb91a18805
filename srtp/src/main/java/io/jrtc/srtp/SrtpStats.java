package io.jrtc.srtp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of one {@link SrtpSession}'s counters. Byte counts are of the plaintext RTP packets (header included).
 *
 * @param rtpProtected RTP packets protected
 * @param rtpProtectedBytes bytes of RTP protected
 * @param rtcpProtected RTCP compound packets protected
 * @param rtpUnprotected SRTP packets accepted
 * @param rtpUnprotectedBytes bytes of RTP accepted (after unprotect)
 * @param rtcpUnprotected SRTCP packets accepted
 * @param inboundDrops received packets refused, per reason
 * @param outboundFailures packets the session refused to protect, per reason
 * @param localSsrcs SSRCs with a sending context (RTP)
 * @param remoteSsrcs SSRCs with a receiving context (RTP)
 */
public record SrtpStats(long rtpProtected, long rtpProtectedBytes, long rtcpProtected, long rtpUnprotected,
                        long rtpUnprotectedBytes, long rtcpUnprotected, Map<SrtpDropReason, Long> inboundDrops,
                        Map<SrtpDropReason, Long> outboundFailures, int localSsrcs, int remoteSsrcs) {

    public SrtpStats {
        inboundDrops = copy(inboundDrops);
        outboundFailures = copy(outboundFailures);
    }

    private static Map<SrtpDropReason, Long> copy(Map<SrtpDropReason, Long> counts) {
        EnumMap<SrtpDropReason, Long> copy = new EnumMap<>(SrtpDropReason.class);
        copy.putAll(counts);
        return Collections.unmodifiableMap(copy);
    }

    /** Received packets dropped for {@code reason}. */
    public long inboundDropped(SrtpDropReason reason) {
        return inboundDrops.getOrDefault(reason, 0L);
    }

    /** Received packets dropped for any reason. */
    public long inboundDroppedTotal() {
        return inboundDrops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Packets refused on the way out for {@code reason}. */
    public long outboundFailed(SrtpDropReason reason) {
        return outboundFailures.getOrDefault(reason, 0L);
    }
}
