package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java to Java over loopback UDP: a consumer that takes 1 MB/s (it pauses its channel and resumes it on a 10 ms
 * schedule with a 10 KB credit per tick), a sender that pushes as fast as {@code bufferedAmount} and
 * {@code onBufferedAmountLow} let it. The consumer's unconsumed bytes stay in SCTP's receive window, so the sender is
 * throttled by SCTP: the sender's {@code bufferedAmount} rises to its high-water mark and {@code onBufferedAmountLow}
 * paces it, nothing is lost (SHA-256 of the stream), and both sides hold a bounded amount (the receiver at most a
 * window plus a message, the sender at most its high-water mark plus a message), not the transfer size.
 */
class SlowConsumerThrottlesTheSenderThroughTheWindow {

    private static final Logger LOG = LoggerFactory.getLogger(SlowConsumerThrottlesTheSenderThroughTheWindow.class);

    private static final int SIZE = 64 * 1024;
    private static final int COUNT = 160;                      // 10.5 MB: 2.5 receive windows past everything buffered
    private static final long HIGH_WATER = 1L << 20;
    private static final long LOW_WATER = 256L * 1024;
    private static final long RECEIVE_WINDOW = 4L << 20;      // SctpConfig's default a_rwnd
    private static final int CREDIT_PER_TICK = 10_000;         // 10 KB every 10 ms: 1 MB/s
    private static final long TOTAL = (long) SIZE * COUNT;

    @Test
    void aOneMegabytePerSecondConsumerPacesAFastSenderAndLosesNothing() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2); LoopbackPair p = new LoopbackPair(factory)) {
            MessageDigest receivedDigest = MessageDigest.getInstance("SHA-256");
            MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Void> allReceived = new CompletableFuture<>();
            long[] receiver = new long[3]; // bytes received, credit, max queued while paused
            ScheduledFuture<?>[] ticker = new ScheduledFuture<?>[1];
            p.answerer.onDataChannel(in -> {
                in.pause(); // consumes only on the schedule below
                in.onMessage(m -> {
                    receivedDigest.update(m.data().duplicate());
                    receiver[0] += m.size();
                    receiver[1] -= m.size();
                    if (receiver[1] <= 0) {
                        in.pause();
                    }
                    if (receiver[0] == TOTAL) {
                        allReceived.complete(null);
                    }
                });
                ticker[0] = p.answerer.eventLoop().scheduleAtFixedRate(() -> {
                    receiver[2] = Math.max(receiver[2], in.queuedReceiveAmount());
                    receiver[1] = Math.min(receiver[1] + CREDIT_PER_TICK, CREDIT_PER_TICK);
                    if (receiver[1] > 0) {
                        in.resume();
                    }
                }, 10, 10, TimeUnit.MILLISECONDS);
            });

            DataChannel out = p.offerer.createDataChannel("bulk");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, out).get(10, TimeUnit.SECONDS);
            long[] sender = new long[3]; // messages sent, max bufferedAmount, onBufferedAmountLow count
            CompletableFuture<Void> allSent = new CompletableFuture<>();
            Runnable pump = () -> {
                try {
                    while (sender[0] < COUNT && out.bufferedAmount() < HIGH_WATER) {
                        ByteBuffer m = message((int) sender[0]);
                        sentDigest.update(m.duplicate());
                        out.send(m);
                        sender[0]++;
                        sender[1] = Math.max(sender[1], out.bufferedAmount());
                    }
                    if (sender[0] == COUNT) {
                        allSent.complete(null);
                    }
                } catch (RuntimeException e) {
                    allSent.completeExceptionally(e);
                }
            };
            long start = System.nanoTime();
            p.offerer.execute(() -> {
                out.setBufferedAmountLowThreshold(LOW_WATER);
                out.onBufferedAmountLow(() -> {
                    sender[2]++;
                    pump.run();
                });
                pump.run();
            });

            allSent.get(60, TimeUnit.SECONDS);
            allReceived.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            p.answerer.execute(() -> {
                ticker[0].cancel(false);
                stopped.complete(null);
            });
            stopped.get(5, TimeUnit.SECONDS);
            LOG.info("{} bytes in {} s ({} MB/s); receiver queued at most {} bytes; sender bufferedAmount at most {} bytes, "
                    + "{} onBufferedAmountLow", TOTAL, String.format("%.2f", seconds), String.format("%.2f", TOTAL / seconds / 1e6),
                    receiver[2], sender[1], sender[2]);

            assertThat(receivedDigest.digest()).as("SHA-256 of the stream").isEqualTo(sentDigest.digest());
            assertThat(sender[1]).as("the sender's bufferedAmount rose past its threshold")
                    .isGreaterThan(LOW_WATER).isLessThanOrEqualTo(HIGH_WATER + SIZE);
            assertThat(sender[2]).as("onBufferedAmountLow paced the sender").isPositive();
            assertThat(receiver[2]).as("the receiver's queue filled the window and stayed within it")
                    .isGreaterThan(RECEIVE_WINDOW / 2).isLessThanOrEqualTo(RECEIVE_WINDOW + SIZE);
            // the sender could do this in well under a second; the consumer's 1 MB/s set the pace beyond the buffers
            double minSeconds = (TOTAL - RECEIVE_WINDOW - HIGH_WATER - RECEIVE_WINDOW) / 1e6 / 1.25;
            assertThat(seconds).as("paced by the consumer (%.1f s for %d bytes)", seconds, TOTAL).isGreaterThan(minSeconds);
            p.assertConnected();
        }
    }

    private static ByteBuffer message(int i) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        long x = 0x9E3779B97F4A7C15L * (i + 1);
        while (b.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(x);
        }
        return b.flip();
    }
}
