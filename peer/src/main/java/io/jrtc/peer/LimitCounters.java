package io.jrtc.peer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** A factory's limit counters ({@link RtcLimitStats}), updated from every loop. Thread-safe. */
final class LimitCounters {

    final AtomicInteger peerConnections = new AtomicInteger();
    final LongAdder peerConnectionsRefused = new LongAdder();
    final LongAdder connectTimeouts = new LongAdder();
    final LongAdder localDataChannelsRefused = new LongAdder();
    final LongAdder remoteDataChannelsRefused = new LongAdder();
    final LongAdder remoteDescriptionsTooLarge = new LongAdder();
    final LongAdder remoteDescriptionsWithTooManyCandidates = new LongAdder();
    final LongAdder remoteCandidatesRefused = new LongAdder();
    final LongAdder queuedRemoteCandidatesRefused = new LongAdder();
    final LongAdder sendsRefusedBufferFull = new LongAdder();

    /** Takes a connection slot unless {@code max} are held; false (and counted) when full. */
    boolean tryAcquire(int max) {
        for (;;) {
            int n = peerConnections.get();
            if (n >= max) {
                peerConnectionsRefused.increment();
                return false;
            }
            if (peerConnections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        peerConnections.decrementAndGet();
    }

    RtcLimitStats snapshot() {
        return new RtcLimitStats(peerConnections.get(), peerConnectionsRefused.sum(), connectTimeouts.sum(),
                localDataChannelsRefused.sum(), remoteDataChannelsRefused.sum(), remoteDescriptionsTooLarge.sum(),
                remoteDescriptionsWithTooManyCandidates.sum(), remoteCandidatesRefused.sum(),
                queuedRemoteCandidatesRefused.sum(), sendsRefusedBufferFull.sum());
    }
}
