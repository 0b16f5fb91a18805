package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Test traffic for data channels: checkable message patterns, sending that respects {@code bufferedAmount}, waiting for
 * a channel to open, and echo round trips compared byte for byte.
 */
public final class ChannelTraffic {

    private ChannelTraffic() {
    }

    /**
     * Message {@code i} of {@code label}: a string that starts {@code label#i#} and includes multi-byte UTF-8, or bytes
     * starting with {@code i} and the length, the rest derived from both. The same pattern as interop/harness's.
     */
    public static byte[] payload(String label, int i, int size, boolean binary) {
        if (!binary) {
            StringBuilder sb = new StringBuilder(label).append('#').append(i).append('#');
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_ÅÉßλ€";
            int k = 0;
            while (sb.toString().getBytes(StandardCharsets.UTF_8).length < size) {
                sb.append(alphabet.charAt((i + k++) % alphabet.length()));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = new byte[Math.max(size, 8)];
        ByteBuffer.wrap(b).putInt(i).putInt(b.length);
        for (int j = 8; j < b.length; j++) {
            b[j] = (byte) (i * 31 + j * 7 + label.length());
        }
        return b;
    }

    /**
     * Sends every message on the channel's loop, keeping at most 1 MB queued and refilling on
     * {@code onBufferedAmountLow}; returns when all are handed to the channel.
     */
    public static void sendAll(PeerConnection pc, DataChannel ch, List<byte[]> messages, boolean binary, Duration timeout)
            throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            try {
                while (next[0] < messages.size() && ch.bufferedAmount() < 1_000_000) {
                    byte[] m = messages.get(next[0]++);
                    if (binary) {
                        ch.send(ByteBuffer.wrap(m));
                    } else {
                        ch.send(new String(m, StandardCharsets.UTF_8));
                    }
                }
                if (next[0] >= messages.size()) {
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        };
        pc.execute(() -> {
            ch.setBufferedAmountLowThreshold(256 * 1024);
            ch.onBufferedAmountLow(pump[0]);
            pump[0].run();
        });
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when {@code ch} is open (at once if it already is); the check runs on the connection's loop. */
    public static CompletableFuture<Void> opened(PeerConnection pc, DataChannel ch) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.execute(() -> {
            if (ch.readyState() == DataChannelState.OPEN) {
                f.complete(null);
            } else {
                ch.onOpen(() -> f.complete(null));
            }
        });
        return f;
    }

    /** Completes with the first channel the remote side opens on {@code pc}. */
    public static CompletableFuture<DataChannel> remoteChannel(PeerConnection pc) {
        CompletableFuture<DataChannel> f = new CompletableFuture<>();
        pc.onDataChannel(f::complete);
        return f;
    }

    /**
     * Sends {@code count} binary messages ({@link #payload} of {@code sizeOf(i)} bytes) on {@code ch}, whose remote end
     * echoes each, and asserts every echo equals what was sent, in order; {@code describe(i)} names echo {@code i} in a
     * failure. {@code timeout} bounds the sending and, again, the wait for the last echo.
     */
    public static void echoBinary(PeerConnection pc, DataChannel ch, int count, IntUnaryOperator sizeOf, Duration timeout,
            IntFunction<String> describe) throws Exception {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(payload(ch.label(), i, sizeOf.applyAsInt(i), true));
        }
        List<byte[]> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        pc.execute(() -> ch.onMessage(m -> {
            byte[] b = new byte[m.data().remaining()];
            m.data().duplicate().get(b);
            got.add(b);
            if (got.size() == count) {
                all.complete(null);
            }
        }));
        sendAll(pc, ch, sent, true, timeout);
        all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < count; i++) {
            assertThat(Arrays.equals(got.get(i), sent.get(i))).as(describe.apply(i)).isTrue();
        }
    }
}
