package io.jrtc.dtls.internal;

import java.nio.ByteBuffer;

/**
 * Drops DTLS records whose header carries a version other than DTLS 1.0 ({@code 0xFEFF}, which ClientHello records
 * may use) or DTLS 1.2 ({@code 0xFEFD}) before bctls sees them. bctls 1.84 parses the record version with
 * {@code ProtocolVersion.get}, which throws for the reserved {@code 0xFEFE}; the record layer turns that into a fatal
 * {@code internal_error}, so one forged 15-byte datagram from anyone who can reach the port tore down an established
 * association (found by fuzzing, FuzzedDatagramsNeverReachAConnectedEndpointsApplication). RFC 6347 section 4.1.2.7
 * asks for invalid records to be discarded silently, which is what this does.
 */
public final class RecordVersionFilter {

    private RecordVersionFilter() {
    }

    /**
     * {@code datagram} itself when every record header in it (position to limit) carries an accepted version, or a new
     * buffer holding only the records that do, or {@code null} when none does. A trailing record whose length runs
     * past the datagram is kept as it is: bctls discards it without failing. The position is not moved.
     */
    public static ByteBuffer acceptedRecords(ByteBuffer datagram) {
        if (allAccepted(datagram)) {
            return datagram;
        }
        ByteBuffer kept = ByteBuffer.allocate(datagram.remaining());
        int p = datagram.position();
        int end = datagram.limit();
        while (p < end) {
            int recordEnd = recordEnd(datagram, p, end);
            if (accepted(datagram, p, end)) {
                kept.put(datagram.slice(p, recordEnd - p));
            }
            p = recordEnd;
        }
        kept.flip();
        return kept.hasRemaining() ? kept : null;
    }

    private static boolean allAccepted(ByteBuffer d) {
        int p = d.position();
        int end = d.limit();
        while (p < end) {
            if (!accepted(d, p, end)) {
                return false;
            }
            p = recordEnd(d, p, end);
        }
        return true;
    }

    /** A header too short to hold a version is left to bctls, which discards it. */
    private static boolean accepted(ByteBuffer d, int p, int end) {
        if (end - p < 3) {
            return true;
        }
        int major = d.get(p + 1) & 0xFF;
        int minor = d.get(p + 2) & 0xFF;
        return major == 0xFE && (minor == 0xFF || minor == 0xFD);
    }

    private static int recordEnd(ByteBuffer d, int p, int end) {
        if (end - p < HandoffTransport.RECORD_HEADER_LENGTH) {
            return end;
        }
        int len = ((d.get(p + 11) & 0xFF) << 8) | (d.get(p + 12) & 0xFF);
        return (int) Math.min(end, (long) p + HandoffTransport.RECORD_HEADER_LENGTH + len);
    }
}
