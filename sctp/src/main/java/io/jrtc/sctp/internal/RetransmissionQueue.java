package io.jrtc.sctp.internal;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import io.jrtc.sctp.packet.ForwardTsnChunk;
import io.jrtc.sctp.packet.SackChunk.GapAckBlock;
import java.util.List;

/**
 * The sender side of the data path: every DATA chunk from its TSN assignment until the peer's cumulative ack
 * passes it.
 *
 * <p>Deviation from RFC 9260 §7.2.4, which fast-retransmits a chunk at most once: a retransmission that is lost
 * again is detected the way TCP's RACK does it, by time rather than TSN order (three SACKs that newly acknowledge
 * chunks sent after the retransmission), and is fast-retransmitted again instead of waiting for T3-rtx. Without it a
 * single lost retransmission stalls a large window behind one hole until the timer fires and cwnd collapses to one
 * MTU. The cwnd is still reduced at most once per fast-recovery episode. Implements SACK processing (RFC 9260 §6.2.1), the T3-rtx timer (§6.3), congestion control with
 * slow start, congestion avoidance, fast retransmit and fast recovery (§7.2), cwnd validation after idle
 * (§7.2.1), Max.Burst (§6.1), peer receive window accounting (§6.1 A), and partial reliability with
 * Advanced.Peer.Ack.Point and FORWARD TSN (RFC 3758 §3.5). Three more deviations, all documented in the module README:
 * the paced jump start on the initial slow start ({@code jumpStartOnSack}), pacing, in slow start, of the window room
 * that Max.Burst holds back ({@code pacedNow}), and burst pacing in congestion avoidance ({@code burstPaced}); pacing deadlines
 * reach the owner through {@link #pacingDeadline(long, boolean)}.
 *
 * <p>Split as dcsctp's {@code tx/}: this class is the retransmission queue proper (congestion control, pacing, the
 * peer's window, the T3-rtx timer, what may be sent next); the chunks themselves, their acknowledgement, miss
 * indications, abandonment and the FORWARD TSN point are {@link OutstandingData}'s. Flight size and cwnd count chunk
 * sizes with headers and padding. Single-threaded.
 */
public final class RetransmissionQueue {

    // Shared timer specs: each timer holds only its own state (idle heap).
    private static final Timer.Spec T3_RTX = Timer.Spec.fixed("T3-rtx");

    /** Reports abandonment to the association (stats and events). */
    public interface Listener {
        void abandoned(OutMessage m);
    }

    /** The result of a SACK. */
    public enum SackResult { STALE, INVALID, NO_NEW_DATA_ACKED, NEW_DATA_ACKED }

    private final int mtu;
    private final int maxBurst;
    private final int abcL;
    private final RtoEstimator rto;
    private final Counters counters;

    /** The chunks themselves: flight size, acks, misses, abandonment, the FORWARD TSN point. */
    private final OutstandingData data;
    private long peerArwnd;

    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private long fastRecoveryExit;
    private int fastRtxAllowance;
    private long burstCap = Long.MAX_VALUE;
    private long lastDataSentAt = Long.MIN_VALUE;

    private final boolean peerSupportsPr;

    /** T3-rtx (RFC 9260 §6.3.2): runs while anything is outstanding; its backoff lives in the shared RTO. */
    private final Timer t3 = new Timer(T3_RTX);

    // HyStart++ (RFC 9406) for the initial slow start
    static final long MIN_RTT_THRESH = 4_000_000L;
    static final long MAX_RTT_THRESH = 16_000_000L;
    static final int MIN_RTT_DIVISOR = 8;
    static final int N_RTT_SAMPLE = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;
    private final boolean hystart;
    private boolean initialSlowStart = true;
    private boolean css;
    private int cssRounds;
    private long cssBaselineMinRtt = Long.MAX_VALUE;
    private long roundEnd = -1;
    private long lastRoundMinRtt = Long.MAX_VALUE;
    private long currentRoundMinRtt = Long.MAX_VALUE;
    private int rttSampleCount;

