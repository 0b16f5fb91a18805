package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * A handshake thread and its owner's loop share locks they do not know of (System.err's, a logging backend's, a JCA
 * provider's). Three parties: the handshake thread H waits for a lock that a third thread T holds; meanwhile the loop
 * runs a task that waits for the same lock, queued behind H; T releases it and hands it to H. If H's only carrier were
 * the loop, H could never run (the loop is parked in the lock's queue) and nobody would ever run again: the
 * {@code ./jrtc echo} process of the churn soak froze so. {@link HandshakeThreads#onLoop} must not strand the loop.
 */
class LoopCarriedHandshakesCannotStrandTheLoop {

    @Test
    void aLockWantedByTheHandshakeAndByTheLoopIsHandedOverAndBothGoOn() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
        ReentrantLock shared = new ReentrantLock();
        CountDownLatch tHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handshakeDone = new CountDownLatch(1);
        CountDownLatch loopTaskDone = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            shared.lock();
            try {
                tHolds.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                shared.unlock();
            }
        }, "test-holder");
        try {
            t.start();
            assertThat(tHolds.await(10, TimeUnit.SECONDS)).isTrue();
            // H: waits for the lock (first in its queue)
            HandshakeThreads.onLoop(loop).execute(() -> {
                shared.lock();
                shared.unlock();
                handshakeDone.countDown();
            });
            awaitQueued(shared, 1);
            // the loop's own task: waits for the lock behind H
            loop.execute(() -> {
                shared.lock();
                shared.unlock();
                loopTaskDone.countDown();
            });
            awaitQueued(shared, 2);
            long rescuedBefore = HandshakeThreads.rescuedResumptions();
            release.countDown();
            assertThat(handshakeDone.await(10, TimeUnit.SECONDS)).as("the handshake thread got the lock").isTrue();
            assertThat(loopTaskDone.await(10, TimeUnit.SECONDS)).as("the loop's task got the lock").isTrue();
            if (HandshakeThreads.loopCarrierAvailable()) {
                // the handshake thread's resumption was queued on the parked loop: a rescue thread ran it
                assertThat(HandshakeThreads.rescuedResumptions()).isGreaterThan(rescuedBefore);
            }
        } finally {
            release.countDown();
            loop.shutdownNow();
        }
    }

    private static void awaitQueued(ReentrantLock lock, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lock.getQueueLength() < n) {
            assertThat(System.nanoTime()).as("%d threads queued for the lock", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
