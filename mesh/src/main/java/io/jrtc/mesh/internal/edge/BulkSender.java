package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.internal.wire.BulkChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of bulk transfers: one virtual thread per transfer reads the source a chunk at a time (so a
 * blocking {@link ReadableByteChannel} never blocks the agent loop) and hands each chunk to the core on the agent loop.
 * When the core refuses one for back-pressure (the first hop's bulk queue is at its high-water mark, which happens only
 * while the bulk channel's {@code bufferedAmount} is above the edge's high-water mark), the thread waits for the
 * core's {@code Writable}: at most one chunk of the source is held beyond what the core and the channel hold.
 */
final class BulkSender {

    private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);
    /** A wait for {@code Writable} is re-checked after this long (a drain that emits no event, e.g. a route found). */
    private static final long RECHECK_MILLIS = 250;

    private final MeshEdge edge;
    /** Agent loop: transfers waiting for the core's Writable. */
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** Agent loop: the next transfer id (random start, so a restarted agent does not reuse recent ids). */
    private long nextTransfer;

    BulkSender(MeshEdge edge, long firstTransfer) {
        this.edge = edge;
        this.nextTransfer = firstTransfer;
    }

    /** Agent loop: the core can take more. */
    void writable() {
        for (CompletableFuture<Void> w : waiting) {
            w.complete(null);
        }
        waiting.clear();
    }

    /** Agent loop: the core asks to hold (or release) a link's inbound bulk channel; null: the link is gone. */
    void holdInbound(EdgeLink l, io.jrtc.mesh.OverlayEvent.PauseInbound p) {
        if (l != null) {
            l.holdInbound(p.channel(), p.paused());
        }
    }

    /** Agent loop: the agent closes. */
    void close() {
        writable();
    }

    CompletableFuture<Long> send(AgentId to, ReadableByteChannel source) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        long transfer = edge.call(() -> nextTransfer++);
        Thread.ofVirtual().name("mesh-bulk-" + to.shortString() + "-" + transfer).start(() -> {
            try {
                pump(to, transfer, source, result);
            } catch (Exception e) {
                if (!edge.execute(() -> result.completeExceptionally(e))) {
                    result.completeExceptionally(e); // the agent loop is gone: here, rather than never
                }
            } finally {
                try {
                    source.close();
                } catch (IOException e) {
                    LOG.debug("bulk source close: {}", e.toString());
                }
            }
        });
        return result;
    }

    private void pump(AgentId to, long transfer, ReadableByteChannel in, CompletableFuture<Long> result)
            throws IOException, InterruptedException, TimeoutException {
        int max = edge.config.overlay().maxBulkBytes;
        long deadlineNanos = edge.config.overlay().bulkTimeoutNanos;
        long total = 0;
        byte[] cur = read(in);
        for (int index = 0; ; index++) {
            byte[] next = cur.length == BulkChunk.CHUNK_BYTES ? read(in) : new byte[0];
            boolean last = next.length == 0;
            total += cur.length;
            if (total > max) {
                throw new IllegalArgumentException("bulk transfer above maxBulkBytes (" + max + " bytes)");
            }
            long waitedSince = System.nanoTime();
            while (true) {
                byte[] data = cur;
                int i = index;
                CompletableFuture<Void> wake = new CompletableFuture<>();
                SendResult r = edge.call(() -> {
                    if (edge.closed) { // close() completed every future it held: take no new chunk
                        return new SendResult(SendResult.Status.NOT_CONNECTED, -1);
                    }
                    SendResult sr = edge.core.sendBulkChunk(edge.now(), to, transfer, i, last, data);
                    if (sr.status() == SendResult.Status.BACKPRESSURE) {
                        waiting.add(wake);
                    } else if (sr.accepted() && last) {
                        CompletableFuture<Long> ack = new CompletableFuture<>();
                        edge.acks.put(sr.sequence(), ack);
                        ack.whenComplete((seq, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(transfer);
                            }
                        });
                    }
                    edge.drain();
                    return sr;
                });
                if (r.accepted()) {
                    break;
                }
                if (r.status() == SendResult.Status.NOT_CONNECTED || edge.closed) {
                    throw new IllegalStateException("bulk transfer not sent: " + r.status());
                }
                if (System.nanoTime() - waitedSince > deadlineNanos) {
                    throw new TimeoutException("bulk transfer to " + to + " held by back-pressure for "
                            + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos) + " s");
                }
                try {
                    wake.get(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    // re-check
                }
            }
            if (last) {
                return;
            }
            cur = next;
        }
    }

    /** Reads up to one chunk: full unless the source ends first. */
    private static byte[] read(ReadableByteChannel in) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BulkChunk.CHUNK_BYTES);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                break;
            }
        }
        return b.position() == b.capacity() ? b.array() : Arrays.copyOf(b.array(), b.position());
    }
}