    // Paced jump start (see jumpStartOnSack and the module README) and slow-start pacing (see pacedNow)
    static final int JS_MEASURING = 0;
    static final int JS_PACING = 1;
    static final int JS_DONE = 2;
    /** The fewest SACKs of the first flight that make a rate sample (two intervals). */
    static final int JS_MIN_ACKS = 3;
    /** Pacing credit: after a late wake-up, at most this much time's worth of packets goes out at once. */
    static final long PACING_SLACK_NANOS = 1_000_000L;
    private int jsPhase;
    private long jsTrainEnd = -1;
    private int jsAcks;
    private long jsFirstAckAt;
    private long jsLastAckAt;
    private long jsBytesAfterFirst;
    private long jsMinRtt = Long.MAX_VALUE;
    private boolean jsProbe;
    private long jsPacedFrom = -1;
    private long jsRateBytesPerSecond;
    private long jsJumpCwnd;
    private double jsPacingRate;
    private long pacingNext;
    private boolean pacingPacketOpen;

    // Burst pacing in congestion avoidance (see burstPaced): a token bucket in GCRA form over whole packets carrying DATA
    /**
     * Burst pacing rate over cwnd / SRTT: twice the ack clock's rate, so it trims bursts rather than setting the pace
     * of a steady flow. 1.25 (Linux TCP's congestion-avoidance ratio) measured worse in the emulator: warm goodput at
     * 50 ms fell from 94.8 to 93.2 Mbit/s, at 100 ms from 92.0 to 89.8.
     */
    static final double BURST_PACING_GAIN = 2.0;
    private final boolean pacing;
    /** The theoretical departure time of the next DATA packet at the pacing rate (GCRA). */
    private long burstTat = Long.MIN_VALUE / 2;
    private boolean burstPacketOpen;

    public RetransmissionQueue(int mtu, int maxBurst, int abcL, long initialCwnd, long initialTsn, long peerArwnd,
            boolean peerSupportsPr, boolean hystart, boolean jumpStart, boolean pacing, RtoEstimator rto, Counters counters,
            Listener listener) {
        this.pacing = pacing;
        this.jsPhase = jumpStart ? JS_MEASURING : JS_DONE;
        this.hystart = hystart;
        this.mtu = mtu;
        this.maxBurst = maxBurst;
        this.abcL = abcL;
        this.rto = rto;
        this.counters = counters;
        this.data = new OutstandingData(initialTsn, peerSupportsPr, counters, listener, this);
        this.peerArwnd = peerArwnd;
        this.cwnd = initialCwnd;
        // RFC 9260 §7.2.1: the initial ssthresh MAY be arbitrarily high; the peer's a_rwnd is the usual choice.
        this.ssthresh = Math.max(peerArwnd, 4L * mtu);
        this.peerSupportsPr = peerSupportsPr;
    }

    // ------------------------------------------------------------------ sending

    /** The TSN the next new chunk gets. */
    public long nextTsn() {
        return data.nextTsn();
    }

    /** The last TSN handed out (for RE-CONFIG's Sender's Last Assigned TSN). */
    public long lastAssignedTsn() {
        return data.nextTsn() - 1;
    }

    /** Applies RFC 9260 §7.2.1 cwnd decay after an idle period, before new data goes out. */
    public void beforeSending(long now) {
        if (data.flight() == 0 && !data.hasOutstanding() && lastDataSentAt != Long.MIN_VALUE) {
            long idle = now - lastDataSentAt;
            long r = rto.rto();
            if (idle > r) {
                long periods = Math.min(idle / r, 32);
                long floor = 4L * mtu;
                for (long i = 0; i < periods && cwnd > floor; i++) {
                    cwnd = Math.max(cwnd / 2, floor);
                }
                lastDataSentAt = now;
            }
        }
    }

