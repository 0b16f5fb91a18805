package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.signaling.server.SignalingServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The echo agent against a real signaling server, with client agents in the same JVM, everything over real sockets on
 * 127.0.0.1: strings come back as strings and bytes as bytes (byte for byte, including empty and non-ASCII messages),
 * on several channels of one connection, and for two remote agents at once.
 */
class EchoAgentEchoesThroughRealSignalingServer {

    private static final Duration T = Duration.ofSeconds(20);

    private Loopback net;
    private SignalingServer server;
    private EchoAgent echo;
    private final List<EchoAgent.Echo> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        net = new Loopback();
        server = net.startServer(0);
        echo = net.echo(server, "echo");
        echo.onEcho(e -> seen.add(new EchoAgent.Echo(e.remoteAgent(), e.channelLabel(),
                new DataChannelMessage(copy(e.message().data()), e.message().isBinary()))));
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void stringsComeBackAsStringsAndBytesAsBytes() throws Exception {
        ClientAgent client = net.client(server, "c1");
        try (ClientAgent.Session s = client.connect("echo", T)) {
            assertThat(s.setupTime()).isPositive().isLessThan(T);
            RttSummary text = s.ping(200, 64, false, T);
            RttSummary bin = s.ping(200, 1000, true, T);
            assertThat(text.count()).isEqualTo(200);
            assertThat(bin.count()).isEqualTo(200);
            assertThat(text.p50Ms()).isPositive().isLessThanOrEqualTo(text.p99Ms());

            // The odd cases, one by one: empty string, empty binary, non-ASCII text, bytes that are not UTF-8.
            assertEchoed(s, s.channel(), "");
            assertEchoed(s, s.channel(), new byte[0]);
            assertEchoed(s, s.channel(), "grüße λ € 😀 ÅÉß");
            assertEchoed(s, s.channel(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28});
        }
        EchoAgent.Stats st = echo.stats();
        assertThat(st.textEchoed()).isEqualTo(202);
        assertThat(st.binaryEchoed()).isEqualTo(202);
        assertThat(st.sendFailures()).isZero();
        assertThat(st.peersCreated()).isEqualTo(1);
        // what the echo agent saw is what it sent back: kinds as sent
        assertThat(seen).filteredOn(e -> !e.message().isBinary()).hasSize(202);
        assertThat(seen).filteredOn(e -> e.message().isBinary()).hasSize(202);
        assertThat(seen).extracting(EchoAgent.Echo::remoteAgent).containsOnly("c1");
    }

    @Test
    void everyChannelOfAConnectionIsEchoed() throws Exception {
        ClientAgent client = net.client(server, "c1");
        try (ClientAgent.Session s = client.connect("echo", T)) {
            DataChannel ordered = s.openChannel("second", DataChannelInit.DEFAULT, T);
            DataChannel unordered = s.openChannel("unordered", DataChannelInit.builder().ordered(false).build(), T);
            DataChannel bulk = s.openChannel("third", DataChannelInit.DEFAULT, T);
            assertThat(List.of(s.channel().id(), ordered.id(), unordered.id(), bulk.id())).doesNotHaveDuplicates();
            // interleaved: each channel must echo its own messages only
            RttSummary a = s.ping(ordered, 100, 200, false, T);
            RttSummary b = s.ping(unordered, 100, 200, true, T);
            RttSummary c = s.ping(bulk, 20, 60_000, true, T);
            RttSummary d = s.ping(s.channel(), 100, 32, false, T);
            assertThat(List.of(a.count(), b.count(), c.count(), d.count())).containsExactly(100, 100, 20, 100);
        }
        assertThat(echo.stats().channelsOpened()).isEqualTo(4);
        assertThat(seen).extracting(EchoAgent.Echo::channelLabel).containsOnly("jrtc", "second", "unordered", "third");
        assertThat(seen).filteredOn(e -> e.channelLabel().equals("third"))
                .allSatisfy(e -> assertThat(e.message().size()).isEqualTo(60_000));
    }

    @Test
    void twoRemoteAgentsAreServedAtTheSameTime() throws Exception {
        ClientAgent c1 = net.client(server, "c1");
        ClientAgent c2 = net.client(server, "c2");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Throughput> f1 = pool.submit(() -> run(c1));
            Future<Throughput> f2 = pool.submit(() -> run(c2));
            Throughput t1 = f1.get(60, TimeUnit.SECONDS);
            Throughput t2 = f2.get(60, TimeUnit.SECONDS);
            assertThat(t1.messages()).isPositive();
            assertThat(t2.messages()).isPositive();
            assertThat(t1.bytes()).isEqualTo(t1.messages() * 16_384);
        } finally {
            pool.shutdownNow();
        }
        assertThat(echo.stats().peersCreated()).isEqualTo(2);
        assertThat(seen).extracting(EchoAgent.Echo::remoteAgent).contains("c1", "c2");
    }

    private static Throughput run(ClientAgent c) throws Exception {
        try (ClientAgent.Session s = c.connect("echo", T)) {
            s.ping(300, 100, false, T);
            return s.throughput(Duration.ofMillis(700), 16_384, 1 << 20, T);
        }
    }

    private static void assertEchoed(ClientAgent.Session s, DataChannel ch, Object message) throws Exception {
        CompletableFuture<DataChannelMessage> back = new CompletableFuture<>();
        s.peerConnection().execute(() -> {
            ch.onMessage(m -> back.complete(new DataChannelMessage(copy(m.data()), m.isBinary())));
            if (message instanceof String str) {
                ch.send(str);
            } else {
                ch.send((byte[]) message);
            }
        });
        DataChannelMessage m = back.get(10, TimeUnit.SECONDS);
        if (message instanceof String str) {
            assertThat(m.isBinary()).as("'%s' came back as a string", str).isFalse();
            assertThat(m.text()).isEqualTo(str);
        } else {
            assertThat(m.isBinary()).isTrue();
            byte[] got = new byte[m.size()];
            m.data().duplicate().get(got);
            assertThat(got).isEqualTo((byte[]) message);
        }
        s.peerConnection().execute(() -> ch.onMessage(null));
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
