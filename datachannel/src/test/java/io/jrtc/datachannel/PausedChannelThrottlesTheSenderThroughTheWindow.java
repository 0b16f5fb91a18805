package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.SctpConfig;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DataChannel#pause()}/{@link DataChannel#resume()}: what a paused channel receives is queued and stays charged
 * against the SCTP receive window, so the sender stops at the window and nothing is lost; other channels go on until
 * the paused channel's queue fills the shared window.
 */
class PausedChannelThrottlesTheSenderThroughTheWindow {

    private static final int WINDOW = 256 * 1024;
    private static final int SIZE = 16 * 1024;

    private static DcPair pair() {
        return new DcPair(SctpConfig.builder().random(new SplittableRandom(7)),
                SctpConfig.builder().random(new SplittableRandom(8)).receiveWindow(WINDOW),
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 7);
    }

    private static byte[] message(int i, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(i);
        for (int k = 4; k < size; k++) {
            b[k] = (byte) (i * 13 + k);
        }
        return b;
    }

    private static int check(DataChannelMessage m, int size) {
        ByteBuffer d = m.data();
        int i = d.getInt(d.position());
        assertThat(d.remaining()).isEqualTo(size);
        assertThat(d.mismatch(ByteBuffer.wrap(message(i, size)))).isEqualTo(-1);
        return i;
    }

