package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with an independent SCTP implementation: werift's (TypeScript) SCTP, run by node, over raw UDP on
 * 127.0.0.1 (SCTP packets straight in UDP, no DTLS). Both roles: werift passive while we send INIT, and werift
 * active while we only answer. Handshake, messages of 1 B to 200 KB ordered and unordered (fragmented), a stream reset,
 * and a graceful shutdown (as far as werift implements it: see the note in the test). Skipped unless node and werift
 * are installed: werift is looked up in {@code $WERIFT_DIR}
 * (the werift package directory) or in {@code interop/node_modules/werift} of this repository ({@code npm install} in
 * {@code interop/}).
 */
class WeriftSctpInteropTest {

    private static Path werift() {
        String env = System.getenv("WERIFT_DIR");
        for (Path p : new Path[] {env == null ? null : Path.of(env), Path.of("../interop/node_modules/werift"),
                Path.of("interop/node_modules/werift")}) {
            if (p != null && Files.isRegularFile(p.resolve("lib/sctp/src/index.js"))) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private DatagramSocket sock;
    private SctpAssociation a;
    private final List<SctpEvent> events = new ArrayList<>();

    @ParameterizedTest(name = "werift {0}")
    @ValueSource(strings = {"server", "client"})
    void handshakeMessagesResetAndShutdownWithWerift(String weriftRole) throws Exception {
        Path werift = werift();
        Interop.require("werift", werift != null && nodeAvailable(), "node and werift are not installed (cd interop && npm ci)");
        Path script = Path.of(getClass().getResource("/werift-sctp-echo.cjs").toURI());
        int nodePort;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            nodePort = probe.getLocalPort();
        }
        sock = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        sock.connect(new InetSocketAddress("127.0.0.1", nodePort));
        Process node = new ProcessBuilder("node", script.toString(), werift.toString(), weriftRole, Integer.toString(nodePort),
                Integer.toString(sock.getLocalPort())).redirectErrorStream(true).start();
        PeerProcessOutput follow = PeerProcessOutput.follow(node, "werift-output");
        List<String> output = follow.lines();
        CountDownLatch ready = follow.ready();
        try {
            assertThat(ready.await(20, TimeUnit.SECONDS)).as("werift started: " + output).isTrue();
            a = new SctpAssociation(SctpConfig.builder().random(new SplittableRandom(5)).maxMessageSize(1 << 20).build(), "jrtc");
            if (weriftRole.equals("server")) {
                a.connect(System.nanoTime());
            }
            assertThat(run(30, () -> a.state() == SctpState.ESTABLISHED)).as("established with werift").isTrue();
            assertThat(a.zeroChecksumInUse()).as("werift does not offer RFC 9653").isFalse();
            assertThat(a.peerSupportsPartialReliability()).isTrue();

            int[] sizes = {1, 100, 1172, 1173, 5000, 65536, 200_000};
            List<byte[]> sent = new ArrayList<>();
            for (int sid = 0; sid < 2; sid++) {
                for (int size : sizes) {
                    byte[] m = new byte[size];
                    new Random(size * 7L + sid).nextBytes(m);
                    m[0] = (byte) sent.size();
                    a.send(System.nanoTime(), sid, 53, ByteBuffer.wrap(m), sid == 0 ? SendOptions.RELIABLE : SendOptions.RELIABLE_UNORDERED);
                    sent.add(m);
                }
            }
            for (int i = 0; i < 200; i++) {
                a.send(System.nanoTime(), 2, 51, ByteBuffer.wrap(new byte[1024]), SendOptions.RELIABLE);
            }
            int expected = sent.size() + 200;
            assertThat(run(30, () -> count(SctpEvent.MessageReceived.class) >= expected)).as("all echoes").isTrue();
            int intact = 0;
            for (SctpEvent e : events) {
                if (e instanceof SctpEvent.MessageReceived m && m.streamId() < 2) {
                    byte[] d = new byte[m.data().remaining()];
                    m.data().get(d);
                    if (Arrays.equals(sent.get(d[0] & 0xFF), d)) {
                        intact++;
                    }
                }
            }
            assertThat(intact).isEqualTo(sent.size());

            a.resetStreams(System.nanoTime(), 0, 1);
            assertThat(run(10, () -> count(SctpEvent.OutgoingStreamsReset.class) > 0)).as("werift performed our reset").isTrue();
            assertThat(count(SctpEvent.StreamResetFailed.class)).isZero();
            // werift prints its side of the reset on stdout, read by another thread: wait for the line, not just our event.
            assertThat(run(10, () -> output.contains("reset 0,1"))).as("werift reported the reset: %s", output).isTrue();

            a.shutdown(System.nanoTime());
            assertThat(run(10, () -> a.isTerminated())).isTrue();
            flush();
            assertThat(events.get(events.size() - 1)).isEqualTo(new SctpEvent.Closed());
            // Our Closed needs werift's SHUTDOWN ACK. werift itself never reports the close: after answering SHUTDOWN
            // it moves to SHUTDOWN-SENT instead of SHUTDOWN-ACK-SENT and so ignores the SHUTDOWN COMPLETE (werift 0.25.2).
            assertThat(output).contains("connected", "reset 0,1");
            assertThat(a.stats().dropsChecksum() + a.stats().dropsMalformed()).isZero();
        } finally {
            node.destroy();
            sock.close();
        }
    }

    private long count(Class<?> c) {
        return events.stream().filter(c::isInstance).count();
    }

    private void flush() throws IOException {
        SctpOverUdp.flush(a, sock);
    }

    private boolean run(int seconds, BooleanSupplier done) throws IOException {
        return SctpOverUdp.run(a, sock, events, seconds, done);
    }
}
