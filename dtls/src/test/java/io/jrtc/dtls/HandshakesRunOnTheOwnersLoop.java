package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link HandshakeThreads#onLoop}: both handshakes of a pair run on virtual threads carried by one owner thread (this
 * test's), resumed only by tasks that thread runs; no other thread takes part.
 */
class HandshakesRunOnTheOwnersLoop {

    @Test
    void theTestJvmAllowsLoopCarriedHandshakes() {
        // the build runs tests with --add-opens java.base/java.lang=ALL-UNNAMED; JEP 491 needs JDK 24
        assertThat(HandshakeThreads.loopCarrierAvailable()).isEqualTo(Runtime.version().feature() >= 24);
    }

    @Test
    void aWholeHandshakeRunsOnTheOwnerThread() throws Exception {
        Semaphore signal = new Semaphore(0);
        ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        Executor loop = task -> {
            tasks.add(task);
            signal.release();
        };
        Executor handshakes = HandshakeThreads.onLoop(loop);
        List<Thread> handshakeThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Executor recording = task -> handshakes.execute(() -> {
            handshakeThreads.add(Thread.currentThread());
            task.run();
        });
        DtlsConfig cfg = DtlsConfig.builder().handshakeExecutor(recording).build();
        Pump p = new Pump(signal,
                w -> new DtlsEndpoint(cfg, DtlsRole.CLIENT, Pump.CERT_1, List.of(Pump.CERT_2.fingerprint()), w),
                w -> new DtlsEndpoint(cfg, DtlsRole.SERVER, Pump.CERT_2, List.of(Pump.CERT_1.fingerprint()), w));
        p.start();
        int resumed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!p.bothConnected() && System.nanoTime() < deadline) {
            boolean ran = false;
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run(); // mounts the handshake's virtual thread on this thread until it waits again
                resumed++;
                ran = true;
            }
            if (!p.step() && !ran) {
                signal.tryAcquire(50, TimeUnit.MILLISECONDS);
            }
        }
        assertThat(p.bothConnected()).as("both connected").isTrue();
        assertThat(handshakeThreads).hasSize(2).allSatisfy(t -> assertThat(t.isVirtual()).isTrue());
        // started, then resumed for each flight it waited for: ClientHello → server flight → client flight → Finished
        assertThat(resumed).isGreaterThanOrEqualTo(4);
        assertThat(Pump.connected(p.eventsA).cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void aLoopThatRefusesTasksDoesNotStrandTheHandshake() throws Exception {
        // the loop shut down: the continuation moves to a platform thread of its own and the task still runs to its end
        Executor dead = task -> {
            throw new RejectedExecutionException("shut down");
        };
        Semaphore done = new Semaphore(0);
        HandshakeThreads.onLoop(dead).execute(done::release);
        assertThat(done.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    }
}