    @Test
    void aPausedChannelQueuesAtMostAWindowAndResumingDeliversEverythingInOrder() {
        DcPair p = pair();
        List<DataChannelMessage> got = new ArrayList<>();
        p.server.onDataChannel(ch -> {
            ch.pause();
            ch.onMessage(m -> got.add(copy(m)));
            p.serverChannels.add(ch);
        });
        p.connect();
        DataChannel out = p.client.createDataChannel("bulk", DataChannelInit.DEFAULT);
        int n = 200; // 3.2 MB, twelve windows
        for (int i = 0; i < n; i++) {
            out.send(message(i, SIZE));
        }
        p.runFor(Duration.ofSeconds(3));
        DataChannel in = p.serverChannels.get(0);
        assertThat(got).as("nothing delivered while paused").isEmpty();
        assertThat(in.isPaused()).isTrue();
        assertThat(in.queuedReceiveAmount()).as("queued: at most the window plus one chunk")
                .isLessThanOrEqualTo(WINDOW + 1200).isGreaterThan(WINDOW - 2 * SIZE);
        assertThat(p.server.association().stats().localRwnd()).as("the queue closed the window").isLessThan(SIZE);
        assertThat(p.server.association().heldReceivedBytes()).isEqualTo(in.queuedReceiveAmount());
        assertThat(out.bufferedAmount()).as("the rest waits at the sender").isGreaterThan((long) (n - 20) * SIZE);

        in.resume();
        assertThat(got).as("resume delivers the queue at once").hasSizeGreaterThan(10);
        assertThat(p.drainRequests).isPositive();
        assertThat(p.run(() -> got.size() == n, Duration.ofSeconds(10))).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(check(got.get(i), SIZE)).isEqualTo(i);
        }
        assertThat(in.queuedReceiveAmount()).isZero();
        assertThat(p.server.association().heldReceivedBytes()).isZero();
        assertThat(in.stats().messagesReceived()).isEqualTo(n);
    }

    @Test
    void aConsumerThatPausesInsideOnMessageGetsOneMessageAtATime() {
        DcPair p = pair();
        List<Integer> got = new ArrayList<>();
        p.server.onDataChannel(ch -> {
            ch.onMessage(m -> {
                got.add(check(m, SIZE));
                ch.pause(); // one message per "tick"
            });
            p.serverChannels.add(ch);
        });
        p.connect();
        DataChannel out = p.client.createDataChannel("ticks", DataChannelInit.DEFAULT);
        int n = 60;
        for (int i = 0; i < n; i++) {
            out.send(message(i, SIZE));
        }
        int ticks = 0;
        while (got.size() < n && ticks < 1000) {
            p.runFor(Duration.ofMillis(10));
            DataChannel in = p.serverChannels.get(0);
            int before = got.size();
            in.resume();
            assertThat(got.size() - before).as("one message per resume").isLessThanOrEqualTo(1);
            assertThat(in.queuedReceiveAmount()).isLessThanOrEqualTo(WINDOW + 1200);
            ticks++;
        }
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
    }

    @Test
    void otherChannelsFlowUntilThePausedQueueFillsTheSharedWindow() {
        DcPair p = pair();
        List<Integer> fast = new ArrayList<>();
        List<Integer> slow = new ArrayList<>();
        p.server.onDataChannel(ch -> {
            if (ch.label().equals("slow")) {
                ch.pause();
                ch.onMessage(m -> slow.add(check(m, SIZE)));
            } else {
                ch.onMessage(m -> fast.add(check(m, 1024)));
            }
            p.serverChannels.add(ch);
        });
        p.connect();
        DataChannel slowOut = p.client.createDataChannel("slow", DataChannelInit.DEFAULT);
        DataChannel fastOut = p.client.createDataChannel("fast", DataChannelInit.DEFAULT);
        // half a window on the paused channel: the other channel is not affected
        for (int i = 0; i < WINDOW / SIZE / 2; i++) {
            slowOut.send(message(i, SIZE));
        }
        fastOut.send(message(0, 1024));
        assertThat(p.run(() -> fast.size() == 1, Duration.ofSeconds(1))).isTrue();
        // now fill the window through the paused channel: the other channel stalls behind it
        for (int i = WINDOW / SIZE / 2; i < 40; i++) {
            slowOut.send(message(i, SIZE));
        }
        p.runFor(Duration.ofSeconds(1));
        fastOut.send(message(1, 1024));
        p.runFor(Duration.ofSeconds(2));
        DataChannel slowIn = p.serverChannels.stream().filter(c -> c.label().equals("slow")).findFirst().orElseThrow();
        assertThat(fast).as("the shared window is closed by the paused queue").containsExactly(0);
        assertThat(slow).isEmpty();
        assertThat(slowIn.queuedReceiveAmount()).isGreaterThan(WINDOW - 2 * SIZE);

        slowIn.resume();
        assertThat(p.run(() -> fast.size() == 2 && slow.size() == 40, Duration.ofSeconds(10))).isTrue();
        assertThat(fast).containsExactly(0, 1);
        for (int i = 0; i < 40; i++) {
            assertThat(slow.get(i)).isEqualTo(i);
        }
    }

    @Test
    void aPausedChannelClosedByThePeerDeliversWhatItHeldBeforeOnClose() {
        DcPair p = pair();
        List<String> events = new ArrayList<>();
        p.server.onDataChannel(ch -> {
            ch.pause();
            ch.onMessage(m -> events.add("message " + check(m, 1024)));
            ch.onClose(() -> events.add("close"));
            p.serverChannels.add(ch);
        });
        p.connect();
        DataChannel out = p.client.createDataChannel("closing", DataChannelInit.DEFAULT);
        for (int i = 0; i < 3; i++) {
            out.send(message(i, 1024));
        }
        p.runFor(Duration.ofMillis(200));
        assertThat(p.serverChannels.get(0).queuedReceiveAmount()).isEqualTo(3 * 1024);
        out.close();
        assertThat(p.run(() -> events.contains("close"), Duration.ofSeconds(5))).isTrue();
        assertThat(events).containsExactly("message 0", "message 1", "message 2", "close");
        assertThat(p.server.association().heldReceivedBytes()).isZero();
    }

    private static DataChannelMessage copy(DataChannelMessage m) {
        ByteBuffer d = m.data();
        ByteBuffer c = ByteBuffer.allocate(d.remaining());
        c.put(d.duplicate()).flip();
        return new DataChannelMessage(c, m.isBinary());
    }
}
