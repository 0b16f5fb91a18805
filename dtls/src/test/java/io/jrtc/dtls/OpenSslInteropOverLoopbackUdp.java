package io.jrtc.dtls;

import io.jrtc.common.SrtpProfile;
import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.testkit.interop.Interop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent DTLS stack: OpenSSL's {@code s_server -dtls1_2} / {@code s_client -dtls1_2} over real
 * UDP on 127.0.0.1, with ECDSA P-256 certificates on both sides, use_srtp, and the RFC 5705 exporter printed by
 * OpenSSL ({@code -keymatexport EXTRACTOR-dtls_srtp}) compared byte for byte with our {@link SrtpKeyingMaterial}.
 * Skipped (not failed) when no {@code openssl} binary is on the PATH.
 */
class OpenSslInteropOverLoopbackUdp {

    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]+)");
    private static final String PROFILES = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
    private static final Duration MAX = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static Path opensslPem;
    static DtlsCertificate opensslCert;

    private OpenSsl openssl;

    @BeforeAll
    static void setUp() throws IOException {
        opensslCert = DtlsCertificate.generate("openssl-peer");
        opensslPem = dir.resolve("openssl-peer.pem");
        opensslCert.save(opensslPem);
    }

    @AfterEach
    void stop() {
        if (openssl != null) {
            openssl.close();
        }
    }

    /** Skips without openssl on the PATH; fails instead under JRTC_REQUIRE_INTEROP=1 (CI). */
    static void assumeOpenSsl() {
        Interop.requireOnPath("openssl", "apt-get install openssl");
    }

    @Test
    void weAreClientOpenSslIsServer() throws Exception {
        assumeOpenSsl();
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of(), "openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", opensslPem.toString(), "-key", opensslPem.toString(), "-verify", "1", "-naccept", "1",
                "-use_srtp", PROFILES, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56");
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).as("s_server ready").isTrue();
        runExchange(DtlsConfig.defaults(), DtlsRole.CLIENT, new InetSocketAddress("127.0.0.1", port), true);
    }

    @Test
    void weAreServerOpenSslIsClient() throws Exception {
        assumeOpenSsl();
        try (Udp udp = new Udp(null)) {
            int port = udp.localPort();
            openssl = OpenSsl.start(Map.of(), "openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                    "-cert", opensslPem.toString(), "-key", opensslPem.toString(),
                    "-use_srtp", PROFILES, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56");
            exchange(udp, DtlsConfig.defaults(), DtlsRole.SERVER, true);
        }
    }

    @Test
    void peerWithoutExtendedMasterSecretStillGetsMatchingSrtpKeys() throws Exception {
        assumeOpenSsl();
        Path cnf = dir.resolve("no-ems.cnf");
        Files.writeString(cnf, "openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\n"
                + "system_default = sys\n[sys]\nOptions = -ExtendedMasterSecret\n");
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of("OPENSSL_CONF", cnf.toString()), "openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-cert", opensslPem.toString(), "-key", opensslPem.toString(),
                "-verify", "1", "-naccept", "1", "-use_srtp", PROFILES,
                "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56");
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).isTrue();
        runExchange(DtlsConfig.defaults(), DtlsRole.CLIENT, new InetSocketAddress("127.0.0.1", port), true);
    }

    @Test
    void requiringExtendedMasterSecretRefusesAPeerWithoutIt() throws Exception {
        assumeOpenSsl();
        Path cnf = dir.resolve("no-ems2.cnf");
        Files.writeString(cnf, "openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\n"
                + "system_default = sys\n[sys]\nOptions = -ExtendedMasterSecret\n");
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of("OPENSSL_CONF", cnf.toString()), "openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-cert", opensslPem.toString(), "-key", opensslPem.toString(),
                "-verify", "1", "-naccept", "1", "-use_srtp", PROFILES);
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).isTrue();
        DtlsConfig cfg = DtlsConfig.builder().requireExtendedMasterSecret(true).build();
        try (Udp udp = new Udp(new InetSocketAddress("127.0.0.1", port))) {
            List<DtlsEvent> events = new ArrayList<>();
            DtlsEndpoint ep = new DtlsEndpoint(cfg, DtlsRole.CLIENT, Pump.CERT_1, List.of(opensslCert.fingerprint()),
                    udp::requestDrain);
            ep.start(System.nanoTime());
            assertThat(udp.run(ep, events, () -> Pump.failed(events) != null, MAX)).isTrue();
            assertThat(Pump.connected(events)).isNull();
            assertThat(Pump.failed(events).kind()).isIn(ErrorKind.UNSUPPORTED, ErrorKind.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void openSslWithAnUnexpectedCertificateIsRejected() throws Exception {
        assumeOpenSsl();
        int port = freeUdpPort();
        openssl = OpenSsl.start(Map.of(), "openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", opensslPem.toString(), "-key", opensslPem.toString(), "-verify", "1", "-naccept", "1");
        assertThat(openssl.await(s -> s.contains("ACCEPT"), MAX)).isTrue();
        try (Udp udp = new Udp(new InetSocketAddress("127.0.0.1", port))) {
            List<DtlsEvent> events = new ArrayList<>();
            DtlsEndpoint ep = new DtlsEndpoint(DtlsConfig.defaults(), DtlsRole.CLIENT, Pump.CERT_1,
                    List.of(Pump.CERT_3.fingerprint()), udp::requestDrain);
            ep.start(System.nanoTime());
            // Pump on after the failure event: the alert that tells OpenSSL may be queued just after it.
            assertThat(udp.run(ep, events, () -> Pump.failed(events) != null
                    && openssl.output().toLowerCase().contains("bad certificate"), MAX)).isTrue();
            assertThat(Pump.failed(events).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(openssl.await(s -> s.toLowerCase().contains("bad certificate"), MAX)).isTrue();
        }
    }

    private void runExchange(DtlsConfig cfg, DtlsRole role, InetSocketAddress remote, boolean opensslIsServer)
            throws Exception {
        try (Udp udp = new Udp(remote)) {
            exchange(udp, cfg, role, opensslIsServer);
        }
    }

    private void exchange(Udp udp, DtlsConfig cfg, DtlsRole role, boolean checkKeys) throws Exception {
        List<DtlsEvent> events = new ArrayList<>();
        DtlsEndpoint ep = new DtlsEndpoint(cfg, role, Pump.CERT_1, List.of(opensslCert.fingerprint()), udp::requestDrain);
        ep.start(System.nanoTime());
        assertThat(udp.run(ep, events, () -> Pump.connected(events) != null || Pump.failed(events) != null, MAX))
                .as("handshake with openssl finished").isTrue();
        assertThat(Pump.failed(events)).as("no failure; openssl said:%n%s", openssl.output()).isNull();
        DtlsEvent.Connected c = Pump.connected(events);
        assertThat(c.remoteCertificateDer()).isEqualTo(opensslCert.certificateDer());
        assertThat(c.cipherSuite()).startsWith("TLS_ECDHE_ECDSA_WITH_");
        assertThat(c.srtp()).isNotNull();
        assertThat(c.srtp().profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(openssl.await(s -> s.contains("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"), MAX)).isTrue();
        if (checkKeys) {
            assertThat(openssl.await(s -> KEYING.matcher(s).find(), MAX)).isTrue();
            Matcher m = KEYING.matcher(openssl.output());
            assertThat(m.find()).isTrue();
            byte[] theirs = HexFormat.of().parseHex(m.group(1));
            SrtpKeyingMaterial k = c.srtp();
            ByteBuffer ours = ByteBuffer.allocate(56).put(k.clientWriteKey()).put(k.serverWriteKey())
                    .put(k.clientWriteSalt()).put(k.serverWriteSalt());
            assertThat(ours.array()).as("RFC 5764 keying material equals OpenSSL's exporter output").isEqualTo(theirs);
        }
        // Us -> OpenSSL: it prints what it receives.
        ep.send(ByteBuffer.wrap("hello from jrtc\n".getBytes(StandardCharsets.US_ASCII)));
        udp.run(ep, events, () -> false, Duration.ofMillis(50));
        assertThat(openssl.await(s -> s.contains("hello from jrtc"), MAX)).isTrue();
        // A record encrypted from gathered ranges (AES-GCM outside bctls, as SCTP packets are sent): OpenSSL reads it.
        byte[] head = "xxgathered ".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "by jrtc\nyy".getBytes(StandardCharsets.US_ASCII);
        ep.send(new io.jrtc.common.Gather(2).add(head, 2, head.length - 2).add(tail, 0, tail.length - 2));
        udp.run(ep, events, () -> false, Duration.ofMillis(50));
        assertThat(openssl.await(s -> s.contains("gathered by jrtc"), MAX)).isTrue();
        // OpenSSL -> us: it sends each line of its stdin as a record.
        openssl.write("hello from openssl\n");
        assertThat(udp.run(ep, events, () -> !Pump.data(events).isEmpty(), MAX)).isTrue();
        assertThat(new String(Pump.data(events).get(0), StandardCharsets.US_ASCII)).isEqualTo("hello from openssl\n");
        ep.close();
        udp.run(ep, events, () -> false, Duration.ofMillis(20));
        assertThat(ep.state()).isEqualTo(DtlsState.CLOSED);
    }

    static int freeUdpPort() throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    /** A loopback UDP socket that drives one endpoint on the test thread. */
    static final class Udp implements AutoCloseable {
        private final DatagramChannel ch;
        private final Selector selector;
        private SocketAddress remote;
        private final ByteBuffer rx = ByteBuffer.allocate(65536);

        Udp(SocketAddress remote) throws IOException {
            this.remote = remote;
            this.ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            this.selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        }

        int localPort() throws IOException {
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }

        /** The endpoint's {@code requestDrain}: wakes the selector, so that {@link #run} drains the endpoint. */
        void requestDrain() {
            selector.wakeup();
        }

        boolean run(DtlsEndpoint ep, List<DtlsEvent> events, BooleanSupplier done, Duration max) throws IOException {
            long end = System.nanoTime() + max.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() - end < 0) {
                boolean moved = false;
                for (var p = ep.pollTransmit(); p.isPresent(); p = ep.pollTransmit()) {
                    if (remote != null) {
                        ch.send(p.get(), remote);
                    }
                    moved = true;
                }
                SocketAddress from;
                while ((from = ch.receive(rx)) != null) {
                    remote = from;
                    rx.flip();
                    ep.handleInput(System.nanoTime(), rx);
                    rx.clear();
                    moved = true;
                }
                for (var e = ep.pollEvent(); e.isPresent(); e = ep.pollEvent()) {
                    events.add(e.get());
                    moved = true;
                }
                long now = System.nanoTime();
                if (ep.pollTimeout() <= now) {
                    ep.handleTimeout(now);
                    moved = true;
                }
                if (!moved) {
                    selector.select(2);
                    selector.selectedKeys().clear();
                }
            }
            // The handshake thread queues its last flight (our Finished, or an alert) before it publishes the outcome,
            // so the pass that saw the outcome may have polled transmits just before that flight: send it now, or the
            // peer waits for it while nobody drives the endpoint (a CI run timed out waiting for OpenSSL that way).
            for (var p = ep.pollTransmit(); p.isPresent(); p = ep.pollTransmit()) {
                if (remote != null) {
                    ch.send(p.get(), remote);
                }
            }
            return done.getAsBoolean();
        }

        @Override
        public void close() throws IOException {
            selector.close();
            ch.close();
        }
    }

    /** An openssl child process whose merged output is collected by a reader thread. */
    static final class OpenSsl implements AutoCloseable {
        private final Process process;
        private final StringBuilder out = new StringBuilder();
        private final OutputStream stdin;

        private OpenSsl(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.append(line).append('\n');
                            out.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "openssl-output");
            reader.setDaemon(true);
            reader.start();
        }

        static OpenSsl start(Map<String, String> env, String... cmd) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            return new OpenSsl(pb.start());
        }

        String output() {
            synchronized (out) {
                return out.toString();
            }
        }

        boolean await(java.util.function.Predicate<String> cond, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            synchronized (out) {
                while (!cond.test(out.toString())) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(out, left);
                }
                return true;
            }
        }

        void write(String s) throws IOException {
            stdin.write(s.getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