    /**
     * How many bytes of user data a new chunk may carry now, or 0 when congestion control, Max.Burst, pending
     * retransmissions or the peer's window say wait. With nothing in flight one chunk always goes (RFC 9260
     * §6.1 A: zero-window probing).
     */
    public int newDataAllowance(long now, int maxPayload) {
        long flight = data.flight();
        if (data.toRetransmit() > 0) {
            return 0;
        }
        if (flight >= cwnd) {
            return 0;
        }
        if (jsPhase != JS_PACING && flight >= burstCap && (rto.srtt() <= 0 || cwnd > ssthresh)) {
            return 0; // Max.Burst as RFC 9260 §6.1 has it: in congestion avoidance, or before an RTT is known
        }
        if (pacedNow() && !pacingPacketOpen && now < pacingNext) {
            return 0;
        }
        if (burstPaced() && !burstPacketOpen && now < burstTat - burstTolerance()) {
            return 0;
        }
        if (flight == 0) {
            return maxPayload;
        }
        long rwnd = peerRwnd();
        return (int) Math.min(maxPayload, rwnd);
    }

    /** Marks the start of a new packet: pacing admits whole packets, not single chunks. */
    public void startPacket() {
        pacingPacketOpen = false;
        burstPacketOpen = false;
    }

    /**
     * Whether burst pacing applies: in congestion avoidance, on top of Max.Burst. DATA packets leave at most Max.Burst
     * back to back and on average no faster than {@link #BURST_PACING_GAIN} x cwnd / SRTT. The ack clock sends at about
     * cwnd / SRTT, so this only holds back what SACKs bunched by the path or by a busy receiver, an opening receive
     * window or a late wake-up would otherwise release at once (Max.Burst per SACK, so several bunched SACKs made
     * bursts of 4 x their number): a shallow queue in front of the receiver (a browser's UDP socket buffer) then sees
     * small bursts. Slow start keeps Max.Burst and its own pacing of the room Max.Burst holds back ({@link #pacedNow}):
     * burst pacing there, even at 4 x cwnd / SRTT, slowed the ramp in the emulator (cold 10 MB at 100 ms with the jump
     * start off: 51% of the link fell to 40%). Retransmissions are never held back, but count against the budget.
     */
    private boolean burstPaced() {
        return pacing && cwnd > ssthresh && rto.srtt() > 0 && jsPhase != JS_PACING;
    }

    /** Nanoseconds between DATA packets at the burst pacing rate. */
    private long burstInterval() {
        return (long) Math.ceil(mtu * (double) rto.srtt() / (BURST_PACING_GAIN * cwnd));
    }

    /** How far ahead of the pacing rate a packet may leave: Max.Burst packets back to back. */
    private long burstTolerance() {
        return (maxBurst - 1) * burstInterval();
    }

    /** Counts a DATA packet (new or retransmitted) against the burst pacing budget. */
    private void burstPacketSent(long now) {
        if (burstPacketOpen || !burstPaced()) {
            return;
        }
        burstPacketOpen = true;
        burstTat = Math.max(burstTat, now) + burstInterval();
    }

    /**
     * When the next paced packet may leave, if pacing is what holds new data back now; otherwise
     * {@link DatagramCore#NO_TIMEOUT}. {@code dataWaiting}: whether the send queue has anything.
     */
    public long pacingDeadline(long now, boolean dataWaiting) {
        long flight = data.flight();
        if (!dataWaiting || data.toRetransmit() > 0 || flight >= cwnd) {
            return DatagramCore.NO_TIMEOUT;
        }
        long at = now;
        if (pacedNow()) {
            at = Math.max(at, pacingNext);
        }
        if (burstPaced() && (flight < burstCap || cwnd <= ssthresh)) {
            at = Math.max(at, burstTat - burstTolerance());
        }
        return at <= now ? DatagramCore.NO_TIMEOUT : at;
    }

