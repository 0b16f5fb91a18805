package io.jrtc.mesh.internal.edge;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting on a condition in the edge's tests over real connections. */
final class Await {

    private Await() {
    }

    /** Polls {@code c} until it holds; an AssertionError naming {@code what} after 30 s. */
    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50); // polling interval of the condition
        }
    }
}
