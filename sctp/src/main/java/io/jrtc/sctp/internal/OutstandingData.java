package io.jrtc.sctp.internal;

import io.jrtc.sctp.Ssn;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.SackChunk.GapAckBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Every DATA chunk from its TSN assignment until the peer's cumulative ack passes it (dcsctp's
 * {@code OutstandingData}): the per-chunk state (in flight, to be retransmitted, gap-acked, abandoned), the flight
 * size, what a SACK acknowledges and which chunks it reports missing (HTNA miss indications, RFC 9260 §7.2.4, with
 * the lost-retransmission rule described in {@link RetransmissionQueue}), reneging (§6.2.1), T3-rtx marking (§6.3.3),
 * and partial reliability: abandonment and Advanced.Peer.Ack.Point with its FORWARD TSN (RFC 3758 §3.5). Congestion
 * control, pacing and the T3-rtx timer are {@link RetransmissionQueue}'s.
 *
 * <p>Chunks live in a ring indexed by TSN, from the cumulative ack point to the next TSN; TSNs are unwrapped to 64
 * bits ({@link Seq}) and kept primitive: this runs once per chunk. Single-threaded.
 */
public final class OutstandingData {

    private final Counters counters;
    private final RetransmissionQueue.Listener listener;
    private final boolean peerSupportsPr;
    /** Told when abandonment moves Advanced.Peer.Ack.Point, so that T3-rtx guards the FORWARD TSN now due. */
    private final RetransmissionQueue owner;

    private TxChunk[] ring;
    private int head;
    private int count;

    private long nextTsn;
    private long cumAck;
    private long flight;
    private long outstandingPayload;
    private int toRetransmit;
    private long rtxCursor;
    private long rttProbeTsn = -1;

    private long advancedPeerAckPoint;
    private boolean forwardTsnDue;

    // What the last SACK did (valid after handleSack); read by congestion control.
    long ackedBytes;
    long highestNewlyAcked;
    long rttSample;
    long newestFreshSentAt;
    boolean cumAdvanced;

    OutstandingData(long initialTsn, boolean peerSupportsPr, Counters counters, RetransmissionQueue.Listener listener,
            RetransmissionQueue owner) {
        this.counters = counters;
        this.listener = listener;
        this.peerSupportsPr = peerSupportsPr;
        this.owner = owner;
        this.nextTsn = initialTsn;
        this.cumAck = initialTsn - 1;
        this.advancedPeerAckPoint = cumAck;
        this.rtxCursor = initialTsn;
    }

    // ------------------------------------------------------------------ ring

    private TxChunk get(long tsn) {
        return ring[(int) ((head + (tsn - cumAck - 1)) & (ring.length - 1))];
    }

    private void append(TxChunk c) {
        if (ring == null) {
            ring = new TxChunk[16];
        } else if (count == ring.length) {
            TxChunk[] bigger = new TxChunk[ring.length * 2];
            for (int i = 0; i < count; i++) {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + count) & (ring.length - 1)] = c;
        count++;
    }

    private void popHead() {
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        count--;
        if (count == 0 && ring.length > 64) {
            ring = null;
            head = 0;
        }
    }

    // ------------------------------------------------------------------ views

    long nextTsn() {
        return nextTsn;
    }

    long cumAck() {
        return cumAck;
    }

    /** Bytes in flight: chunk sizes with headers and padding, the unit of cwnd. */
    long flight() {
        return flight;
    }

    /** User data bytes sent and not acknowledged (cumulatively or by a gap block): what the peer's window holds. */
    long outstandingPayload() {
        return outstandingPayload;
    }

    int toRetransmit() {
        return toRetransmit;
    }

    /** Whether any TSN is not yet cumulatively acknowledged. */
    boolean hasOutstanding() {
        return count > 0;
    }

    boolean forwardTsnDue() {
        return forwardTsnDue && advancedPeerAckPoint > cumAck;
    }

    // ------------------------------------------------------------------ sending

    /** Takes a freshly cut chunk, sent at {@code now}, under the next TSN. */
    void insertNew(TxChunk c, long now) {
        nextTsn++;
        append(c);
        c.state = TxChunk.IN_FLIGHT;
        c.transmissions = 1;
        c.sentAt = now;
        flight += c.size;
        outstandingPayload += c.length;
        if (rttProbeTsn < 0) {
            rttProbeTsn = c.tsn;
        }
    }

