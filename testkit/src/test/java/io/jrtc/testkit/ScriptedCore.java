package io.jrtc.testkit;

import io.jrtc.common.DatagramCore;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A test core that sends numbered packets at scripted times and records what arrives, and when. */
final class ScriptedCore implements DatagramCore {

    record Arrival(long time, int number, int length) {
    }

    private final TreeMap<Long, List<byte[]>> schedule = new TreeMap<>();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    final List<Arrival> arrivals = new ArrayList<>();
    final List<Long> timeouts = new ArrayList<>();

    void sendAt(long time, int number, int length) {
        byte[] p = new byte[Math.max(4, length)];
        ByteBuffer.wrap(p).putInt(number);
        schedule.computeIfAbsent(time, t -> new ArrayList<>()).add(p);
    }

    @Override
    public void handleInput(long nowNanos, ByteBuffer datagram) {
        arrivals.add(new Arrival(nowNanos, datagram.getInt(datagram.position()), datagram.remaining()));
    }

    @Override
    public void handleTimeout(long nowNanos) {
        timeouts.add(nowNanos);
        while (!schedule.isEmpty() && schedule.firstKey() <= nowNanos) {
            for (byte[] p : schedule.pollFirstEntry().getValue()) {
                out.add(ByteBuffer.wrap(p));
            }
        }
    }

    @Override
    public Optional<ByteBuffer> pollTransmit() {
        return Optional.ofNullable(out.poll());
    }

    @Override
    public long pollTimeout() {
        return schedule.isEmpty() ? NO_TIMEOUT : schedule.firstKey();
    }
}
