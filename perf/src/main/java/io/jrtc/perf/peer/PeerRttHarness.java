package io.jrtc.perf.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcStats;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round-trip time and heap allocated per message through the full stack (ICE, DTLS, SCTP), Java to Java over loopback
 * UDP, on one reliable ordered channel of one warm connection.
 *
 * <ol>
 *   <li><b>RTT</b>: sequential 32-byte echoes (the answerer sends each message back from its {@code onMessage}); the
 *       offerer sends the next one from its own {@code onMessage} when the previous echo is back, so no thread outside
 *       the stack takes part. Each echo carries its sequence number; a wrong one is counted as a mismatch.</li>
 *   <li><b>Allocation</b>: one-way bursts of 1 KiB and of 64 KiB messages (the sender keeps up to 4 MiB queued,
 *       refilled on {@code onBufferedAmountLow}). Heap allocated by every thread of the JVM
 *       ({@code com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes}, which includes threads that have ended
 *       and virtual threads through their carriers) is read by the receiver when the warm-up messages have arrived and
 *       again when the measured ones have; the difference over the measured count is the allocation per message for
 *       sending, encrypting, receiving, decrypting and delivering it, plus the connection's own timers and SACKs. The
 *       same reading is taken over the measured echoes (two messages each).</li>
 * </ol>
 *
 * Uses only public API that also existed before the issue-12 refactor, so it can be run against an older
 * {@code benchmarks.jar} by putting its classes after that jar on the class path. Callbacks run on each
 * PeerConnection's event loop; {@code main} only waits.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.jrtc.perf.peer.PeerRttHarness [echoes=10000] [warmupEchoes=2000]
 *     [kib1=200000] [kib64=8000] [loops=2] [stallSeconds=60]</pre>
 * (the 1 KiB and 64 KiB counts are the measured messages; a further half of each is sent first as warm-up. A burst
 * that has not completed within {@code stallSeconds} is reported as STALLED with both ends' counts and the sender's
 * SCTP state, and the harness ends.)
 */
public final class PeerRttHarness {

    private static final Logger LOG = LoggerFactory.getLogger(PeerRttHarness.class);
    private static final int ECHO_SIZE = 32;

    private PeerRttHarness() {
    }