    /**
     * The lowest-TSN chunk marked for retransmission that fits in {@code room} bytes, or null. Chunks of messages
     * whose partial-reliability limits ran out are abandoned on the way.
     */
    TxChunk nextRetransmission(long now, int room) {
        if (toRetransmit == 0) {
            return null;
        }
        for (long t = Math.max(rtxCursor, cumAck + 1); t < nextTsn; t++) {
            TxChunk c = get(t);
            if (c.state != TxChunk.TO_RETRANSMIT) {
                continue;
            }
            rtxCursor = t;
            if (shouldAbandon(c, now)) {
                abandon(c.msg, now);
                if (toRetransmit == 0) {
                    return null;
                }
                continue;
            }
            if (c.size > room) {
                return null;
            }
            return c;
        }
        rtxCursor = nextTsn;
        return null;
    }

    /** Records that {@code c}, from {@link #nextRetransmission}, was sent again at {@code now}. */
    void retransmitted(TxChunk c, long now) {
        c.state = TxChunk.IN_FLIGHT;
        c.transmissions++;
        c.sentAt = now;
        c.missIndications = 0;
        toRetransmit--;
        flight += c.size;
        counters.retransmittedChunks++;
        if (c.tsn == rttProbeTsn) {
            rttProbeTsn = -1;
        }
    }

    private boolean shouldAbandon(TxChunk c, long now) {
        OutMessage m = c.msg;
        if (!peerSupportsPr || !m.isPartiallyReliable()) {
            return false;
        }
        return (m.maxRetransmits >= 0 && c.transmissions - 1 >= m.maxRetransmits) || now >= m.expiresAt;
    }

    // ------------------------------------------------------------------ SACK

    /**
     * Applies a SACK whose cumulative ack {@code cum} (unwrapped, within {@code [cumAck, nextTsn)}) was checked by the
     * caller: cumulative and gap acks, reneging, miss indications and fast-retransmit marking. {@code fastRecovery}: the
     * sender is in fast recovery (then any TSN below the highest gap-acked one misses once the cumulative ack moved).
     * Leaves what was acknowledged in {@link #ackedBytes} and its neighbours; returns whether anything was newly marked
     * for fast retransmission.
     */
    boolean handleSack(long now, long cum, List<GapAckBlock> gapBlocks, boolean fastRecovery) {
        List<GapAckBlock> gaps = sortedGaps(gapBlocks);
        long bytesAcked = 0;
        long highestNewlyAcked = -1;
        long rttSample = -1;
        boolean cumAdvanced = cum > cumAck;
        long newestAckedSentAt = Long.MIN_VALUE;
        long newestFreshSentAt = Long.MIN_VALUE;

        while (cumAck < cum) {
            TxChunk c = ring[head];
            switch (c.state) {
                case TxChunk.IN_FLIGHT -> {
                    flight -= c.size;
                    outstandingPayload -= c.length;
                    bytesAcked += c.size;
                    highestNewlyAcked = c.tsn;
                    newestAckedSentAt = Math.max(newestAckedSentAt, c.sentAt);
                    if (c.transmissions == 1) {
                        newestFreshSentAt = Math.max(newestFreshSentAt, c.sentAt);
                    }
                }
                case TxChunk.TO_RETRANSMIT -> {
                    toRetransmit--;
                    outstandingPayload -= c.length;
                    bytesAcked += c.size;
                    highestNewlyAcked = c.tsn;
                }
                default -> {
                }
            }
            if (c.tsn == rttProbeTsn) {
                if (c.transmissions == 1) {
                    rttSample = now - c.sentAt;
                }
                rttProbeTsn = -1;
            }
            popHead();
            cumAck++;
        }
        if (advancedPeerAckPoint < cumAck) {
            advancedPeerAckPoint = cumAck;
        }

        long highestGapEnd = cumAck;
        for (GapAckBlock g : gaps) {
            long s = cumAck + g.start();
            long e = Math.min(cumAck + g.end(), nextTsn - 1);
            for (long t = s; t <= e; t++) {
                TxChunk c = get(t);
                if (c.state == TxChunk.IN_FLIGHT || c.state == TxChunk.TO_RETRANSMIT) {
                    if (c.state == TxChunk.IN_FLIGHT) {
                        flight -= c.size;
                        newestAckedSentAt = Math.max(newestAckedSentAt, c.sentAt);
                        if (c.transmissions == 1) {
                            newestFreshSentAt = Math.max(newestFreshSentAt, c.sentAt);
                        }
                    } else {
                        toRetransmit--;
                    }
                    c.state = TxChunk.GAP_ACKED;
                    outstandingPayload -= c.length;
                    bytesAcked += c.size;
                    highestNewlyAcked = Math.max(highestNewlyAcked, t);
                    if (t == rttProbeTsn) {
                        if (c.transmissions == 1) {
                            rttSample = now - c.sentAt;
                        }
                        rttProbeTsn = -1;
                    }
                }
            }
            highestGapEnd = Math.max(highestGapEnd, e);
        }
        this.ackedBytes = bytesAcked;
        this.highestNewlyAcked = highestNewlyAcked;
        this.rttSample = rttSample;
        this.newestFreshSentAt = newestFreshSentAt;
        this.cumAdvanced = cumAdvanced;

        // Miss indications (HTNA, RFC 9260 §7.2.4) and reneging, over the TSNs the SACK leaves uncovered.
        long missLimit = (fastRecovery && cumAdvanced) ? highestGapEnd + 1 : highestNewlyAcked;
        long scanEnd = Math.max(highestGapEnd, missLimit - 1);
        boolean fastMarked = false;
        if (scanEnd > cumAck) {
            int gi = 0;
            List<OutMessage> toAbandon = null;
            for (long t = cumAck + 1; t <= scanEnd && t < nextTsn; t++) {
                while (gi < gaps.size() && cumAck + gaps.get(gi).end() < t) {
                    gi++;
                }
                boolean covered = gi < gaps.size() && t >= cumAck + gaps.get(gi).start();
                if (covered) {
                    continue;
                }
                TxChunk c = get(t);
                if (c.state == TxChunk.GAP_ACKED) {
                    // The receiver reneged (RFC 9260 §6.2.1): treat the chunk as outstanding again.
                    c.state = TxChunk.IN_FLIGHT;
                    flight += c.size;
                    outstandingPayload += c.length;
                    c.missIndications++;
                } else if (c.state == TxChunk.IN_FLIGHT && t < missLimit) {
                    if (c.transmissions > 1 && c.sentAt >= newestAckedSentAt) {
                        // Lost-retransmission detection: a retransmitted chunk only misses when something sent after
                        // its retransmission is acknowledged; TSN order says nothing about it.
                        continue;
                    }
                    c.missIndications++;
                    if (c.missIndications >= 3) {
                        if (shouldAbandon(c, now)) {
                            if (toAbandon == null) {
                                toAbandon = new ArrayList<>(2);
                            }
                            if (!toAbandon.contains(c.msg)) {
                                toAbandon.add(c.msg);
                            }
                        } else {
                            c.state = TxChunk.TO_RETRANSMIT;
                            flight -= c.size;
                            toRetransmit++;
                            rtxCursor = Math.min(rtxCursor, t);
                            fastMarked = true;
                            counters.fastRetransmits++;
                            if (t == rttProbeTsn) {
                                rttProbeTsn = -1;
                            }
                        }
                    }
                }
            }
            if (toAbandon != null) {
                for (OutMessage m : toAbandon) {
                    abandon(m, now);
                }
            }
        }
        return fastMarked;
    }