    /**
     * Whether new data is paced right now: during the jump start's paced round, and in slow start once the Max.Burst
     * packets that a SACK may release at once are out but cwnd still has room (a SACK that acknowledges many packets at
     * once, from a receiver or a network that bunches them). RFC 9260 §6.1's Max.Burst drops that room until the next
     * SACK, which under ACK compression keeps cwnd from ever being fully used and so, in slow start, from growing; here
     * the rest is paced out at 2 x cwnd / SRTT (Linux TCP's slow-start pacing rate). In congestion avoidance Max.Burst
     * stays as the RFC has it: pacing there measured worse (earlier queue overflows, see the module README).
     */
    private boolean pacedNow() {
        return jsPhase == JS_PACING || (data.flight() >= burstCap && cwnd <= ssthresh && rto.srtt() > 0);
    }

    /** The pacing rate in bytes per nanosecond, while {@link #pacedNow()}. */
    private double pacingRate() {
        return jsPhase == JS_PACING ? jsPacingRate : 2.0 * cwnd / rto.srtt();
    }

    /** Records a freshly cut chunk as sent at {@code now}. */
    public void sentNew(TxChunk c, long now) {
        if (jsPhase == JS_MEASURING && jsAcks == 0) { // the first flight: everything sent before its first SACK
            jsTrainEnd = c.tsn;
        } else if (!pacingPacketOpen && pacedNow()) {
            pacingPacketOpen = true;
            pacingNext = Math.max(pacingNext, now - PACING_SLACK_NANOS) + (long) Math.ceil(mtu / pacingRate());
        }
        burstPacketSent(now);
        data.insertNew(c, now);
        lastDataSentAt = now;
        startT3IfStopped(now);
    }

    /**
     * The lowest-TSN chunk marked for retransmission that fits in {@code room} bytes and that cwnd allows, or
     * null. Chunks of messages whose partial-reliability limits ran out are abandoned instead.
     */
    public TxChunk nextRetransmission(long now, int room) {
        TxChunk c = data.nextRetransmission(now, room);
        if (c != null && data.flight() >= cwnd && fastRtxAllowance < c.size) {
            return null;
        }
        return c;
    }

    /** Records that {@code c}, returned by {@link #nextRetransmission}, was sent again at {@code now}. */
    public void retransmitted(TxChunk c, long now) {
        if (data.flight() >= cwnd) {
            fastRtxAllowance -= c.size;
        }
        burstPacketSent(now);
        data.retransmitted(c, now);
        lastDataSentAt = now;
        startT3IfStopped(now);
    }

    // ------------------------------------------------------------------ SACK

