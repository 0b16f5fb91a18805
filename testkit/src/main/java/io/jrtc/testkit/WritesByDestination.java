package io.jrtc.testkit;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the writes an ICE edge makes, by destination: pass {@code writes::record} as the edge's write observer
 * ({@code IceConfig.builder().writeObserver(writes::record)}). Under {@code iceTransportPolicy: relay} every key must
 * be a TURN server, which proves that nothing went on a non-relay path. Recorded on the edge's event loop, read from
 * the test thread.
 */
public final class WritesByDestination {

    private final Map<InetSocketAddress, LongAdder> writes = new ConcurrentHashMap<>(4);

    /** One write of {@code bytes} bytes to {@code destination} (the shape of {@code IceWriteObserver.written}). */
    public void record(InetSocketAddress destination, int bytes) {
        writes.computeIfAbsent(destination, k -> new LongAdder()).increment();
    }

    /** Writes so far, by destination: a snapshot. */
    public Map<InetSocketAddress, Long> snapshot() {
        Map<InetSocketAddress, Long> out = new HashMap<>();
        writes.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }

    /** Writes so far to {@code destination}. */
    public long to(InetSocketAddress destination) {
        LongAdder a = writes.get(destination);
        return a == null ? 0 : a.sum();
    }
}
