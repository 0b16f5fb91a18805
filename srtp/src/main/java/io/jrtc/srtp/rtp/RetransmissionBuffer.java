package io.jrtc.srtp.rtp;

import java.util.Objects;

/**
 * Sender-side store of recently sent RTP packets, keyed by sequence number, that answers NACKs (RFC 4585).
 *
 * <p>What to store: the <em>protected</em> SRTP bytes, resent unchanged. Re-protecting a stored plaintext packet
 * under the same sequence number is refused by {@code SrtpSession} (it would reuse the packet index, i.e. the AES-CM
 * keystream or the AES-GCM nonce). For RTX (RFC 4588), which gives the repair packet its own SSRC and sequence
 * number, store plaintext and protect the RTX packet as a new one. The sequence number is read from bytes 2-3,
 * which SRTP leaves in clear, so both work.
 *
 * <p>Memory is bounded: {@code capacity} slots (a power of two, indexed by sequence number), each reusing its own
 * array once allocated; a packet lives until its slot is reused or {@code maxAgeNanos} passes. Storing copies the
 * packet once. A packet is resent at most once per {@code minResendIntervalNanos}, so a burst of duplicate NACKs
 * does not multiply traffic. Sans-IO and single-threaded by contract.
 */
public final class RetransmissionBuffer {

    /** Receives each packet to resend; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface PacketSink {
        void send(byte[] buf, int off, int len);
    }

    private final int mask;
    private final long maxAgeNanos;
    private final long minResendIntervalNanos;
    private final byte[][] slots;
    private final int[] lengths;
    private final int[] seqs;
    private final long[] storedAt;
    private final long[] resentAt;
    private long stored;
    private long resent;
    private long missed;

    /**
     * An empty buffer.
     *
     * @param capacity packets kept (rounded up to a power of two); 512 is about 1 s of 5 Mbit/s video
     * @param maxAgeNanos older packets are not resent
     * @param minResendIntervalNanos a packet is resent at most once per this interval
     */
    public RetransmissionBuffer(int capacity, long maxAgeNanos, long minResendIntervalNanos) {
        if (capacity < 1 || capacity > 1 << 15) {
            throw new IllegalArgumentException("capacity must be 1-32768");
        }
        int cap = 1;
        while (cap < capacity) {
            cap <<= 1;
        }
        this.mask = cap - 1;
        this.maxAgeNanos = maxAgeNanos;
        this.minResendIntervalNanos = minResendIntervalNanos;
        this.slots = new byte[cap][];
        this.lengths = new int[cap];
        this.seqs = new int[cap];
        this.storedAt = new long[cap];
        this.resentAt = new long[cap];
        java.util.Arrays.fill(seqs, -1);
    }

    /** Capacity after rounding. */
    public int capacity() {
        return mask + 1;
    }

    /** Copies the RTP/SRTP packet in {@code buf[off, off+len)} into the slot for its sequence number. */
    public void store(long nowNanos, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RtpPacket.FIXED_HEADER_LENGTH) {
            throw new IllegalArgumentException("not an RTP packet: " + len + " bytes");
        }
        int seq = RtpPacket.u16(buf, off + 2);
        int i = seq & mask;
        byte[] slot = slots[i];
        if (slot == null || slot.length < len) {
            slot = new byte[Math.max(len, 1200)];
            slots[i] = slot;
        }
        System.arraycopy(buf, off, slot, 0, len);
        lengths[i] = len;
        seqs[i] = seq;
        storedAt[i] = nowNanos;
        resentAt[i] = Long.MIN_VALUE;
        stored++;
    }

    /** Whether packet {@code seq} is stored and young enough to resend. */
    public boolean contains(int seq, long nowNanos) {
        int i = (seq & 0xFFFF) & mask;
        return seqs[i] == (seq & 0xFFFF) && nowNanos - storedAt[i] <= maxAgeNanos;
    }

    /** Copies packet {@code seq} into {@code out[outOff]} and returns its length, or -1 if it is not available. */
    public int copy(int seq, long nowNanos, byte[] out, int outOff) {
        int i = (seq & 0xFFFF) & mask;
        if (!contains(seq, nowNanos)) {
            return -1;
        }
        System.arraycopy(slots[i], 0, out, outOff, lengths[i]);
        return lengths[i];
    }

    /**
     * Resends what a NACK asks for and still is here, oldest first, through {@code sink}.
     *
     * @return packets resent
     */
    public int respond(GenericNack nack, long nowNanos, PacketSink sink) {
        int n = 0;
        for (int seq : nack.lostSequenceNumbers()) {
            int i = seq & mask;
            if (!contains(seq, nowNanos)) {
                missed++;
                continue;
            }
            if (resentAt[i] != Long.MIN_VALUE && nowNanos - resentAt[i] < minResendIntervalNanos) {
                continue;
            }
            resentAt[i] = nowNanos;
            sink.send(slots[i], 0, lengths[i]);
            n++;
        }
        resent += n;
        return n;
    }

    public long storedCount() {
        return stored;
    }

    public long resentCount() {
        return resent;
    }

    /** NACKed packets that were no longer (or never) stored. */
    public long missedCount() {
        return missed;
    }
}
