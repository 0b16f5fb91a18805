package io.jrtc.perf.sctp;

import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SendOptions;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SCTP core alone: two associations back to back in memory, one thread, no crypto. Each operation is one
 * message sent by A and delivered whole by B (send, fragmentation, packet building, checksum, parsing, SACKs,
 * reassembly). Score = messages per second; goodput = score x messageSize.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar SctpThroughputBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SctpThroughputBenchmark {

    /** Messages per JMH invocation: enough to keep the window full, few enough to fit the send buffer. */
    static final int BATCH = 64;

    @Param({"1024", "65536"})
    public int messageSize;

    /** RFC 9653 zero checksum (what WebRTC peers negotiate over DTLS) or CRC32c on every packet. */
    @Param({"true", "false"})
    public boolean zeroChecksum;

    /**
     * How A's packets are read: {@code pollTransmit()} (one fresh contiguous buffer per packet) or
     * {@code pollTransmitGather()} copied once into a reused buffer, as DTLS encrypting the ranges would read them.
     */
    @Param({"flat", "gather"})
    public String transmit;

    private SctpLoopback loop;
    private ByteBuffer message;
    private long sent;

    @Setup(Level.Trial)
    public void setup() {
        SctpConfig.Builder c = SctpConfig.builder().zeroChecksum(zeroChecksum).maxSendBuffer(16L << 20);
        loop = new SctpLoopback(c, 42);
        loop.useGather("gather".equals(transmit));
        message = ByteBuffer.allocate(messageSize);
        for (int i = 0; i < messageSize; i++) {
            message.put(i, (byte) i);
        }
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public void sendAndDeliver(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            loop.a.send(loop.now(), 1, 53, message, SendOptions.RELIABLE);
        }
        sent += BATCH;
        loop.deliverUntil(sent);
        bh.consume(loop.deliveredBytes());
    }
}