    private static List<GapAckBlock> sortedGaps(List<GapAckBlock> gaps) {
        for (int i = 1; i < gaps.size(); i++) {
            if (gaps.get(i).start() <= gaps.get(i - 1).end()) {
                List<GapAckBlock> sorted = new ArrayList<>(gaps);
                sorted.sort(Comparator.comparingInt(GapAckBlock::start));
                return sorted;
            }
        }
        return gaps;
    }

    // ------------------------------------------------------------------ T3-rtx

    /** T3-rtx expired (RFC 9260 §6.3.3): everything in flight is marked for retransmission (or abandoned). */
    void markAllLost(long now) {
        rttProbeTsn = -1;
        List<OutMessage> toAbandon = null;
        for (long t = cumAck + 1; t < nextTsn; t++) {
            TxChunk c = get(t);
            if (c.state == TxChunk.IN_FLIGHT) {
                flight -= c.size;
                c.state = TxChunk.TO_RETRANSMIT;
                toRetransmit++;
                if (shouldAbandon(c, now)) {
                    if (toAbandon == null) {
                        toAbandon = new ArrayList<>(4);
                    }
                    if (!toAbandon.contains(c.msg)) {
                        toAbandon.add(c.msg);
                    }
                }
            }
        }
        rtxCursor = cumAck + 1;
        if (toAbandon != null) {
            for (OutMessage m : toAbandon) {
                abandon(m, now);
            }
        }
    }

    // ------------------------------------------------------------------ partial reliability

