package io.jrtc.testkit;

import java.util.concurrent.TimeUnit;

/** Stopping a started process together with the processes it started. */
public final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Asks {@code process} and its descendants to stop (SIGTERM), waits up to 5 s, then kills them (SIGKILL) and waits
     * up to 5 s more. An interrupt ends the wait and keeps the thread's interrupt status.
     */
    public static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