    /** Processes a SACK (RFC 9260 §6.2.1, §7.2). */
    public SackResult onSack(long now, long cumWire, long arwnd, List<GapAckBlock> gapBlocks) {
        long cum = Seq.unwrap32(data.cumAck(), cumWire);
        if (cum < data.cumAck()) {
            return SackResult.STALE;
        }
        if (cum >= data.nextTsn()) {
            return SackResult.INVALID;
        }
        long flightBefore = data.flight();
        boolean fastMarked = data.handleSack(now, cum, gapBlocks, fastRecovery);
        long bytesAcked = data.ackedBytes;
        long rttSample = data.rttSample;
        long newestFreshSentAt = data.newestFreshSentAt;
        boolean cumAdvanced = data.cumAdvanced;
        if (fastMarked) {
            endJumpStart();
            initialSlowStart = false;
            css = false;
            if (!fastRecovery) {
                ssthresh = Math.max(cwnd / 2, 4L * mtu);
                cwnd = ssthresh;
                partialBytesAcked = 0;
                fastRecovery = true;
                fastRecoveryExit = data.nextTsn() - 1;
            }
            fastRtxAllowance = mtu;
        }
        if (fastRecovery && data.cumAck() >= fastRecoveryExit) {
            fastRecovery = false;
        }

        if (jsPhase != JS_DONE && !fastRecovery) {
            jumpStartOnSack(now, bytesAcked, newestFreshSentAt == Long.MIN_VALUE ? -1 : now - newestFreshSentAt, data.highestNewlyAcked);
        }
        if (hystart && initialSlowStart && !fastRecovery) {
            hystartOnSack(newestFreshSentAt == Long.MIN_VALUE ? -1 : now - newestFreshSentAt);
        }
        if (bytesAcked > 0 && !fastRecovery) {
            boolean fullyUtilized = flightBefore + mtu > cwnd;
            if (cwnd <= ssthresh) {
                if (fullyUtilized) {
                    long increase = Math.min(bytesAcked, (long) abcL * mtu);
                    cwnd += css ? increase / CSS_GROWTH_DIVISOR : increase;
                }
            } else {
                partialBytesAcked = Math.min(partialBytesAcked + bytesAcked, cwnd);
                if (partialBytesAcked >= cwnd && fullyUtilized) {
                    partialBytesAcked -= cwnd;
                    cwnd += mtu;
                }
            }
        }
        if (data.flight() == 0 && data.toRetransmit() == 0) {
            partialBytesAcked = 0;
        }
        peerArwnd = arwnd;
        if (rttSample >= 0) {
            rto.measure(rttSample);
        }

        if (peerSupportsPr) {
            data.updateAckPoint();
        }
        if (!hasOutstanding()) {
            t3.stop();
        } else if (cumAdvanced || !t3.isRunning()) {
            t3.start(now, rto.rto());
        }
        // Max.Burst (RFC 9260 §6.1): at most maxBurst new packets in answer to one SACK.
        long flight = data.flight();
        burstCap = flight > 0 ? flight + (long) maxBurst * mtu : Long.MAX_VALUE;
        pacingNext = Math.max(pacingNext, now); // no pacing credit carried across a SACK
        // An advancing cumulative ack acknowledges TSNs even when they were abandoned (RFC 9260 §8.3).
        return bytesAcked > 0 || cumAdvanced ? SackResult.NEW_DATA_ACKED : SackResult.NO_NEW_DATA_ACKED;
    }

    /**
     * HyStart++ (RFC 9406 §4.2) for the initial slow start: rounds are delimited by the TSN sent last when the round
     * began; when the smallest RTT of a round exceeds the previous round's by a threshold, slow start hands over to
     * Conservative Slow Start (a quarter of the growth) and, after {@code CSS_ROUNDS} rounds, to congestion
     * avoidance. It only ever grows cwnd less than RFC 9260 §7.2.1 allows, and it avoids the burst of losses with
     * which an unbounded slow start overshoots a bottleneck queue.
     */
    private void hystartOnSack(long rttSample) {
        if (cwnd > ssthresh) {
            return;
        }
        if (roundEnd < 0 || data.cumAck() >= roundEnd) {
            lastRoundMinRtt = currentRoundMinRtt;
            currentRoundMinRtt = Long.MAX_VALUE;
            rttSampleCount = 0;
            roundEnd = data.nextTsn() - 1;
            if (css && ++cssRounds >= CSS_ROUNDS) {
                css = false;
                if (jsProbe) {
                    // no queue after the jump and CSS_ROUNDS rounds of probing: the estimate was low, slow start on
                    jsProbe = false;
                    cssBaselineMinRtt = Long.MAX_VALUE;
                    return;
                }
                initialSlowStart = false;
                ssthresh = cwnd;
                return;
            }
        }
        if (rttSample < 0) {
            return;
        }
        currentRoundMinRtt = Math.min(currentRoundMinRtt, rttSample);
        rttSampleCount++;
        if (jsProbe) {
            long thresh = Math.max(MIN_RTT_THRESH, Math.min(jsMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH));
            if (rttSampleCount >= N_RTT_SAMPLE && currentRoundMinRtt >= jsMinRtt + thresh) {
                jsProbe = false;
                css = false;
                initialSlowStart = false;
                ssthresh = cwnd;
            }
            return;
        }
        if (!css) {
            if (rttSampleCount >= N_RTT_SAMPLE && currentRoundMinRtt != Long.MAX_VALUE && lastRoundMinRtt != Long.MAX_VALUE) {
                long thresh = Math.max(MIN_RTT_THRESH, Math.min(lastRoundMinRtt / MIN_RTT_DIVISOR, MAX_RTT_THRESH));
                if (currentRoundMinRtt >= lastRoundMinRtt + thresh) {
                    css = true;
                    cssRounds = 0;
                    cssBaselineMinRtt = currentRoundMinRtt;
                }
            }
        } else if (rttSampleCount >= N_RTT_SAMPLE && currentRoundMinRtt < cssBaselineMinRtt) {
            // the RTT rise was spurious: back to slow start
            css = false;
            cssBaselineMinRtt = Long.MAX_VALUE;
        }
    }