    /**
     * Abandons every sent fragment of {@code m} (RFC 3758 §3.5 A4); unsent fragments are dropped by the send queue.
     * If {@code m} was only partly sent, an abandoned placeholder for its last fragment takes the next TSN (as
     * dcsctp does): the receiver may already hold every fragment that was sent, and the placeholder makes sure a
     * FORWARD TSN still tells it to skip the message's SSN.
     */
    void abandon(OutMessage m, long now) {
        if (m.abandoned && m.firstTsn < 0) {
            return;
        }
        boolean first = !m.abandoned;
        m.abandoned = true;
        if (first && m.firstTsn >= 0 && m.offset < m.size()) {
            int flags = DataChunk.FLAG_END | (m.unordered ? DataChunk.FLAG_UNORDERED : 0);
            TxChunk placeholder = new TxChunk(nextTsn, m, m.offset, 0, flags, m.unordered ? 0 : m.ssn);
            nextTsn++;
            append(placeholder);
            placeholder.state = TxChunk.ABANDONED;
            m.lastTsn = placeholder.tsn;
        }
        if (m.firstTsn >= 0) {
            for (long t = Math.max(m.firstTsn, cumAck + 1); t <= m.lastTsn; t++) {
                TxChunk c = get(t);
                switch (c.state) {
                    case TxChunk.IN_FLIGHT -> {
                        flight -= c.size;
                        outstandingPayload -= c.length;
                    }
                    case TxChunk.TO_RETRANSMIT -> {
                        toRetransmit--;
                        outstandingPayload -= c.length;
                    }
                    default -> {
                    }
                }
                c.state = TxChunk.ABANDONED;
            }
        }
        if (first) {
            counters.abandonedMessages++;
            listener.abandoned(m);
        }
        advanceAckPoint();
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnDue = true;
            owner.startT3IfStopped(now);
        }
    }

    /** After a SACK or a T3 expiry: a FORWARD TSN is due when Advanced.Peer.Ack.Point moved past the cumulative ack. */
    void updateAckPoint() {
        advanceAckPoint();
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnDue = true;
        }
    }

    /** With nothing lost in flight: whether an unacknowledged FORWARD TSN is to be sent again (RFC 3758 §3.5 C5). */
    void refreshForwardTsn() {
        advanceAckPoint();
        forwardTsnDue = advancedPeerAckPoint > cumAck;
    }

    /**
     * RFC 3758 §3.5 C1-C2: moves Advanced.Peer.Ack.Point over abandoned chunks. It also moves over whole messages
     * that the peer already holds (every fragment gap-acked), but only up to a point beyond which something was
     * abandoned: one FORWARD TSN then clears a run of holes instead of one hole per round trip. It never stops
     * inside a message the peer still needs, since the peer drops partial messages below the new cumulative TSN.
     */
    private void advanceAckPoint() {
        if (advancedPeerAckPoint < cumAck) {
            advancedPeerAckPoint = cumAck;
        }
        long point = advancedPeerAckPoint;
        long confirmed = point;
        while (point + 1 < nextTsn) {
            TxChunk c = get(point + 1);
            if (c.state == TxChunk.ABANDONED) {
                point++;
                confirmed = point;
                continue;
            }
            if (c.state != TxChunk.GAP_ACKED || (c.flags & DataChunk.FLAG_BEGINNING) == 0) {
                break;
            }
            // a whole message, all fragments gap-acked?
            long t = point + 1;
            boolean whole = false;
            while (t < nextTsn) {
                TxChunk f = get(t);
                if (f.state != TxChunk.GAP_ACKED || f.msg != c.msg) {
                    break;
                }
                if ((f.flags & DataChunk.FLAG_END) != 0) {
                    whole = true;
                    break;
                }
                t++;
            }
            if (!whole) {
                break;
            }
            point = t;
        }
        advancedPeerAckPoint = confirmed;
    }

    /** Builds the FORWARD TSN for the current Advanced.Peer.Ack.Point (RFC 3758 §3.5 C2-C4). */
    ForwardTsnChunk makeForwardTsn() {
        forwardTsnDue = false;
        int n = 0;
        int[] sids = new int[4];
        int[] ssns = new int[4];
        for (long t = cumAck + 1; t <= advancedPeerAckPoint; t++) {
            TxChunk c = get(t);
            if (!c.ordered() || c.state != TxChunk.ABANDONED) {
                // Only abandoned SSNs are named: receivers such as dcsctp drop every message up to a named SSN,
                // and complete messages skipped over here must still be delivered.
                continue;
            }
            int i = 0;
            while (i < n && sids[i] != c.msg.streamId) {
                i++;
            }
            if (i == n) {
                if (n == sids.length) {
                    sids = Arrays.copyOf(sids, n * 2);
                    ssns = Arrays.copyOf(ssns, n * 2);
                }
                sids[n] = c.msg.streamId;
                ssns[n] = c.ssn;
                n++;
            } else if (Ssn.isAtOrBefore(ssns[i], c.ssn)) {
                ssns[i] = c.ssn;
            }
        }
        List<ForwardTsnChunk.SkippedStream> skipped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            skipped.add(new ForwardTsnChunk.SkippedStream(sids[i], ssns[i]));
        }
        return new ForwardTsnChunk(Seq.wire32(advancedPeerAckPoint), skipped);
    }
}
