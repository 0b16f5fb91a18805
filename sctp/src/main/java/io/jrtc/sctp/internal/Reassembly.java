package io.jrtc.sctp.internal;

import java.nio.ByteBuffer;

import io.jrtc.common.internal.IntObjectMap;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ForwardTsnChunk.SkippedStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns received DATA chunks back into messages (RFC 9260 §6.5, §6.6, §6.9): ordered messages per stream in
 * stream-sequence order, unordered ones as soon as complete, fragments put in TSN order. A message is delivered as
 * the list of its fragments' user data (views, not joined). Only whole messages are ever delivered: partial messages
 * skipped by a FORWARD TSN (RFC 3758 §3.6) or dropped by a stream reset are discarded. Also implements "deferred
 * reset processing" of RFC 6525 §5.2.2: while a reset waits for earlier TSNs, chunks for the reset streams with later
 * TSNs are held back and replayed afterwards.
 *
 * <p>Stream state is allocated on first use and freed on reset. Every byte held is counted in
 * {@link #bufferedBytes()}, which the association subtracts from its advertised window. Single-threaded.
 */
public final class Reassembly {

    /** Receives complete messages. */
    public interface Sink {
        /**
         * A whole message: {@code fragments}, in order, one per DATA chunk (position 0 to limit each), are the
         * caller's to keep; each may be a view of the packet it arrived in (never written again) or an array of its
         * own. They are not joined: a fragmented message is handed over without a copy.
         */
        void deliver(int streamId, int ppid, List<ByteBuffer> fragments, boolean unordered);
    }

    /** A message being put together: fragments sorted by TSN. */
    private static final class Partial {
        final ArrayList<DataChunk> frags = new ArrayList<>(4);
        long baseTsn;
        long firstTsn = -1;
        long lastTsn = -1;
        int bytes;

        long tsnOf(DataChunk c) {
            return Seq.unwrap32(baseTsn, c.tsn());
        }

        /** Adds a fragment; returns false if it cannot belong to this message. */
        boolean add(long tsn, DataChunk c) {
            if (frags.isEmpty()) {
                baseTsn = tsn;
            } else if ((firstTsn >= 0 && tsn < firstTsn) || (lastTsn >= 0 && tsn > lastTsn)) {
                return false;
            }
            int i = frags.size();
            while (i > 0 && tsnOf(frags.get(i - 1)) > tsn) {
                i--;
            }
            frags.add(i, c);
            bytes += c.payloadLength();
            if (c.beginning()) {
                firstTsn = tsn;
            }
            if (c.ending()) {
                lastTsn = tsn;
            }
            return true;
        }

        boolean complete() {
            return firstTsn >= 0 && lastTsn >= 0 && frags.size() == lastTsn - firstTsn + 1;
        }

        /** The fragments' user data in TSN order, as views (no copy). */
        List<ByteBuffer> assemble() {
            ByteBuffer[] out = new ByteBuffer[frags.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = frags.get(i).userData();
            }
            return List.of(out);
        }

        long lowestTsn() {
            return tsnOf(frags.get(0));
        }
    }

    /** Per-stream incoming state. */
    private static final class InStream {
        long nextSsn;
        /** Message with SSN == nextSsn being assembled, if any. */
        Partial head;
        /** Messages with SSN > nextSsn (complete or not). */
        TreeMap<Long, Partial> pending;
        /** Unordered fragments by TSN. */
        TreeMap<Long, DataChunk> unordered;

        boolean idle() {
            return head == null && (pending == null || pending.isEmpty()) && (unordered == null || unordered.isEmpty());
        }
    }

    private record Held(long tsn, DataChunk chunk) {
    }

    private final IntObjectMap<InStream> streams = new IntObjectMap<>();
    private final Sink sink;
    private long buffered;

    private boolean deferred;
    private long deferredLastTsn;
    private List<Integer> deferredStreams;
    private List<Held> held;

    public Reassembly(Sink sink) {
        this.sink = sink;
    }

    /** Payload bytes held (fragments, out-of-order messages, chunks held by a deferred reset). */
    public long bufferedBytes() {
        return buffered;
    }

    private InStream stream(int id) {
        InStream s = streams.get(id);
        if (s == null) {
            s = new InStream();
            streams.put(id, s);
        }
        return s;
    }

    /** Adds a new (already de-duplicated) DATA chunk with unwrapped TSN {@code tsn}. */
    public void add(long tsn, DataChunk c) {
        if (deferred && tsn > deferredLastTsn && affectedByDeferred(c.streamId())) {
            if (held == null) {
                held = new ArrayList<>();
            }
            held.add(new Held(tsn, c));
            buffered += c.payloadLength();
            return;
        }
        if (c.unordered()) {
            addUnordered(tsn, c);
        } else {
            addOrdered(tsn, c);
        }
    }

    private void addOrdered(long tsn, DataChunk c) {
        InStream s = stream(c.streamId());
        long ssn = Seq.unwrap16(s.nextSsn, c.ssn());
        if (ssn < s.nextSsn) {
            return; // stale: skipped by FORWARD TSN or already delivered
        }
        if (ssn == s.nextSsn && c.beginning() && c.ending() && s.head == null) {
            deliver(c.streamId(), c.ppid(), List.of(c.userData()), false);
            s.nextSsn++;
            drain(c.streamId(), s);
            return;
        }
        Partial p;
        if (ssn == s.nextSsn) {
            if (s.head == null) {
                s.head = new Partial();
            }
            p = s.head;
        } else {
            if (s.pending == null) {
                s.pending = new TreeMap<>();
            }
            p = s.pending.computeIfAbsent(ssn, k -> new Partial());
        }
        if (!p.add(tsn, c)) {
            return;
        }
        buffered += c.payloadLength();
        if (p == s.head && p.complete()) {
            drain(c.streamId(), s);
        }
    }

    /** Delivers the head message while complete, then any that follow in SSN order. */
    private void drain(int sid, InStream s) {
        while (true) {
            Partial p = s.head;
            if (p == null) {
                if (s.pending == null || s.pending.isEmpty()) {
                    return;
                }
                Map.Entry<Long, Partial> first = s.pending.firstEntry();
                if (first.getKey() != s.nextSsn) {
                    return;
                }
                s.pending.pollFirstEntry();
                s.head = first.getValue();
                p = s.head;
            }
            if (!p.complete()) {
                return;
            }
            s.head = null;
            buffered -= p.bytes;
            DataChunk f = p.frags.get(0);
            deliver(sid, f.ppid(), p.assemble(), false);
            s.nextSsn++;
        }
    }

    private void addUnordered(long tsn, DataChunk c) {
        if (c.beginning() && c.ending()) {
            deliver(c.streamId(), c.ppid(), List.of(c.userData()), true);
            return;
        }
        InStream s = stream(c.streamId());
        if (s.unordered == null) {
            s.unordered = new TreeMap<>();
        }
        TreeMap<Long, DataChunk> frags = s.unordered;
        frags.put(tsn, c);
        buffered += c.payloadLength();
        long first = tsn;
        DataChunk fc = c;
        while (!fc.beginning()) {
            fc = frags.get(first - 1);
            if (fc == null) {
                return;
            }
            first--;
        }
        long last = tsn;
        DataChunk lc = c;
        while (!lc.ending()) {
            lc = frags.get(last + 1);
            if (lc == null) {
                return;
            }
            last++;
        }
        ByteBuffer[] out = new ByteBuffer[(int) (last - first + 1)];
        for (long t = first; t <= last; t++) {
            DataChunk f = frags.remove(t);
            buffered -= f.payloadLength();
            out[(int) (t - first)] = f.userData();
        }
        deliver(c.streamId(), fc.ppid(), List.of(out), true);
    }

    private void deliver(int sid, int ppid, List<ByteBuffer> fragments, boolean unordered) {
        sink.deliver(sid, ppid, fragments, unordered);
    }

    // ------------------------------------------------------------------ FORWARD TSN

    /**
     * Applies a FORWARD TSN (RFC 3758 §3.6): drops incomplete messages at or below {@code newCum}, moves each
     * listed ordered stream past its skipped SSN, and delivers what became deliverable.
     */
    public void forwardTsn(long newCum, List<SkippedStream> skipped) {
        int[] ids = streams.keys();
        for (int sid : ids) {
            InStream s = streams.get(sid);
            if (s.unordered != null) {
                Iterator<Map.Entry<Long, DataChunk>> it = s.unordered.headMap(newCum, true).entrySet().iterator();
                while (it.hasNext()) {
                    buffered -= it.next().getValue().payloadLength();
                    it.remove();
                }
            }
            if (s.head != null && !s.head.complete() && s.head.lowestTsn() <= newCum) {
                buffered -= s.head.bytes;
                s.head = null;
            }
            if (s.pending != null) {
                Iterator<Partial> it = s.pending.values().iterator();
                while (it.hasNext()) {
                    Partial p = it.next();
                    if (!p.complete() && p.lowestTsn() <= newCum) {
                        buffered -= p.bytes;
                        it.remove();
                    }
                }
            }
        }
        for (SkippedStream sk : skipped) {
            InStream s = streams.get(sk.streamId());
            if (s == null) {
                s = stream(sk.streamId());
            }
            long ssn = Seq.unwrap16(s.nextSsn, sk.ssn());
            if (ssn < s.nextSsn) {
                continue;
            }
            // Complete messages up to the skipped SSN are still delivered in order; the rest is dropped.
            while (s.nextSsn <= ssn) {
                Partial p = s.head;
                if (p == null && s.pending != null) {
                    p = s.pending.remove(s.nextSsn);
                }
                s.head = null;
                if (p != null) {
                    buffered -= p.bytes;
                    if (p.complete()) {
                        deliver(sk.streamId(), p.frags.get(0).ppid(), p.assemble(), false);
                    }
                }
                s.nextSsn++;
            }
            drain(sk.streamId(), s);
        }
        for (int sid : ids) {
            InStream s = streams.get(sid);
            if (s != null && s.idle() && s.nextSsn == 0) {
                streams.remove(sid);
            }
        }
    }

    // ------------------------------------------------------------------ stream reset (incoming)

    /** Resets the incoming side of {@code ids} (all streams when empty): next expected SSN 0, state freed. */
    public void resetStreams(List<Integer> ids) {
        if (ids.isEmpty()) {
            for (int sid : streams.keys()) {
                dropStream(sid);
            }
        } else {
            for (int sid : ids) {
                dropStream(sid);
            }
        }
    }

    private void dropStream(int sid) {
        InStream s = streams.remove(sid);
        if (s == null) {
            return;
        }
        if (s.head != null) {
            buffered -= s.head.bytes;
        }
        if (s.pending != null) {
            for (Partial p : s.pending.values()) {
                buffered -= p.bytes;
            }
        }
        if (s.unordered != null) {
            for (DataChunk c : s.unordered.values()) {
                buffered -= c.payloadLength();
            }
        }
    }

    public boolean inDeferredReset() {
        return deferred;
    }

    /** Enters deferred reset processing (RFC 6525 §5.2.2 E2). */
    public void enterDeferredReset(long lastTsn, List<Integer> ids) {
        deferred = true;
        deferredLastTsn = lastTsn;
        deferredStreams = List.copyOf(ids);
    }

    public long deferredLastTsn() {
        return deferredLastTsn;
    }

    private boolean affectedByDeferred(int sid) {
        return deferredStreams.isEmpty() || deferredStreams.contains(sid);
    }

    /**
     * Once the cumulative TSN reached the deferred request's last TSN, performs the reset and replays the chunks
     * held back (RFC 6525 §5.2.2 E3-E4). Returns the streams reset, or null if still waiting.
     */
    public List<Integer> completeDeferredReset(long cumTsn) {
        if (!deferred || cumTsn < deferredLastTsn) {
            return null;
        }
        deferred = false;
        List<Integer> ids = deferredStreams;
        resetStreams(ids);
        List<Held> replay = held;
        held = null;
        deferredStreams = null;
        if (replay != null) {
            replay.sort((a, b) -> Long.compare(a.tsn, b.tsn));
            for (Held h : replay) {
                buffered -= h.chunk.payloadLength();
                add(h.tsn, h.chunk);
            }
        }
        return ids;
    }
}
