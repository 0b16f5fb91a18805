package io.jrtc.srtp.rtp;

import io.jrtc.common.DatagramCore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Receiver-side loss detection for one media SSRC: finds gaps in the sequence numbers received and says which ones
 * to NACK (RFC 4585 generic NACK), when, and when to give up.
 *
 * <ul>
 *   <li>A gap is noticed when a later sequence number arrives. Each missing packet is first NACKed after
 *       {@link Config#reorderDelayNanos()} (0: at once), then again every {@code max(rtt, minRetryInterval)}, at most
 *       {@link Config#maxRetries()} times, and never after {@link Config#maxAgeNanos()} from when it went missing.</li>
 *   <li>A packet that arrives (late or retransmitted) leaves the list.</li>
 *   <li>At most {@link Config#maxMissing()} packets are tracked. A larger gap, or giving up on a packet, raises
 *       {@link #keyFrameNeeded()}: the receiver should send a PLI instead of waiting for repairs.</li>
 * </ul>
 *
 * <p>Sans-IO: {@link #onPacket}, {@link #pollTimeout()}, then {@link #pollNack} at (or after) that time. Sequence
 * numbers are unwrapped to 64 bits against the highest seen, so wrap-around needs no special care. Time going
 * backwards is ignored. Single-threaded by contract.
 */
public final class NackGenerator {

    /**
     * Tuning of a {@link NackGenerator}.
     *
     * @param maxRetries NACKs per missing packet before giving up
     * @param minRetryIntervalNanos floor of the interval between NACKs of one packet (the RTT is used when larger)
     * @param initialRttNanos RTT assumed until {@link #setRtt} is called
     * @param maxAgeNanos how long a packet stays worth asking for
     * @param maxMissing most packets tracked at once
     * @param reorderDelayNanos wait before the first NACK, letting reordered packets arrive
     */
    public record Config(int maxRetries, long minRetryIntervalNanos, long initialRttNanos, long maxAgeNanos,
                         int maxMissing, long reorderDelayNanos) {

        /** 10 tries, 20 ms floor, 100 ms initial RTT, 1 s max age, 1,000 tracked, no reorder delay. */
        public static final Config DEFAULT = new Config(10, 20_000_000L, 100_000_000L, 1_000_000_000L, 1000, 0);

        public Config {
            if (maxRetries < 1 || minRetryIntervalNanos < 0 || initialRttNanos < 0 || maxAgeNanos <= 0
                    || maxMissing < 1 || reorderDelayNanos < 0) {
                throw new IllegalArgumentException("invalid NACK configuration");
            }
        }
    }

    private static final class Missing {
        final long firstMissingAt;
        long nextDue;
        int sent;

        Missing(long firstMissingAt, long nextDue) {
            this.firstMissingAt = firstMissingAt;
            this.nextDue = nextDue;
        }
    }

    private final Config config;
    private final TreeMap<Long, Missing> missing = new TreeMap<>();
    private long rttNanos;
    private boolean started;
    private long highest;
    private long lastNow = Long.MIN_VALUE;
    private boolean keyFrameNeeded;
    private long nacksSent;
    private long recovered;
    private long givenUp;

    public NackGenerator() {
        this(Config.DEFAULT);
    }

    public NackGenerator(Config config) {
        this.config = config;
        this.rttNanos = config.initialRttNanos();
    }

    private long clock(long nowNanos) {
        if (nowNanos > lastNow) {
            lastNow = nowNanos;
        }
        return lastNow;
    }

    /** The current round-trip estimate drives the retry interval. */
    public void setRtt(long rttNanos) {
        if (rttNanos >= 0) {
            this.rttNanos = rttNanos;
        }
    }

    /** Records the arrival of a packet (original or retransmission) with this sequence number. */
    public void onPacket(long nowNanos, int sequenceNumber) {
        long now = clock(nowNanos);
        int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            started = true;
            highest = seq;
            return;
        }
        long ext = highest + (short) (seq - (int) (highest & 0xFFFF));
        if (ext > highest) {
            long gapStart = highest + 1;
            if (ext - gapStart > config.maxMissing()) {
                givenUp += ext - gapStart - config.maxMissing();
                gapStart = ext - config.maxMissing();
                keyFrameNeeded = true;
            }
            for (long s = gapStart; s < ext; s++) {
                missing.put(s, new Missing(now, now + config.reorderDelayNanos()));
            }
            highest = ext;
            while (missing.size() > config.maxMissing()) {
                missing.pollFirstEntry();
                givenUp++;
                keyFrameNeeded = true;
            }
        } else if (missing.remove(ext) != null) {
            recovered++;
        }
    }

    /** When {@link #pollNack} next has something to say, or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        long t = DatagramCore.NO_TIMEOUT;
        for (Missing m : missing.values()) {
            t = Math.min(t, Math.min(m.nextDue, m.firstMissingAt + config.maxAgeNanos()));
        }
        return t;
    }

    /**
     * Sequence numbers to NACK now, oldest first (empty if none is due). Packets past their age or retry limit are
     * dropped from the list here and counted in {@link #givenUp()}.
     */
    public List<Integer> pollNack(long nowNanos) {
        long now = clock(nowNanos);
        List<Integer> due = new ArrayList<>();
        long interval = Math.max(rttNanos, config.minRetryIntervalNanos());
        Iterator<Map.Entry<Long, Missing>> it = missing.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Missing> e = it.next();
            Missing m = e.getValue();
            if (now - m.firstMissingAt >= config.maxAgeNanos() || (m.sent >= config.maxRetries() && now >= m.nextDue)) {
                it.remove();
                givenUp++;
                keyFrameNeeded = true;
                continue;
            }
            if (now >= m.nextDue) {
                due.add((int) (e.getKey() & 0xFFFF));
                m.sent++;
                m.nextDue = now + interval;
            }
        }
        nacksSent += due.size();
        return due;
    }

    /** Whether packets were given up on since the last {@link #clearKeyFrameNeeded()}: time for a PLI. */
    public boolean keyFrameNeeded() {
        return keyFrameNeeded;
    }

    public void clearKeyFrameNeeded() {
        keyFrameNeeded = false;
    }

    /** Packets currently missing and still being asked for. */
    public int missingCount() {
        return missing.size();
    }

    /** Sequence numbers put in NACKs so far (one per retry). */
    public long nacksSent() {
        return nacksSent;
    }

    /** Missing packets that arrived after all. */
    public long recovered() {
        return recovered;
    }

    /** Missing packets abandoned (too old, too many retries, or beyond {@link Config#maxMissing()}). */
    public long givenUp() {
        return givenUp;
    }
}
