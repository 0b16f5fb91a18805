package io.jrtc.testkit;

import io.jrtc.common.DatagramCore;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One direction of an emulated network path. Packets go in with {@link #send(long, byte[])} and come out of
 * {@link #poll(long)} once their arrival time has come. Every random choice comes from a seeded generator, so
 * the same seed and the same inputs give the same deliveries. No I/O, no threads, no clock.
 *
 * <p>Order of effects for each packet: MTU check, loss (random or Gilbert-Elliott), bottleneck queue and
 * serialisation at the configured rate, propagation delay with jitter, reordering hold, duplication.
 */
public final class NetemLink {

    /** Counters for one link. */
    public record Stats(long sent, long delivered, long lost, long queueDrops, long mtuDrops, long duplicated, long reordered, long bytesDelivered) {
    }

    private record InFlight(long arrival, long seq, byte[] data) {
    }

    private final NetemConfig config;
    private final SplittableRandom rng;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((x, y) -> {
        int c = Long.compare(x.arrival, y.arrival);
        return c != 0 ? c : Long.compare(x.seq, y.seq);
    });

    private boolean geBad;
    private long busyUntil;
    private long lastInOrderArrival;
    private long seq;

    private long sent;
    private long delivered;
    private long lost;
    private long queueDrops;
    private long mtuDrops;
    private long duplicated;
    private long reordered;
    private long bytesDelivered;

    public NetemLink(NetemConfig config, long seed) {
        this.config = config;
        this.rng = new SplittableRandom(seed);
    }

    public NetemConfig config() {
        return config;
    }

    /** Offers a packet to the link at time {@code now}. The array is not copied; do not modify it afterwards. */
    public void send(long now, byte[] packet) {
        sent++;
        if (config.mtu() > 0 && packet.length > config.mtu()) {
            mtuDrops++;
            return;
        }
        if (isLost()) {
            lost++;
            return;
        }
        long departure = now;
        if (config.rateBitsPerSecond() > 0) {
            long start = Math.max(now, busyUntil);
            long backlogNanos = start - now;
            long backlogBytes = backlogNanos * config.rateBitsPerSecond() / 8_000_000_000L;
            if (config.queueLimitBytes() > 0 && backlogBytes + packet.length > config.queueLimitBytes()) {
                queueDrops++;
                return;
            }
            long txNanos = packet.length * 8_000_000_000L / config.rateBitsPerSecond();
            busyUntil = start + txNanos;
            departure = busyUntil;
        }
        long delay = config.delayNanos();
        if (config.jitterNanos() > 0) {
            delay += rng.nextLong(-config.jitterNanos(), config.jitterNanos() + 1);
        }
        long arrival = Math.max(departure + delay, lastInOrderArrival);
        if (config.reorderRate() > 0 && rng.nextDouble() < config.reorderRate()) {
            reordered++;
            arrival += config.reorderDelayNanos();
        } else {
            lastInOrderArrival = arrival;
        }
        inFlight.add(new InFlight(arrival, seq++, packet));
        if (config.duplicateRate() > 0 && rng.nextDouble() < config.duplicateRate()) {
            duplicated++;
            long extra = config.jitterNanos() > 0 ? rng.nextLong(0, config.jitterNanos() + 1) : 0;
            inFlight.add(new InFlight(arrival + extra, seq++, packet.clone()));
        }
    }

    private boolean isLost() {
        GilbertElliott ge = config.burstLoss();
        if (ge != null) {
            double u = rng.nextDouble();
            geBad = geBad ? !(u < ge.pBadToGood()) : u < ge.pGoodToBad();
            double p = geBad ? ge.lossInBad() : ge.lossInGood();
            return p > 0 && rng.nextDouble() < p;
        }
        return config.lossRate() > 0 && rng.nextDouble() < config.lossRate();
    }

    /** Arrival time of the next packet in flight, or {@link DatagramCore#NO_TIMEOUT}. */
    public long nextDelivery() {
        InFlight head = inFlight.peek();
        return head == null ? DatagramCore.NO_TIMEOUT : head.arrival;
    }

    /** The next packet whose arrival time is at or before {@code now}, or null. */
    public byte[] poll(long now) {
        InFlight head = inFlight.peek();
        if (head == null || head.arrival > now) {
            return null;
        }
        inFlight.poll();
        delivered++;
        bytesDelivered += head.data.length;
        return head.data;
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public Stats stats() {
        return new Stats(sent, delivered, lost, queueDrops, mtuDrops, duplicated, reordered, bytesDelivered);
    }
}
