package io.jrtc.sctp.internal;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SackChunk.GapAckBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver's record of which TSNs arrived (RFC 9260 §6.2): the cumulative TSN, the out-of-order ranges above
 * it (for Gap Ack Blocks), duplicates since the last SACK, and when the next SACK is due: at once for duplicates,
 * gaps, the I bit or during shutdown, otherwise after every second packet with DATA or when the delayed-ack
 * timer runs out.
 *
 * <p>TSNs are unwrapped to 64 bits ({@link Seq}). Ranges are kept as sorted arrays of disjoint, non-adjacent
 * intervals strictly above {@code cum + 1}. Single-threaded.
 */
public final class DataTracker {

    // Shared timer specs: each timer holds only its own state (idle heap).
    private static final Timer.Spec DELAYED_SACK = Timer.Spec.fixed("delayed-SACK");

    /** How far ahead of the cumulative TSN a DATA chunk may be before it is taken as garbage. */
    public static final long MAX_TSN_AHEAD = 1 << 20;
    /** At most this many duplicate TSNs are reported in one SACK. */
    static final int MAX_DUPLICATES = 32;

    private long cum;
    /** Shared by every tracker with no gap (never written: length 0); the ranges grow from it on the first gap. */
    private static final long[] NO_RANGES = new long[0];

    private long[] starts = NO_RANGES;
    private long[] ends = NO_RANGES;
    private int ranges;
    private long[] dups;
    private int dupCount;

    private int dataPacketsSinceSack;
    private long quickAckBudget;
    private long lastDataAt = Long.MIN_VALUE;
    private boolean sackNow;
    private boolean sackOwed;
    /** The delayed-SACK timer (RFC 9260 §6.2): at most {@code sackDelay} after the first unacknowledged DATA packet. */
    private final Timer delayedAck = new Timer(DELAYED_SACK);

    public DataTracker(long peerInitialTsn) {
        this.cum = peerInitialTsn - 1;
    }

    /** The cumulative TSN ack point, unwrapped. */
    public long cumulativeTsn() {
        return cum;
    }

    /** Unwraps a wire TSN near the cumulative point. */
    public long unwrap(long wireTsn) {
        return Seq.unwrap32(cum, wireTsn);
    }

    /** The highest TSN received so far. */
    public long highestReceived() {
        return ranges == 0 ? cum : ends[ranges - 1];
    }

    /** Whether {@code tsn} (unwrapped) was already received. */
    public boolean isDuplicate(long tsn) {
        if (tsn <= cum) {
            return true;
        }
        int i = find(tsn);
        return i >= 0;
    }

    /** Whether {@code tsn} is too far from the cumulative TSN to be plausible. */
    public boolean isImplausible(long tsn) {
        return tsn - cum > MAX_TSN_AHEAD || cum - tsn > MAX_TSN_AHEAD;
    }

    /** Index of the range holding {@code tsn}, or {@code -(insertion point) - 1}. */
    private int find(long tsn) {
        int lo = 0;
        int hi = ranges - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < tsn) {
                lo = mid + 1;
            } else if (starts[mid] > tsn) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Records a new (non-duplicate) TSN. */
    public void add(long tsn) {
        if (tsn == cum + 1) {
            cum = tsn;
            if (ranges > 0 && starts[0] == cum + 1) {
                cum = ends[0];
                removeRange(0);
            }
            return;
        }
        int ip = -find(tsn) - 1;
        boolean joinsPrev = ip > 0 && ends[ip - 1] == tsn - 1;
        boolean joinsNext = ip < ranges && starts[ip] == tsn + 1;
        if (joinsPrev && joinsNext) {
            ends[ip - 1] = ends[ip];
            removeRange(ip);
        } else if (joinsPrev) {
            ends[ip - 1] = tsn;
        } else if (joinsNext) {
            starts[ip] = tsn;
        } else {
            insertRange(ip, tsn);
        }
    }

    private void insertRange(int at, long tsn) {
        if (ranges == starts.length) {
            int cap = Math.max(4, ranges * 2);
            starts = java.util.Arrays.copyOf(starts, cap);
            ends = java.util.Arrays.copyOf(ends, cap);
        }
        System.arraycopy(starts, at, starts, at + 1, ranges - at);
        System.arraycopy(ends, at, ends, at + 1, ranges - at);
        starts[at] = tsn;
        ends[at] = tsn;
        ranges++;
    }

    private void removeRange(int at) {
        System.arraycopy(starts, at + 1, starts, at, ranges - at - 1);
        System.arraycopy(ends, at + 1, ends, at, ranges - at - 1);
        ranges--;
        if (ranges == 0 && starts.length > 64) {
            starts = NO_RANGES;
            ends = NO_RANGES;
        }
    }

