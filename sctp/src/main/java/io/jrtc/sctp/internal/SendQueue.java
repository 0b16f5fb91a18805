package io.jrtc.sctp.internal;

import io.jrtc.common.internal.IntObjectMap;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * Outgoing messages per stream, not yet (fully) cut into DATA chunks. Streams are allocated lazily and scheduled at
 * message boundaries: one message is fragmented completely before the next is chosen (without I-DATA, interleaving
 * fragments of different messages would block the receiver's reassembly).
 *
 * <p>The scheduler is weighted fair queueing (RFC 8260 §3.6, which RFC 8831 §6.4 names for data channel priorities),
 * in its self-clocked form: each stream has a weight (its data channel's priority: very-low 128, low 256, medium 512,
 * high 1024; {@link #DEFAULT_WEIGHT} until set), each queued message at the head of its stream gets a virtual finish
 * time {@code max(V, the stream's last finish) + size / weight}, the message with the smallest finish goes next, and V
 * becomes its finish. Backlogged streams so share the bytes in proportion to their weights (a high-priority stream
 * gets 8 times a very-low one's), a lone stream is never held back, and streams of one weight alternate messages as a
 * round-robin would. Ties go to the stream that became ready first.
 *
 * <p>Messages are fragmented lazily, as the packet builder asks for chunks, so a chunk is sized to the room left
 * in the packet being built. Counts the bytes not yet sent per stream ({@code bufferedAmount}) and in total, and
 * reports when a stream's buffered amount falls to or below its low threshold (W3C {@code bufferedamountlow}).
 */
public final class SendQueue {

    /** Smallest non-final fragment worth starting in a nearly full packet. */
    static final int MIN_FRAGMENT = 256;
    /** The weight of a stream whose weight was never set: W3C's "low", the default priority of a data channel. */
    public static final int DEFAULT_WEIGHT = 256;
    /** Virtual time units per byte at weight 1 (a finish time is {@code bytes * SCALE / weight}). */
    private static final long SCALE = 1 << 16;

    /** What the queue reports back to the association. */
    public interface Listener {
        /** {@code streamId}'s buffered amount fell from above its threshold to at or below it. */
        void bufferedAmountLow(int streamId);

        /** An unsent message expired (lifetime) and was dropped without consuming a TSN. */
        void expiredUnsent(OutMessage m);
    }

    /** Per-stream outgoing state. */
    static final class OutStream {
        final int id;
        final ArrayDeque<OutMessage> queue = new ArrayDeque<>(4);
        int nextSsn;
        long buffered;
        long lowThreshold;
        /** In {@link #ready} (its head message has a finish time), or being fragmented ({@link #current}). */
        boolean inActiveRing;
        boolean closing;
        int weight = DEFAULT_WEIGHT;
        /** The virtual finish time of its head message while ready; of its last scheduled message otherwise. */
        long finish;
        /** When it became ready: the tie-breaker. */
        long readySeq;

        OutStream(int id) {
            this.id = id;
        }
    }

    private final IntObjectMap<OutStream> streams = new IntObjectMap<>();
    /** Streams with a head message waiting to start, by finish time. */
    private final PriorityQueue<OutStream> ready = new PriorityQueue<>((a, b) -> a.finish != b.finish
            ? Long.compare(a.finish, b.finish) : Long.compare(a.readySeq, b.readySeq));
    /** The stream whose head message has started and is being fragmented; null at a message boundary. */
    private OutStream current;
    /** Virtual time: the finish time of the last message started. */
    private long virtualTime;
    private long readySeq;
    private final Listener listener;
    private long totalBuffered;
    private int queuedMessages;

    public SendQueue(Listener listener) {
        this.listener = listener;
    }

    private OutStream stream(int id) {
        OutStream s = streams.get(id);
        if (s == null) {
            s = new OutStream(id);
            streams.put(id, s);
        }
        return s;
    }

    /** Queues a message; the caller has checked sizes, limits and state. */
    public void enqueue(OutMessage m) {
        OutStream s = stream(m.streamId);
        s.queue.addLast(m);
        s.buffered += m.size();
        totalBuffered += m.size();
        queuedMessages++;
        if (!s.inActiveRing) {
            s.inActiveRing = true;
            makeReady(s);
        }
    }

    /** {@code s} has a head message to schedule: stamps its finish time and queues it. */
    private void makeReady(OutStream s) {
        OutMessage head = s.queue.peekFirst();
        s.finish = Math.max(virtualTime, s.finish) + Math.max(1, head.remaining()) * SCALE / s.weight;
        s.readySeq = readySeq++;
        ready.add(s);
    }

    /**
     * Sets {@code streamId}'s scheduling weight (RFC 8260 §3.6; a data channel's priority value). Takes effect from
     * its next message to be scheduled.
     */
    public void setWeight(int streamId, int weight) {
        if (weight < 1 || weight > 0xFFFF) {
            throw new IllegalArgumentException("weight " + weight + " outside 1..65535");
        }
        stream(streamId).weight = weight;
    }

    public int weight(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null ? DEFAULT_WEIGHT : s.weight;
    }

    public boolean hasData() {
        return current != null || !ready.isEmpty();
    }

    public long totalBuffered() {
        return totalBuffered;
    }

    public int queuedMessages() {
        return queuedMessages;
    }

    public long bufferedAmount(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null ? 0 : s.buffered;
    }

    public long lowThreshold(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null ? 0 : s.lowThreshold;
    }

    public void setLowThreshold(int streamId, long bytes) {
        if (bytes == 0 && streams.get(streamId) == null) {
            return;
        }
        stream(streamId).lowThreshold = bytes;
    }

    /**
     * Cuts the next DATA chunk, of at most {@code maxPayload} bytes of user data, and gives it {@code tsn}.
     * Returns null when nothing is queued or the room is too small to start a sensible fragment.
     */
    public TxChunk produce(long now, long tsn, int maxPayload) {
        OutStream s;
        while ((s = current != null ? current : ready.peek()) != null) {
            OutMessage m = s.queue.peekFirst();
            if (m == null) {
                if (s == current) {
                    current = null;
                } else {
                    ready.poll();
                }
                s.inActiveRing = false;
                continue;
            }
            if (m.abandoned || (m.offset == 0 && now >= m.expiresAt)) {
                // Abandoned after some fragments went out, or expired before any did: drop the rest.
                s.queue.pollFirst();
                queuedMessages--;
                drained(s, m.remaining());
                boolean expiredUnsent = m.offset == 0;
                m.offset = m.size();
                if (expiredUnsent) {
                    m.abandoned = true;
                    listener.expiredUnsent(m);
                }
                rotate(s);
                continue;
            }
            int remaining = m.remaining();
            int len = Math.min(remaining, maxPayload);
            if (len < remaining) {
                len &= ~3;
                if (len < MIN_FRAGMENT) {
                    return null;
                }
            }
            if (s != current) {
                // a message boundary: this message starts now, and the virtual clock moves to its finish
                ready.poll();
                current = s;
                virtualTime = s.finish;
            }
            if (m.offset == 0) {
                if (!m.unordered) {
                    m.ssn = s.nextSsn;
                    s.nextSsn = (s.nextSsn + 1) & 0xFFFF;
                }
                m.firstTsn = tsn;
            }
            int flags = (m.offset == 0 ? DataChunk.FLAG_BEGINNING : 0) | (len == remaining ? DataChunk.FLAG_END : 0)
                    | (m.unordered ? DataChunk.FLAG_UNORDERED : 0);
            TxChunk c = new TxChunk(tsn, m, m.offset, len, flags, m.unordered ? 0 : m.ssn);
            m.offset += len;
            m.lastTsn = tsn;
            if (m.offset == m.size()) {
                s.queue.pollFirst();
                queuedMessages--;
                rotate(s);
            }
            drained(s, len);
            return c;
        }
        return null;
    }

    /** {@code s}'s head message is done (sent, expired or abandoned): its next message, if any, is scheduled. */
    private void rotate(OutStream s) {
        if (current == s) {
            current = null;
        } else {
            ready.remove(s);
        }
        if (s.queue.isEmpty()) {
            s.inActiveRing = false;
        } else {
            makeReady(s);
        }
    }

    private void drained(OutStream s, long bytes) {
        long before = s.buffered;
        s.buffered -= bytes;
        totalBuffered -= bytes;
        if (before > s.lowThreshold && s.buffered <= s.lowThreshold) {
            listener.bufferedAmountLow(s.id);
        }
    }

    // ---- stream reset support (RFC 6525 outgoing) ----

    /** Marks a stream as closing: no new messages; queued ones still go out before the reset request. */
    public void markClosing(int streamId) {
        stream(streamId).closing = true;
    }

    public boolean isClosing(int streamId) {
        OutStream s = streams.get(streamId);
        return s != null && s.closing;
    }

    /** True when a closing stream has no unsent fragments left, so the reset request may go out. */
    public boolean readyForReset(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null || s.queue.isEmpty();
    }

    /** The peer performed the reset: the stream starts over at SSN 0, and its state is freed. */
    public void commitReset(int streamId) {
        OutStream s = streams.get(streamId);
        if (s != null && s.queue.isEmpty()) {
            streams.remove(streamId);
        } else if (s != null) {
            s.nextSsn = 0;
            s.closing = false;
        }
    }

    /** The reset failed: the stream stays usable with its sequence numbers. */
    public void rollbackReset(int streamId) {
        OutStream s = streams.get(streamId);
        if (s != null) {
            s.closing = false;
        }
    }
}
