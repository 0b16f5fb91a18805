package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Data channel traffic over an {@link RtcPair}: A opens channels, B records what arrives per label, byte for byte.
 * Payloads are seeded, of 1 to 3,000 bytes (so some span several SCTP packets), each starting with its index.
 */
final class Traffic {

    final RtcPair pair;
    /** What B received, per channel label, in arrival order. */
    final Map<String, List<byte[]>> received = new HashMap<>();
    /** What A sent, per channel label, in send order. */
    final Map<String, List<byte[]>> sent = new HashMap<>();
    private final SplittableRandom random;

    Traffic(RtcPair pair, long seed) {
        this.pair = pair;
        this.random = new SplittableRandom(seed);
        pair.b.listener = e -> {
            if (e instanceof RtcEvent.DataChannelOpened o) {
                DataChannel ch = o.channel();
                List<byte[]> into = received.computeIfAbsent(ch.label(), k -> new ArrayList<>());
                ch.onMessage(m -> {
                    byte[] bytes = new byte[m.data().remaining()];
                    m.data().duplicate().get(bytes);
                    into.add(bytes);
                });
            }
        };
    }

    /** Opens a channel from A and runs until it is open on A. */
    DataChannel open(String label, DataChannelInit init) {
        DataChannel ch = pair.a.core.createDataChannel(label, init);
        boolean open = pair.runUntil(() -> ch.readyState() == DataChannelState.OPEN, java.time.Duration.ofSeconds(30));
        if (!open) {
            throw new AssertionError("channel " + label + " not open: " + ch.readyState());
        }
        return ch;
    }

    /** Sends {@code n} seeded messages on {@code ch} (on the driver's thread, between steps). */
    void send(DataChannel ch, int n) {
        List<byte[]> log = sent.computeIfAbsent(ch.label(), k -> new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int size = 4 + random.nextInt(3000);
            byte[] m = new byte[size];
            random.nextBytes(m);
            int index = log.size();
            m[0] = (byte) (index >>> 24);
            m[1] = (byte) (index >>> 16);
            m[2] = (byte) (index >>> 8);
            m[3] = (byte) index;
            log.add(m);
            ch.send(m);
        }
    }

    int receivedCount(String label) {
        return received.getOrDefault(label, List.of()).size();
    }

    boolean allArrived() {
        for (Map.Entry<String, List<byte[]>> e : sent.entrySet()) {
            if (receivedCount(e.getKey()) < e.getValue().size()) {
                return false;
            }
        }
        return true;
    }
}
