package io.jrtc.perf.ice;

import io.jrtc.ice.IceEvent;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The ICE core without sockets: the data path through a connected agent (send and receive), and the STUN check
 * codec (build a check with MESSAGE-INTEGRITY and FINGERPRINT; scan, verify and decode one).
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar IceCoreBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class IceCoreBenchmark {

    @Param({"100", "1200"})
    int size;

    private AgentPair pair;
    private ByteBuffer payload;
    private byte[] check;
    private byte[] key;

    @Setup
    public void setUp() throws Exception {
        pair = new AgentPair(42);
        payload = ByteBuffer.allocate(size);
        payload.put(0, (byte) 0x80);
        key = Stun.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");
        ByteBuffer c = buildCheck();
        check = new byte[c.remaining()];
        c.get(check);
    }

    private ByteBuffer buildCheck() throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        r.putAttribute(AttributeFactory.createUsernameAttribute("evtj:h6vY"));
        r.putAttribute(AttributeFactory.createPriorityAttribute(1853824767L));
        r.putAttribute(AttributeFactory.createIceControllingAttribute(0x932ff9b151263b36L));
        r.putAttribute(AttributeFactory.createUseCandidateAttribute());
        return Stun.encode(r, key, true);
    }

    /** Application data out over the selected host pair: send + pollTransmit. */
    @Benchmark
    public Object sendOnSelectedPair() {
        pair.a.send(pair.now, payload.duplicate());
        return pair.a.pollTransmit().orElseThrow();
    }

    /** Application data in on the selected pair: handleInput + pollEvent. */
    @Benchmark
    public Object receiveOnSelectedPair() {
        pair.b.handleInput(pair.now, AgentPair.SOCK, AgentPair.A, payload.duplicate());
        Optional<IceEvent> e = pair.b.pollEvent();
        return e.orElseThrow();
    }

    /** Build and encode a connectivity check with ice4j, plus MESSAGE-INTEGRITY and FINGERPRINT. */
    @Benchmark
    public ByteBuffer encodeCheck() throws Exception {
        return buildCheck();
    }

    /** Framing scan (with FINGERPRINT), MESSAGE-INTEGRITY verification and ice4j decode of one check. */
    @Benchmark
    public void scanVerifyDecodeCheck(Blackhole bh) {
        StunScan s = StunScan.scan(check, check.length);
        bh.consume(Stun.verifyIntegrity(check, s.miOffset(), key));
        Message m = Stun.decode(check, check.length);
        bh.consume(m);
    }
}
