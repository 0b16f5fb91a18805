package io.jrtc.signaling.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A {@link SignalingClient}'s outbound side: the bounded queue of messages waiting for a registration or for the
 * pacer, the shedding of offers when it fills, the coalescing of queued candidates into batches, and the writes.
 * {@link #submit}, {@link #queued()} and {@link #shedOffers()} may be called from any thread; everything else runs on
 * the client's event loop, which is the only thread that touches the queue.
 */
final class OutboundQueue {

    private final SignalingClientConfig config;
    private final EventLoop loop;
    /** The client's state (a volatile read). */
    private final Supplier<ConnectionState> state;
    /** The client's current connection, or null (loop only). */
    private final Supplier<Channel> channel;

    /** Messages queued or reserved: the bound of {@link SignalingClientConfig#maxQueuedMessages()} is exact on it. */
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final LongAdder shedOffers = new LongAdder();

    // event-loop confined
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private Pacer pacer = Pacer.of(null);
    private ScheduledFuture<?> paceTask;
    /** The server announced batches and the config allows them: queued candidates are coalesced. */
    private boolean batching;
    private int maxBatch = SignalingMessage.Candidates.MAX;
    private int maxBatchBytes;

    OutboundQueue(SignalingClientConfig config, EventLoop loop, Supplier<ConnectionState> state,
            Supplier<Channel> channel) {
        this.config = config;
        this.loop = loop;
        this.state = state;
        this.channel = channel;
    }

    /** Any thread: hands messages to the loop in one task, in order; their futures, in order. */
    List<CompletableFuture<Void>> submit(List<Outbound> messages) {
        ConnectionState s = state.get();
        if (s == ConnectionState.CLOSED) {
            throw new SignalingClosedException("signaling client " + config.agentId() + " is closed");
        }
        // Not registered: reserve queue slots now, so the bound is exact and the refusal synchronous.
        boolean reserved = false;
        if (s != ConnectionState.REGISTERED) {
            for (int i = 0; i < messages.size(); i++) {
                if (!reserveSlot()) {
                    queuedCount.addAndGet(-i);
                    throw new SignalingQueueFullException(queueFullMessage());
                }
            }
            reserved = true;
        }
        boolean r = reserved;
        Runnable task = () -> messages.forEach(m -> send(m, r));
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                throw new SignalingClosedException("signaling client " + config.agentId() + " is closed");
            }
        }
        return messages.stream().map(Outbound::done).toList();
    }

    /** Any thread: messages waiting (or reserved) in the queue. */
    int queued() {
        return queuedCount.get();
    }

    /** Any thread: offers refused or evicted from the queue to make room for others. */
    long shedOffers() {
        return shedOffers.sum();
    }

    private boolean reserveSlot() {
        if (queuedCount.incrementAndGet() > config.maxQueuedMessages()) {
            queuedCount.decrementAndGet();
            return false;
        }
        return true;
    }

    private String queueFullMessage() {
        return "not registered (" + state.get() + ") and " + config.maxQueuedMessages()
                + " messages already wait for the next registration";
    }

    /** Loop: takes the budget and the batch limits a {@code registered} reply announces. */
    void registered(SignalingMessage.Registered r) {
        pacer = Pacer.of(r.rateLimit());
        batching = config.candidateBatching() && r.acceptsCandidateBatches();
        maxBatch = Math.min(SignalingMessage.Candidates.MAX, Math.max(1, r.maxBatchCandidates()));
        maxBatchBytes = Math.min(config.maxMessageBytes(), r.rateLimit() == null ? Integer.MAX_VALUE
                : r.rateLimit().maxMessageBytes());
    }

    /** Loop: messages waiting in the queue itself (not counting reservations still on their way to the loop). */
    int waiting() {
        return queue.size();
    }

    /** Loop: sends what waits now, as far as the pacer allows (after a registration). */
    void drainNow() {
        cancelPacing();
        drain();
    }

    /** Loop: the client closed: no more pacing, and every queued message fails with {@code closed}. */
    void close(SignalingClosedException closed) {
        cancelPacing();
        while (!queue.isEmpty()) {
            queue.poll().done().completeExceptionally(closed);
            queuedCount.decrementAndGet();
        }
    }

    private void cancelPacing() {
        if (paceTask != null) {
            paceTask.cancel(false);
            paceTask = null;
        }
    }

    /** Loop. {@code reserved}: a queue slot was reserved by {@link #submit} and must be used or given back. */
    private void send(Outbound o, boolean reserved) {
        CompletableFuture<Void> done = o.done();
        ConnectionState s = state.get();
        if (s == ConnectionState.CLOSED) {
            if (reserved) {
                queuedCount.decrementAndGet();
            }
            done.completeExceptionally(new SignalingClosedException("signaling client " + config.agentId()
                    + " is closed"));
            return;
        }
        // To a server that takes batches, a candidate always goes through the queue: the drain, a task behind those
        // already queued on the loop (or at once when enough are waiting, below), coalesces it with the candidates
        // queued meanwhile.
        boolean coalesce = batching && o.candidate() != null;
        Channel ch = channel.get();
        if (!coalesce && s == ConnectionState.REGISTERED && ch != null && ch.isActive()
                && queue.isEmpty() && pacer.tryTake(System.nanoTime())) {
            if (reserved) {
                queuedCount.decrementAndGet();
            }
            write(ch, o.json(), List.of(done));
            return;
        }
        // Shedding order: new offers go first. An offer may use only half of the queue; anything else may
        // evict the newest queued offer when the queue is full.
        if (o.offer() && queuedCount.get() - (reserved ? 1 : 0) >= config.maxQueuedMessages() / 2) {
            if (reserved) {
                queuedCount.decrementAndGet();
            }
            shedOffers.increment();
            done.completeExceptionally(new SignalingQueueFullException("offer shed: " + queue.size()
                    + " messages wait to be sent (half of the queue is kept for answers and candidates)"));
            return;
        }
        if (!reserved && !reserveSlot()) {
            if (o.offer() || !evictNewestOffer()) {
                done.completeExceptionally(new SignalingQueueFullException(queueFullMessage()));
                return;
            }
        }
        queue.add(o);
        // Drain at once when a full batch waits, or a quarter of the queue: coalescing must not make the queue
        // look full to the offer-shedding rule or to an application watching outboundQueued().
        int enough = Math.min(maxBatch, Math.max(1, config.maxQueuedMessages() / 4));
        if (coalesce && queue.size() >= enough && s == ConnectionState.REGISTERED) {
            drainNow();
        } else {
            scheduleDrain();
        }
    }

    /** Drops the newest queued offer (its future fails) and keeps its slot for the caller. */
    private boolean evictNewestOffer() {
        var it = queue.descendingIterator();
        while (it.hasNext()) {
            Outbound p = it.next();
            if (p.offer()) {
                it.remove();
                shedOffers.increment();
                p.done().completeExceptionally(new SignalingQueueFullException(
                        "offer shed to make room for an answer or candidate"));
                return true;
            }
        }
        return false;
    }

    /** Loop: schedules a {@link #drain} for when the pacer has a token, unless one is scheduled already. */
    private void scheduleDrain() {
        if (paceTask != null || queue.isEmpty() || state.get() != ConnectionState.REGISTERED) {
            return;
        }
        // No artificial delay: a task due now runs after the tasks already queued on the loop, so candidates handed
        // over together still coalesce, and a lone candidate is not held back (Netty's timers have a 1 ms grain: a
        // 50 us wait cost a millisecond on every connection's first candidate).
        long wait = pacer.nanosUntilToken(System.nanoTime());
        paceTask = loop.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
    }

    /** Loop: writes queued messages (candidates coalesced) as the pacer allows, and re-arms itself while some remain. */
    private void drain() {
        paceTask = null;
        Channel ch = channel.get();
        if (state.get() != ConnectionState.REGISTERED || ch == null || !ch.isActive()) {
            return; // the next registration drains again
        }
        long now = System.nanoTime();
        while (!queue.isEmpty() && pacer.tryTake(now)) {
            Outbound p = queue.poll();
            List<Outbound> batch = batching && p.candidate() != null
                    ? CandidateBatcher.collect(queue, p, maxBatch, maxBatchBytes) : List.of(p);
            queuedCount.addAndGet(-batch.size());
            if (batch.size() == 1) {
                write(ch, p.json(), List.of(p.done()));
            } else {
                write(ch, CandidateBatcher.encode(batch), batch.stream().map(Outbound::done).toList());
            }
        }
        scheduleDrain();
    }

    private static void write(Channel ch, String json, List<CompletableFuture<Void>> done) {
        ch.writeAndFlush(new TextWebSocketFrame(json)).addListener(f -> {
            for (CompletableFuture<Void> d : done) {
                if (f.isSuccess()) {
                    d.complete(null);
                } else {
                    d.completeExceptionally(f.cause());
                }
            }
        });
    }
}
