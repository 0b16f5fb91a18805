package io.jrtc.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The send queue's weighted fair queueing (RFC 8260 §3.6): backlogged streams get bytes in proportion to their weights,
 * a small message on a heavy stream overtakes a backlog, equal weights alternate, a message is never interleaved with
 * another (whole messages, fragment by fragment), and a lone stream is never held back.
 */
class SendQueueSharesByWeight {

    private static final SendQueue.Listener QUIET = new SendQueue.Listener() {
        @Override
        public void bufferedAmountLow(int streamId) {
        }

        @Override
        public void expiredUnsent(OutMessage m) {
        }
    };

    private static OutMessage message(int stream, int size) {
        return new OutMessage(stream, 53, new byte[size], false, Long.MAX_VALUE, -1);
    }

    /** Produces chunks of at most {@code room} bytes until {@code bytes} have gone; returns the stream of each chunk. */
    private static List<Integer> drain(SendQueue q, int room, long bytes) {
        List<Integer> order = new ArrayList<>();
        long sent = 0;
        long tsn = 1;
        while (sent < bytes) {
            TxChunk c = q.produce(0, tsn++, room);
            if (c == null) {
                break;
            }
            order.add(c.msg.streamId);
            sent += c.length;
        }
        return order;
    }

    @Test
    void backloggedStreamsShareBytesByWeight() {
        SendQueue q = new SendQueue(QUIET);
        q.setWeight(0, 1024); // high
        q.setWeight(1, 512);  // medium
        q.setWeight(2, 128);  // very low
        for (int i = 0; i < 400; i++) {
            q.enqueue(message(0, 1000));
            q.enqueue(message(1, 1000));
            q.enqueue(message(2, 1000));
        }
        List<Integer> order = drain(q, 1200, 330_000); // while all three are backlogged
        Map<Integer, Integer> count = new HashMap<>();
        order.forEach(s -> count.merge(s, 1, Integer::sum));
        // 1024 : 512 : 128 = 8 : 4 : 1 of 330 messages = 203.1 : 101.5 : 25.4, each within one message
        assertThat(count.get(0)).isBetween(202, 204);
        assertThat(count.get(1)).isBetween(100, 103);
        assertThat(count.get(2)).isBetween(24, 27);
        // the very-low stream is served all along, not starved until the others are done
        assertThat(order.subList(0, 40)).contains(2);
    }

    @Test
    void aControlMessageOvertakesABulkBacklogAtTheNextMessageBoundary() {
        SendQueue q = new SendQueue(QUIET);
        q.setWeight(3, 128);  // bulk
        q.setWeight(0, 1024); // control
        for (int i = 0; i < 20; i++) {
            q.enqueue(message(3, 32 * 1024));
        }
        List<Integer> first = drain(q, 1200, 5_000); // bulk's first message has started: 5 chunks of it
        assertThat(first).containsOnly(3);
        q.enqueue(message(0, 40));
        List<Integer> next = drain(q, 1200, 40 * 1024);
        // the started 32 KiB message goes on to its end (no interleaving), then the control message, then bulk again
        int bulkLeft = (32 * 1024 - 5 * 1200 + 1199) / 1200;
        assertThat(next.subList(0, bulkLeft)).containsOnly(3);
        assertThat(next.get(bulkLeft)).isEqualTo(0);
        assertThat(next.subList(bulkLeft + 1, next.size())).containsOnly(3);
    }

    @Test
    void equalWeightsAlternateAndALoneStreamIsNeverHeldBack() {
        SendQueue q = new SendQueue(QUIET);
        for (int i = 0; i < 3; i++) {
            q.enqueue(message(4, 500));
            q.enqueue(message(9, 500));
        }
        assertThat(drain(q, 1200, 3_000)).containsExactly(4, 9, 4, 9, 4, 9);
        assertThat(q.hasData()).isFalse();

        // a very-low stream alone goes at once, however much a heavier stream sent before
        q.setWeight(7, 1);
        q.enqueue(message(7, 2000));
        assertThat(drain(q, 1200, 2_000)).containsExactly(7, 7);
        assertThat(q.weight(7)).isEqualTo(1);
        assertThat(q.weight(8)).isEqualTo(SendQueue.DEFAULT_WEIGHT);
        assertThatThrownBy(() -> q.setWeight(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.setWeight(1, 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