    public static void main(String[] args) throws Exception {
        int echoes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmEchoes = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int kib1 = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int kib64 = args.length > 3 ? Integer.parseInt(args[3]) : 8_000;
        int loops = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int stallSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 60;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        try (PeerConnectionFactory factory = new PeerConnectionFactory(loops);
             LoopbackPeers p = new LoopbackPeers(factory)) {
            LoopbackPeers.Channel c = p.connect("rtt", 10);
            onLoop(p.answerer, () -> c.far().onMessage(m -> c.far().send(m.data())));
            Echoes e = new Echoes(c.near(), warmEchoes, echoes, threads);
            p.offerer.execute(e::start);
            e.done.get(120, TimeUnit.SECONDS);
            Percentiles rtt = Percentiles.ofNanos(Arrays.copyOfRange(e.rtts, warmEchoes, warmEchoes + echoes));
            double perEcho = (double) (e.allocEnd - e.allocStart) / echoes;
            print(String.format("jrtc-rtt echoes=%d (after %d warm-up) of %d B: p50=%.1f us p90=%.1f us p99=%.1f us "
                    + "min=%.1f us max=%.1f us; mismatches=%d; allocated %.0f B per echo (%.0f B per message)", echoes, warmEchoes,
                    ECHO_SIZE, rtt.p50() * 1e3, rtt.p90() * 1e3, rtt.p99() * 1e3, rtt.min() * 1e3, rtt.max() * 1e3, e.mismatches,
                    perEcho, perEcho / 2));
            // The echo listener stays: the answerer must not echo the bulk phases, so the bulk runs on a second channel.
            for (int size : new int[] {1024, 64 * 1024}) {
                int measured = size == 1024 ? kib1 : kib64;
                LoopbackPeers.Channel bulk;
                try {
                    bulk = openSecond(p, "bulk-" + size);
                } catch (TimeoutException stalled) {
                    print(String.format("jrtc-alloc message=%d B: STALLED, its channel did not open within 10 s (%s); "
                            + "offerer %s, answerer %s", size, stalled.getMessage(), sctpState(p.offerer), sctpState(p.answerer)));
                    LOG.warn("channel for the {} B phase did not open; later phases skipped", size);
                    break;
                }
                Burst b = new Burst(bulk.near(), size, measured / 2, measured, threads);
                onLoop(p.answerer, () -> bulk.far().onMessage(b::received));
                p.offerer.execute(b::start);
                try {
                    b.done.get(stallSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException stalled) {
                    // Reported, not thrown: the figure is missing, and why matters more than a stack trace.
                    CompletableFuture<String> state = new CompletableFuture<>();
                    p.offerer.execute(() -> state.complete("sent " + b.sent + ", bufferedAmount " + bulk.near().bufferedAmount()));
                    CompletableFuture<String> far = new CompletableFuture<>();
                    p.answerer.execute(() -> far.complete("received " + b.received));
                    print(String.format("jrtc-alloc message=%d B: STALLED, not all %d messages arrived within %d s: %s, %s; "
                            + "offerer %s, answerer %s", size, b.total, stallSeconds, state.get(5, TimeUnit.SECONDS),
                            far.get(5, TimeUnit.SECONDS), sctpState(p.offerer), sctpState(p.answerer)));
                    LOG.warn("bulk phase of {} B messages stalled; later phases skipped", size);
                    break;
                }
                double secs = (b.timeEnd - b.timeStart) / 1e9;
                print(String.format("jrtc-alloc message=%d B: %d messages (after %d warm-up) in %.2f s (%.0f messages/s): "
                        + "allocated %.0f B per message (%.2f B per payload byte); bytes received %d of %d",
                        size, measured, measured / 2, secs, measured / secs, (double) (b.allocEnd - b.allocStart) / measured,
                        (double) (b.allocEnd - b.allocStart) / measured / size, b.bytes, (long) b.total * size));
            }
        }
    }

    /** The connection state and the SCTP transport's counters (windows, retransmissions, buffered amount). */
    private static String sctpState(PeerConnection pc) throws Exception {
        return pc.connectionState() + " " + pc.getStats().get(5, TimeUnit.SECONDS).first(RtcStats.SctpTransport.class)
                .map(Object::toString).orElse("(no SCTP transport)");
    }

    private static void print(String line) {
        LOG.info(line);
        System.out.println(line);
    }

    /**
     * Runs {@code task} on {@code pc}'s loop and waits for it. A listener must be in place before the other end sends:
     * a task merely queued on the receiving loop can run after the first datagram the sender puts on the wire (the loop
     * handles what its select returned before its queued tasks), and a message that finds no {@code onMessage} is
     * dropped: the burst then ended one message short and was reported as STALLED ("received 11999" of 12,000).
     */
    private static void onLoop(PeerConnection pc, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.execute(() -> {
            task.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** Opens a further channel on the connected pair (in-band DCEP) and waits for both of its ends. */
    private static LoopbackPeers.Channel openSecond(LoopbackPeers p, String label) throws Exception {
        CompletableFuture<DataChannel> far = new CompletableFuture<>();
        // Set from this thread before the channel is created, not through answerer.execute: that task races with the
        // OPEN, and the answerer's loop handles the datagrams it reads before its queued tasks. Straight after a burst
        // that loop is still busy reading, so about one run in four it read the OPEN first and the previous phase's
        // listener (whose future was already complete) took the channel: "onDataChannel did not fire".
        // The setter is safe from any thread (a volatile field); the listener runs on the answerer's loop.
        p.answerer.onDataChannel(ch -> {
            if (!far.complete(ch)) {
                LOG.warn("channel '{}' announced while '{}' was already open; ignored", ch.label(), label);
            }
        });
        CompletableFuture<DataChannel> near = new CompletableFuture<>();
        p.offerer.execute(() -> near.complete(p.offerer.createDataChannel(label)));
        DataChannel ch = near.get(10, TimeUnit.SECONDS);
        LoopbackPeers.opened(p.offerer, ch).get(10, TimeUnit.SECONDS);
        try {
            return new LoopbackPeers.Channel(ch, far.get(10, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            TimeoutException named = new TimeoutException("the offerer's end of '" + label + "' is " + ch.readyState()
                    + " but the answerer's onDataChannel did not fire");
            named.initCause(e);
            throw named;
        }
    }

    /** Sequential echoes, driven entirely from the offerer's event loop. */
    private static final class Echoes {
        final DataChannel ch;
        final int warm;
        final int total;
        final long[] rtts;
        final com.sun.management.ThreadMXBean threads;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final byte[] payload = new byte[ECHO_SIZE];
        int next;
        long sentAt;
        long mismatches;
        long allocStart;
        long allocEnd;

        Echoes(DataChannel ch, int warm, int measured, com.sun.management.ThreadMXBean threads) {
            this.ch = ch;
            this.warm = warm;
            this.total = warm + measured;
            this.rtts = new long[total];
            this.threads = threads;
        }

        void start() {
            ch.onMessage(this::received);
            send();
        }

        private void send() {
            if (next == warm) {
                allocStart = threads.getTotalThreadAllocatedBytes();
            }
            ByteBuffer.wrap(payload).putInt(0, next);
            sentAt = System.nanoTime();
            ch.send(ByteBuffer.wrap(payload));
        }

        private void received(DataChannelMessage m) {
            long now = System.nanoTime();
            ByteBuffer d = m.data();
            if (d.remaining() != ECHO_SIZE || d.getInt(d.position()) != next) {
                mismatches++;
            }
            rtts[next++] = now - sentAt;
            if (next == total) {
                allocEnd = threads.getTotalThreadAllocatedBytes();
                done.complete(null);
            } else {
                send();
            }
        }
    }

    /** A one-way burst of a fixed number of messages; the receiver reads the allocation counter at two counts. */
    private static final class Burst {
        final DataChannel ch;
        final byte[] payload;
        final int warm;
        final int total;
        final com.sun.management.ThreadMXBean threads;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int sent;
        int received;
        long bytes;
        volatile long allocStart;
        volatile long allocEnd;
        volatile long timeStart;
        volatile long timeEnd;

        Burst(DataChannel ch, int size, int warm, int measured, com.sun.management.ThreadMXBean threads) {
            this.ch = ch;
            this.payload = new byte[size];
            this.warm = warm;
            this.total = warm + measured;
            this.threads = threads;
        }

        void start() {
            ch.setBufferedAmountLowThreshold(2 * 1024 * 1024);
            ch.onBufferedAmountLow(this::pump);
            pump();
        }

        private void pump() {
            while (sent < total && ch.bufferedAmount() < 4 * 1024 * 1024) {
                ch.send(ByteBuffer.wrap(payload));
                sent++;
            }
        }

        void received(DataChannelMessage m) {
            bytes += m.size();
            received++;
            if (received == warm) {
                timeStart = System.nanoTime();
                allocStart = threads.getTotalThreadAllocatedBytes();
            } else if (received == total) {
                allocEnd = threads.getTotalThreadAllocatedBytes();
                timeEnd = System.nanoTime();
                done.complete(null);
            }
        }
    }
}
