package io.jrtc.perf.dtls;

import io.jrtc.dtls.DtlsConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Application records through a connected pair on one thread: {@code send} (encrypt, AES-128-GCM) on the client,
 * {@code handleInput} (decrypt) on the server and the {@code ApplicationData} event. One op = one record each way
 * through the crypto, i.e. ops/s = records/s; multiply by the payload size for bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class DtlsRecordBenchmark {

    @Param({"1200"})
    public int payload;

    /**
     * Associations the records take turns on, as on an event loop that serves many connections (a mesh agent's 20
     * links, many agents in one process): 1 is one association alone.
     */
    @Param({"1", "16"})
    public int associations;

    private InMemoryPair[] pairs;
    private int next;
    private ByteBuffer data;

    @Setup(Level.Trial)
    public void connect() throws InterruptedException {
        pairs = new InMemoryPair[associations];
        for (int i = 0; i < associations; i++) {
            pairs[i] = new InMemoryPair(DtlsConfig.defaults(), new Semaphore(0));
            pairs[i].connect();
        }
        data = ByteBuffer.allocate(payload);
    }

    @TearDown(Level.Trial)
    public void check() {
        for (InMemoryPair pair : pairs) {
            if (pair.received == 0) {
                throw new IllegalStateException("no record was delivered");
            }
            pair.client.close();
        }
    }

    @Benchmark
    public int encryptThenDecrypt() {
        InMemoryPair pair = pairs[next];
        next = next + 1 == pairs.length ? 0 : next + 1;
        data.clear();
        pair.oneRecord(data);
        return pair.received;
    }
}