    /**
     * Paced jump start. The first flight (the initial window, sent back to back before any SACK) leaves the
     * bottleneck spaced at the bottleneck's rate, and the receiver's SACKs come back with that spacing: the bytes
     * they acknowledge after the first one, over the time between the first and the last, measure the rate, and the
     * first flight's smallest RTT measures the path. When the whole first flight is acknowledged without a loss, cwnd
     * jumps to rate x RTT (never down, never above the peer's window) and the next window is paced at that rate, so it
     * fills the pipe without queueing. Slow start with HyStart++ carries on from there: an underestimate still grows,
     * an overestimate shows as rising RTT or loss. Pacing ends when the first paced chunk is acknowledged (the ack
     * clock has taken over). A loss, a T3 expiry or a flight too small to measure ends it with no jump.
     */
    private void jumpStartOnSack(long now, long bytesAcked, long rttSample, long highestNewlyAcked) {
        if (jsPhase == JS_PACING) {
            if (highestNewlyAcked >= jsPacedFrom) { // cumulatively or by a gap block: the paced round is back
                endJumpStart();
            }
            return;
        }
        if (bytesAcked == 0) {
            return; // a window update or a duplicate: nothing of the first flight came back with it
        }
        if (jsAcks == 0) {
            jsFirstAckAt = now;
        } else {
            jsBytesAfterFirst += bytesAcked;
            jsLastAckAt = now;
        }
        jsAcks++;
        if (rttSample > 0) {
            jsMinRtt = Math.min(jsMinRtt, rttSample);
        }
        if (data.cumAck() < jsTrainEnd) {
            return;
        }
        if (jsAcks < JS_MIN_ACKS || jsLastAckAt <= jsFirstAckAt || jsMinRtt == Long.MAX_VALUE) {
            endJumpStart();
            return;
        }
        double rate = (double) jsBytesAfterFirst / (jsLastAckAt - jsFirstAckAt);
        long bdp = (long) (rate * jsMinRtt);
        long target = Math.min(bdp, Math.max(peerArwnd, cwnd));
        if (target <= cwnd + mtu) {
            endJumpStart();
            return;
        }
        jsRateBytesPerSecond = (long) (rate * 1e9);
        jsJumpCwnd = target;
        cwnd = target;
        jsPacingRate = rate;
        pacingNext = now;
        jsPacedFrom = data.nextTsn();
        jsPhase = JS_PACING;
        // The window now matches the measured path, so slow start's doubling would only build a queue. Probe
        // instead: a quarter of the growth (HyStart++'s Conservative Slow Start), and congestion avoidance as soon as
        // a round's smallest RTT sits a HyStart++ threshold above the unloaded RTT (the pipe is full, the queue has
        // begun). If no queue shows within CSS_ROUNDS rounds the estimate was low, and ordinary slow start with
        // HyStart++ takes over. Without HyStart++, straight to congestion avoidance.
        if (hystart && initialSlowStart) {
            css = true;
            jsProbe = true;
            cssRounds = 0;
            cssBaselineMinRtt = jsMinRtt;
            roundEnd = data.nextTsn() - 1;
            currentRoundMinRtt = Long.MAX_VALUE;
            lastRoundMinRtt = Long.MAX_VALUE;
            rttSampleCount = 0;
        } else {
            ssthresh = cwnd;
        }
    }

