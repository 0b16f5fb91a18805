package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
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

    /**
     * A loop busy for longer than the rescue delay with many handshake resumptions waiting (a burst of handshakes on
     * one loop) has them all run by the JVM's few rescue threads: the platform thread count does not climb with the
     * load, and the rescue threads end once idle.
     */
    @Test
    void manyWaitingResumptionsShareTheFewRescueThreads() throws Exception {
        assumeTrue(HandshakeThreads.loopCarrierAvailable(), "loop-carried handshakes are off in this JVM");
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-busy-loop"));
        CountDownLatch loopFree = new CountDownLatch(1);
        int handshakes = 24;
        CountDownLatch done = new CountDownLatch(handshakes);
        try {
            loop.execute(() -> {
                try {
                    loopFree.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long rescuedBefore = HandshakeThreads.rescuedResumptions();
            Executor onLoop = HandshakeThreads.onLoop(loop);
            for (int i = 0; i < handshakes; i++) {
                onLoop.execute(() -> {
                    // each "flight": a little work, then a park (another resumption)
                    long sink = 0;
                    for (int k = 0; k < 3; k++) {
                        for (int j = 0; j < 200_000; j++) {
                            sink += j ^ k;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                    if (sink != 42) {
                        done.countDown();
                    }
                });
            }
            int most = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (done.getCount() > 0) {
                most = Math.max(most, rescueThreadsAlive());
                assertThat(System.nanoTime()).as("%d handshakes still waiting", done.getCount()).isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(HandshakeThreads.rescuedResumptions() - rescuedBefore).as("resumptions run by rescue threads")
                    .isGreaterThanOrEqualTo(handshakes);
            assertThat(most).as("rescue threads alive at once").isBetween(1, HandshakeThreads.RESCUERS_MAX);
            long idleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (rescueThreadsAlive() > 0) {
                assertThat(System.nanoTime()).as("idle rescue threads end").isLessThan(idleBy);
                Thread.onSpinWait();
            }
        } finally {
            loopFree.countDown();
            loop.shutdownNow();
        }
    }

    private static int rescueThreadsAlive() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("jrtc-dtls-rescue")).count();
    }

    private static void awaitQueued(ReentrantLock lock, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lock.getQueueLength() < n) {
            assertThat(System.nanoTime()).as("%d threads queued for the lock", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
