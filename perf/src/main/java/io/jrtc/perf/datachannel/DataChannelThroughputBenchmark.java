package io.jrtc.perf.datachannel;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelEndpoint;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.common.DtlsRole;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sctp.SctpState;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Data channel messages through two {@link DataChannelEndpoint}s joined in memory (no DTLS, no sockets, one thread):
 * the cost of the W3C-style layer and DCEP on top of the SCTP core. Each operation is one binary message sent with
 * {@code DataChannel.send} and delivered to {@code onMessage} on the other side.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar DataChannelThroughputBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DataChannelThroughputBenchmark {

    static final int BATCH = 64;

    @Param({"1024", "65536"})
    public int messageSize;

    /** Packets handed over with {@code handleOwnedInput}, as the peer does with DTLS's decrypted records. */
    @Param({"false", "true"})
    public boolean ownedInput;

    private DataChannelEndpoint client;
    private DataChannelEndpoint server;
    private DataChannel channel;
    private ByteBuffer message;
    private long now;
    private long received;
    private long sent;

    @Setup(Level.Trial)
    public void setup() {
        client = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(1)).maxSendBuffer(16L << 20).build(),
                DtlsRole.CLIENT, () -> now, () -> { }, "client");
        server = new DataChannelEndpoint(SctpConfig.builder().random(new SplittableRandom(2)).build(), DtlsRole.SERVER, () -> now,
                () -> { }, "server");
        server.onDataChannel(c -> c.onMessage(m -> received++));
        client.connect(now);
        server.connect(now);
        drain();
        if (client.association().state() != SctpState.ESTABLISHED) {
            throw new IllegalStateException("not established");
        }
        channel = client.createDataChannel("bench", DataChannelInit.DEFAULT);
        drain();
        message = ByteBuffer.allocate(messageSize);
    }

    private int drain() {
        int moved = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (Optional<ByteBuffer> p = client.pollTransmit(); p.isPresent(); p = client.pollTransmit()) {
                if (ownedInput) {
                    server.handleOwnedInput(now, p.get());
                } else {
                    server.handleInput(now, p.get());
                }
                moved++;
                any = true;
            }
            for (Optional<ByteBuffer> p = server.pollTransmit(); p.isPresent(); p = server.pollTransmit()) {
                if (ownedInput) {
                    client.handleOwnedInput(now, p.get());
                } else {
                    client.handleInput(now, p.get());
                }
                moved++;
                any = true;
            }
        }
        return moved;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendAndDeliver() {
        for (int i = 0; i < BATCH; i++) {
            channel.send(message);
        }
        sent += BATCH;
        while (received < sent) {
            if (drain() == 0) {
                now = Math.max(now, Math.min(client.pollTimeout(), server.pollTimeout()));
                client.handleTimeout(now);
                server.handleTimeout(now);
            }
        }
        return received;
    }
}