    private void endJumpStart() {
        jsPhase = JS_DONE;
        pacingPacketOpen = false;
    }

    /** The bottleneck rate the jump start measured, in bytes per second, or 0 when it did not jump. */
    public long jumpStartRate() {
        return jsRateBytesPerSecond;
    }

    /** The congestion window the jump start set, or 0 when it did not jump. */
    public long jumpStartCwnd() {
        return jsJumpCwnd;
    }

    /** Whether anything sent still needs the T3-rtx timer: any TSN not yet cumulatively acknowledged. */
    public boolean hasOutstanding() {
        return data.hasOutstanding();
    }

    /** True when every TSN handed out is cumulatively acknowledged. */
    public boolean allAcked() {
        return !data.hasOutstanding();
    }

    // ------------------------------------------------------------------ T3-rtx

    public long t3Deadline() {
        return t3.deadline();
    }

    /** Whether T3-rtx runs and is due at {@code now}. */
    public boolean t3Expired(long now) {
        return t3.expired(now);
    }

    /** Pulls a running T3-rtx timer in to {@code now}, so the next timeout retransmits what is outstanding. */
    public void expireT3At(long now) {
        if (t3.isRunning()) {
            t3.start(now, 0);
        }
    }

    void startT3IfStopped(long now) {
        if (!t3.isRunning()) {
            t3.start(now, rto.rto());
        }
    }

    private void restartT3IfOutstanding(long now) {
        if (hasOutstanding()) {
            t3.start(now, rto.rto());
        } else {
            t3.stop();
        }
    }

    /** Handles a T3-rtx expiry (RFC 9260 §6.3.3): backoff, cwnd to one MTU, everything in flight marked lost. */
    public void onT3Expiry(long now) {
        counters.t3Expiries++;
        rto.backoff();
        if (data.flight() == 0 && data.toRetransmit() == 0) {
            // Only an unacknowledged FORWARD TSN (or gap-acked data) is waiting: nothing was lost in flight, so
            // leave the congestion window alone and just send the FORWARD TSN again (RFC 3758 §3.5 C5).
            if (peerSupportsPr) {
                data.refreshForwardTsn();
            }
            restartT3IfOutstanding(now);
            return;
        }
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        endJumpStart();
        initialSlowStart = false;
        css = false;
        fastRtxAllowance = 0;
        burstCap = Long.MAX_VALUE;
        data.markAllLost(now);
        if (peerSupportsPr) {
            data.updateAckPoint();
        }
        restartT3IfOutstanding(now);
    }

    // ------------------------------------------------------------------ partial reliability

    public boolean forwardTsnDue() {
        return data.forwardTsnDue();
    }

    /** Builds the FORWARD TSN for the current Advanced.Peer.Ack.Point (RFC 3758 §3.5 C2-C4); T3-rtx guards it. */
    public ForwardTsnChunk makeForwardTsn(long now) {
        ForwardTsnChunk f = data.makeForwardTsn();
        startT3IfStopped(now);
        return f;
    }

    // ------------------------------------------------------------------ views

    public long flightSize() {
        return data.flight();
    }

    public long cwnd() {
        return cwnd;
    }

    public long ssthresh() {
        return ssthresh;
    }

    /** The peer's receive window as the sender sees it: last a_rwnd minus bytes not yet acknowledged. */
    public long peerRwnd() {
        return Math.max(0, peerArwnd - data.outstandingPayload());
    }

    public boolean hasRetransmissionsPending() {
        return data.toRetransmit() > 0;
    }
}
