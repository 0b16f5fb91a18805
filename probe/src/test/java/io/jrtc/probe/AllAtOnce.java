package io.jrtc.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a test's cases side by side, each on its own thread, and then checks each case's outcome in turn. For cases
 * that spend their time waiting on a foreign peer's timers (consent expiry, retransmissions) rather than on the CPU:
 * run one after another they would take the sum of their waits. The test class stays one JUnit test, so nothing
 * else in the module runs beside it.
 */
final class AllAtOnce {

    /** A case's check of its result: assertions that throw. */
    interface Check<T> {
        void check(T result) throws Exception;
    }

    private AllAtOnce() {
    }

    /**
     * Runs every case of {@code cases} at once, then every check in the map's order. Throws one {@link AssertionError}
     * naming each case that failed (in its run or in its check), with the first failure as its cause and the others
     * suppressed; returns when all passed.
     */
    static <T> void run(Map<String, Callable<T>> cases, Map<String, Check<T>> checks) throws InterruptedException {
        Map<String, Future<T>> running = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(cases.size(), r -> {
            Thread t = new Thread(r, "probe-case");
            t.setDaemon(true);
            return t;
        });
        List<String> failed = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try {
            cases.forEach((name, c) -> running.put(name, pool.submit(c)));
            for (Map.Entry<String, Future<T>> e : running.entrySet()) {
                try {
                    checks.get(e.getKey()).check(e.getValue().get());
                } catch (ExecutionException ex) {
                    failed.add(e.getKey());
                    causes.add(ex.getCause());
                } catch (Exception | AssertionError ex) {
                    failed.add(e.getKey());
                    causes.add(ex);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failed.isEmpty()) {
            AssertionError all = new AssertionError(failed.size() + " of " + cases.size() + " cases failed: " + failed
                    + "; first: " + causes.get(0), causes.get(0));
            causes.subList(1, causes.size()).forEach(all::addSuppressed);
            throw all;
        }
    }
}
