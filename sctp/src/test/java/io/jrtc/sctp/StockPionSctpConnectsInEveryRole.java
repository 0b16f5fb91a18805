package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.GoProgram;
import io.jrtc.testkit.interop.HarnessServer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock pion/sctp 1.8.6 (Debian's Go sources, Pion 3.1's SCTP) over raw UDP on 127.0.0.1, no DTLS: the Go program in
 * {@code interop/pion-sctp}, built offline in GOPATH mode. That version drops any INIT or INIT ACK carrying a parameter
 * type it does not know, such as our Zero Checksum Acceptable (0x8001). In every role the association comes up with our
 * default configuration and messages echo intact:
 * <ul>
 *   <li>{@code server}: Pion only answers; our first INIT is dropped and the fallback INIT (after 100 ms) is answered;</li>
 *   <li>{@code client}: Pion sends the INIT (as Pion's WebRTC stack always does) and we only answer: our INIT ACK carries
 *       no parameter Pion cannot parse;</li>
 *   <li>{@code both}: both send INIT, as in WebRTC.</li>
 * </ul>
 */
class StockPionSctpConnectsInEveryRole {

    private static final Logger LOG = LoggerFactory.getLogger(StockPionSctpConnectsInEveryRole.class);

    private DatagramSocket sock;
    private SctpAssociation a;
    private final List<SctpEvent> events = new ArrayList<>();

    @ParameterizedTest(name = "pion {0}")
    @ValueSource(strings = {"server", "client", "both"})
    void connectsWithDefaultConfigurationAndEchoes(String pionRole) throws Exception {
        Interop.requireOnPath("go", "apt-get install golang-go");
        Interop.require("pion/sctp sources", Files.isDirectory(GoProgram.GOCODE.resolve("src/github.com/pion/sctp")),
                "apt-get install golang-github-pion-webrtc.v3-dev");
        Path bin = GoProgram.build(HarnessServer.repoRoot().resolve("interop/pion-sctp"), Path.of("target", "pion-sctp"),
                "pion-sctp-echo");
        int pionPort;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            pionPort = probe.getLocalPort();
        }
        sock = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        sock.connect(new InetSocketAddress("127.0.0.1", pionPort));
        String goRole = pionRole.equals("server") ? "server" : "client";
        Process pion = new ProcessBuilder(bin.toString(), goRole, Integer.toString(pionPort), Integer.toString(sock.getLocalPort()))
                .redirectErrorStream(true).start();
        PeerProcessOutput follow = PeerProcessOutput.follow(pion, "pion-output");
        List<String> output = follow.lines();
        CountDownLatch ready = follow.ready();
        try {
            assertThat(ready.await(20, TimeUnit.SECONDS)).as("pion started: %s", output).isTrue();
            a = new SctpAssociation(SctpConfig.builder().random(new SplittableRandom(7)).build(), "jrtc");
            long t0 = System.nanoTime();
            if (!pionRole.equals("client")) {
                a.connect(t0);
            }
            assertThat(run(15, () -> a.state() == SctpState.ESTABLISHED)).as("established with pion: %s", output).isTrue();
            long setupMs = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("pion {}: established after {} ms (fallback INIT sent: {})", pionRole, setupMs, a.initFallbackSent());
            assertThat(a.zeroChecksumInUse()).as("pion/sctp 1.8.6 does not know RFC 9653").isFalse();
            if (pionRole.equals("server")) {
                assertThat(a.initFallbackSent()).isTrue();
                assertThat(setupMs).as("the fallback INIT leaves after 100 ms").isBetween(100L, 1000L);
            } else if (pionRole.equals("client")) {
                assertThat(a.initFallbackSent()).isFalse();
            }

            List<byte[]> sent = new ArrayList<>();
            int[] sizes = {1, 100, 1172, 1173, 5000, 60_000};
            for (int sid = 1; sid <= 2; sid++) {
                for (int size : sizes) {
                    byte[] m = new byte[size];
                    new Random(size * 31L + sid).nextBytes(m);
                    m[0] = (byte) sent.size();
                    a.send(System.nanoTime(), sid, 53, ByteBuffer.wrap(m), sid == 1 ? SendOptions.RELIABLE : SendOptions.RELIABLE_UNORDERED);
                    sent.add(m);
                }
            }
            for (int i = 0; i < 200; i++) {
                a.send(System.nanoTime(), 3, 51, ByteBuffer.wrap(new byte[1024]), SendOptions.RELIABLE);
            }
            int expected = sent.size() + 200;
            assertThat(run(20, () -> count() >= expected)).as("all echoes: %s", output).isTrue();
            int intact = 0;
            for (SctpEvent e : events) {
                if (e instanceof SctpEvent.MessageReceived m && m.streamId() < 3) {
                    byte[] d = new byte[m.data().remaining()];
                    m.data().get(d);
                    if (Arrays.equals(sent.get(d[0] & 0xFF), d)) {
                        intact++;
                    }
                }
            }
            assertThat(intact).isEqualTo(sent.size());
            assertThat(a.stats().dropsChecksum() + a.stats().dropsMalformed()).isZero();
            assertThat(output).anyMatch(l -> l.startsWith("connected"));
        } finally {
            pion.destroy();
            pion.waitFor(5, TimeUnit.SECONDS);
            sock.close();
        }
    }

    private long count() {
        return events.stream().filter(e -> e instanceof SctpEvent.MessageReceived).count();
    }

    private void flush() throws IOException {
        SctpOverUdp.flush(a, sock);
    }

    private boolean run(int seconds, BooleanSupplier done) throws IOException {
        return SctpOverUdp.run(a, sock, events, seconds, done);
    }
}
