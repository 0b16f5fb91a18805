package io.jrtc.cli.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a long-running command learns that it should stop: SIGINT (Ctrl-C) or SIGTERM. The signals are caught
 * ({@code sun.misc.Signal}), so the command cleans up and the process exits with code 0; a second signal while
 * stopping ends the process at once (exit code 130). Where the signals cannot be caught (a JVM started with
 * {@code -Xrs}), a shutdown hook does the cleanup instead and the JVM's own exit code (130/143) stands.
 */
public final class StopSignal {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

    private final CompletableFuture<String> stop = new CompletableFuture<>();
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private StopSignal() {
    }

    /** Starts listening for SIGINT and SIGTERM. */
    public static StopSignal install() {
        StopSignal s = new StopSignal();
        boolean caught = true;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> s.onSignal("SIG" + sig.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                caught = false;
                LOG.debug("cannot catch SIG{}: {}", name, e.getMessage());
            }
        }
        if (!caught) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s.stop.complete("shutdown");
                try {
                    s.cleanedUp.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "jrtc-shutdown"));
        }
        return s;
    }

    private void onSignal(String name) {
        if (!stop.complete(name)) {
            LOG.warn("{} again: stopping now", name);
            Runtime.getRuntime().halt(130);
        }
        LOG.info("{}: stopping (send it again to stop at once)", name);
    }

    /** Stops the wait from inside the process (tests, a fatal condition). */
    public void trigger(String why) {
        stop.complete(why);
    }

    /** Completes with the signal's name when one arrives. */
    public CompletableFuture<String> future() {
        return stop;
    }

    /** Blocks until a signal arrives; returns its name. */
    public String await() throws InterruptedException {
        try {
            return stop.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return "error";
        }
    }

    /** Tells a waiting shutdown hook that cleanup is over. */
    public void cleanedUp() {
        cleanedUp.countDown();
    }
}
