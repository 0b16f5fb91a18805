package io.jrtc.signaling.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Collects what a client's listener receives, for assertions from the test thread. */
final class Inbox<T> implements Consumer<T> {

    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    volatile Thread lastThread;

    @Override
    public void accept(T t) {
        lastThread = Thread.currentThread();
        queue.add(t);
    }

    /** The next item, waiting up to {@code timeout}; fails the test on timeout. */
    T next(Duration timeout) throws InterruptedException {
        T t = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("nothing received within " + timeout);
        }
        return t;
    }

    T next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next item of {@code type}, skipping others. */
    <U extends T> U next(Class<U> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
            }
            T t = queue.poll(left, TimeUnit.NANOSECONDS);
            if (t != null && type.isInstance(t)) {
                return type.cast(t);
            }
        }
    }

    <U extends T> U next(Class<U> type) throws InterruptedException {
        return next(type, Duration.ofSeconds(10));
    }

    /** Null if nothing arrives within {@code quiet}. */
    T poll(Duration quiet) throws InterruptedException {
        return queue.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    }
}
