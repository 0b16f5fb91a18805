package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test traffic for data channels: checkable message patterns, and sending that respects {@code bufferedAmount}. */
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
}
