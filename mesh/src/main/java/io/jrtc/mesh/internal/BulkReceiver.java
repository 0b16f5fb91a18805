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
 * Reassembles bulk transfers addressed to this agent: chunks are appended in index order; the last one completes the
 * transfer. All or nothing: a chunk out of order (one was lost on the way), a transfer above
 * {@code OverlayConfig.maxBulkBytes}, one beyond {@code maxBulkTransfers} at once, or one idle for
 * {@code bulkTimeoutNanos} is abandoned and counted (one {@code Dropped} event per transfer; its later chunks are
 * counted quietly). Memory: at most {@code maxBulkTransfers × maxBulkBytes}. Single-threaded, like the core.
 */
final class BulkReceiver {

    private record Key(AgentId origin, long transfer) {
    }

    private static final class Partial {
        byte[] buffer = new byte[BulkChunk.CHUNK_BYTES];
        int size;
        int nextIndex;
        long lastAt;
        long originTime;
    }

    /** What a completed transfer gives the engine to deliver. */
    record Complete(long transfer, byte[] data, long originTime) {
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
            if (c.index() != 0) {
                return fail(k, DropReason.INCOMPLETE, e, linkId);
            }
            if (partial.size() >= s.config.maxBulkTransfers) {
                return fail(k, DropReason.TOO_LARGE, e, linkId);
            }
            p = new Partial();
            p.originTime = e.originTime();
            partial.put(k, p);
        }
        if (c.index() != p.nextIndex) {
            partial.remove(k);
            return fail(k, DropReason.INCOMPLETE, e, linkId);
        }
        if ((long) p.size + c.data().length > s.config.maxBulkBytes) {
            partial.remove(k);
            return fail(k, DropReason.TOO_LARGE, e, linkId);
        }
        if (p.size + c.data().length > p.buffer.length) {
            int grown = (int) Math.min(s.config.maxBulkBytes, Math.max(2L * p.buffer.length, p.size + c.data().length));
            p.buffer = Arrays.copyOf(p.buffer, grown);
        }
        System.arraycopy(c.data(), 0, p.buffer, p.size, c.data().length);
        p.size += c.data().length;
        p.nextIndex++;
        p.lastAt = s.now;
        if (!c.last()) {
            return null;
        }
        partial.remove(k);
        return new Complete(c.transfer(), Arrays.copyOf(p.buffer, p.size), p.originTime);
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