    /** Whether there are holes above the cumulative TSN. */
    public boolean hasGaps() {
        return ranges > 0;
    }

    /** Records a duplicate for the next SACK; duplicates always make the SACK immediate. */
    public void addDuplicate(long wireTsn) {
        if (dups == null) {
            dups = new long[MAX_DUPLICATES];
        }
        if (dupCount < MAX_DUPLICATES) {
            dups[dupCount++] = wireTsn;
        }
        sackNow = true;
    }

    /**
     * Moves the cumulative TSN to {@code newCum} (FORWARD TSN, RFC 3758 §3.6), dropping ranges below it.
     * Returns false when {@code newCum} is not ahead.
     */
    public boolean forwardTo(long newCum) {
        if (newCum <= cum) {
            return false;
        }
        cum = newCum;
        while (ranges > 0 && starts[0] <= cum + 1) {
            cum = Math.max(cum, ends[0]);
            removeRange(0);
        }
        sackNow = true;
        return true;
    }

    /**
     * Decides, after a packet carrying DATA, whether the SACK goes at once or waits for the delayed-ack timer
     * (RFC 9260 §6.2: at least every second packet, within {@code maxDelay}).
     *
     * <p>Quick acknowledgement: for the first {@code quickAckPackets} packets after the association starts or after
     * {@code idleReset} without DATA, every packet is acknowledged (RFC 9260 allows one SACK per packet). A sender in
     * slow start grows cwnd by at most one MTU per SACK (§7.2.1), so this keeps its ramp at a doubling per round
     * trip instead of 1.5x; the same idea as Linux TCP's quick-ack mode.
     */
    public void afterDataPacket(long now, boolean immediate, boolean hadGaps, long maxDelay, int sackFrequency,
            long quickAckPackets, long idleReset) {
        sackOwed = true;
        dataPacketsSinceSack++;
        if (lastDataAt == Long.MIN_VALUE || now - lastDataAt > idleReset) {
            quickAckBudget = quickAckPackets;
        }
        lastDataAt = now;
        boolean quick = quickAckBudget > 0;
        if (quick) {
            quickAckBudget--;
        }
        if (quick || immediate || hadGaps || ranges > 0 || dataPacketsSinceSack >= sackFrequency) {
            sackNow = true;
        } else if (!delayedAck.isRunning()) {
            delayedAck.start(now, maxDelay);
        }
    }

    /** Asks for a SACK in the next packet (e.g. window update, FORWARD TSN, shutdown). */
    public void requestImmediateSack() {
        sackNow = true;
    }

    /** Whether a SACK should go out now. */
    public boolean sackDue(long now) {
        return sackNow || (sackOwed && delayedAck.expired(now));
    }

    public long delayedAckDeadline() {
        return sackNow ? DatagramCore.NO_TIMEOUT : delayedAck.deadline();
    }

    /** The delayed-ack timer fired. */
    public void onDelayedAckTimeout(long now) {
        if (delayedAck.expired(now) && sackOwed) {
            sackNow = true;
        }
        delayedAck.stop();
    }

    /**
     * Builds a SACK that fits in {@code maxBytes} (chunk header included) and resets the delayed-ack state.
     * Gap blocks whose offsets exceed 16 bits, or that do not fit, are left out.
     */
    public SackChunk buildSack(long arwnd, int maxBytes) {
        int room = (maxBytes - SackChunk.FIXED_LENGTH) / 4;
        int nDups = Math.min(dupCount, Math.max(0, room / 2));
        int nGaps = Math.min(ranges, room - nDups);
        List<GapAckBlock> gaps = List.of();
        if (nGaps > 0) {
            gaps = new ArrayList<>(nGaps);
            for (int i = 0; i < nGaps; i++) {
                long s = starts[i] - cum;
                long e = ends[i] - cum;
                if (e > 0xFFFF) {
                    if (s <= 0xFFFF) {
                        gaps.add(new GapAckBlock((int) s, 0xFFFF));
                    }
                    break;
                }
                gaps.add(new GapAckBlock((int) s, (int) e));
            }
        }
        List<Long> duplicates = List.of();
        if (nDups > 0) {
            duplicates = new ArrayList<>(nDups);
            for (int i = 0; i < nDups; i++) {
                duplicates.add(dups[i]);
            }
        }
        dupCount = 0;
        sackNow = false;
        sackOwed = false;
        dataPacketsSinceSack = 0;
        delayedAck.stop();
        return new SackChunk(Seq.wire32(cum), Math.min(arwnd, 0xFFFF_FFFFL), gaps, duplicates);
    }
}
