package io.jrtc.perf.dtls;

import io.jrtc.dtls.DtlsConfig;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for one full DTLS 1.2 handshake (ECDHE-ECDSA P-256, mutual certificates, use_srtp, EMS) between two
 * endpoints in memory: both handshake virtual threads plus the driving thread. SampleTime gives p50/p99.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class DtlsHandshakeBenchmark {

    private final Semaphore signal = new Semaphore(0);

    @Benchmark
    public InMemoryPair handshake() throws InterruptedException {
        InMemoryPair p = new InMemoryPair(DtlsConfig.defaults(), signal);
        p.connect();
        return p;
    }
}
