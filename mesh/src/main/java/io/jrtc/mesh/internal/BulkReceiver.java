package io.jrtc.mesh.internal;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.internal.wire.BulkChunk;
import io.jrtc.mesh.internal.wire.Envelope;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reassembles bulk transfers addressed to this agent. Every chunk but the last carries exactly
 * {@link BulkChunk#CHUNK_BYTES}, so chunk i goes at offset i × CHUNK_BYTES whatever order the chunks arrive in (a route
 * may change during a transfer, for instance when a link is rated LOW); the transfer is complete when the last chunk
 * and every chunk before it are in. All or nothing: a transfer above {@code OverlayConfig.maxBulkBytes}, one beyond
 * {@code maxBulkTransfers} at once, one with a short chunk before its last, or one idle for {@code bulkTimeoutNanos}
 * (a chunk was lost) is abandoned and counted (one {@code Dropped} event per transfer; its later chunks are counted
 * quietly). Memory: at most {@code maxBulkTransfers × maxBulkBytes}. Single-threaded, like the core.
 */
final class BulkReceiver {

    private record Key(AgentId origin, long transfer) {
    }

    private static final class Partial {
        byte[] buffer = new byte[BulkChunk.CHUNK_BYTES];
        final java.util.BitSet received = new java.util.BitSet();
        /** The index of the last chunk once it arrived, else -1; and the transfer's size then. */
        int lastIndex = -1;
        long size;
        long lastAt;
        long originTime;
        /** The last chunk's envelope sequence when it asked for an acknowledgement, else -1. */
        long ackSequence = -1;
    }

    /** What a completed transfer gives the engine to deliver, and the sequence to acknowledge (-1: none). */
    record Complete(long transfer, byte[] data, long originTime, long ackSequence) {
    }

    /** Transfers abandoned recently: their remaining chunks are dropped without another event. */
    private static final int FAILED_MEMORY = 64;

    private final CoreState s;
    private final LinkedHashMap<Key, Partial> partial = new LinkedHashMap<>();
    private final LinkedHashMap<Key, Boolean> failed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > FAILED_MEMORY;
        }
    };

    BulkReceiver(CoreState s) {
        this.s = s;
    }

    /** A verified BULK envelope addressed here; returns the whole transfer when this chunk completed it. */
    Complete onChunk(Envelope e, long linkId) {
        BulkChunk c;
        try {
            c = BulkChunk.parse(e.payload());
        } catch (ParseException x) {
            s.drop(DropReason.MALFORMED, e.id(), linkId);
            return null;
        }
        Key k = new Key(e.origin(), c.transfer());
        if (failed.containsKey(k)) {
            s.dropped.merge(DropReason.INCOMPLETE, 1L, Long::sum);
            return null;
        }
        Partial p = partial.get(k);
        if (p == null) {
            if (partial.size() >= s.config.maxBulkTransfers) {
                return fail(k, DropReason.TOO_LARGE, e, linkId);
            }
            p = new Partial();
            p.originTime = e.originTime();
            partial.put(k, p);
        }
        p.originTime = Math.min(p.originTime, e.originTime()); // the first chunk's, whatever order they came in
        long offset = (long) c.index() * BulkChunk.CHUNK_BYTES;
        long end = offset + c.data().length;
        boolean misfit = (!c.last() && c.data().length != BulkChunk.CHUNK_BYTES) || (c.last() && p.lastIndex >= 0)
                || (p.lastIndex >= 0 && c.index() > p.lastIndex) || (c.last() && p.received.length() > c.index() + 1);
        if (misfit || p.received.get(c.index())) {
            partial.remove(k);
            return fail(k, DropReason.INCOMPLETE, e, linkId);
        }
        if (end > s.config.maxBulkBytes) {
            partial.remove(k);
            return fail(k, DropReason.TOO_LARGE, e, linkId);
        }
        if (end > p.buffer.length) {
            p.buffer = Arrays.copyOf(p.buffer, (int) Math.min(s.config.maxBulkBytes, Math.max(2L * p.buffer.length, end)));
        }
        System.arraycopy(c.data(), 0, p.buffer, (int) offset, c.data().length);
        p.received.set(c.index());
        p.lastAt = s.now;
        if (c.last()) {
            p.lastIndex = c.index();
            p.size = end;
            p.ackSequence = e.ackRequested() ? e.sequence() : -1;
        }
        if (p.lastIndex < 0 || p.received.cardinality() != p.lastIndex + 1) {
            return null;
        }
        partial.remove(k);
        return new Complete(c.transfer(), Arrays.copyOf(p.buffer, (int) p.size), p.originTime, p.ackSequence);
    }

    private Complete fail(Key k, DropReason reason, Envelope e, long linkId) {
        failed.put(k, Boolean.TRUE);
        s.drop(reason, e.id(), linkId);
        return null;
    }

    /** Abandons transfers idle for the bulk timeout; returns the next deadline. */
    long onTimeout(long now) {
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Key, Partial>> it = partial.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Partial> en = it.next();
            long deadline = en.getValue().lastAt + s.config.bulkTimeoutNanos;
            if (now >= deadline) {
                it.remove();
                failed.put(en.getKey(), Boolean.TRUE);
                s.drop(DropReason.INCOMPLETE, new io.jrtc.mesh.internal.wire.MessageId(en.getKey().origin(),
                        en.getKey().transfer()), -1);
            } else {
                next = Math.min(next, deadline);
            }
        }
        return next;
    }

    long nextTimeout() {
        long next = Long.MAX_VALUE;
        for (Partial p : partial.values()) {
            next = Math.min(next, p.lastAt + s.config.bulkTimeoutNanos);
        }
        return next;
    }

    int inProgress() {
        return partial.size();
    }
}
