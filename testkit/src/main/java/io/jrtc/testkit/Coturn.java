package io.jrtc.testkit;

import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PrivateNetwork;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real TURN server for tests: coturn ({@code /usr/bin/turnserver}) on 127.0.0.1 with free random ports, a
 * self-signed ECDSA certificate made here with BouncyCastle for TURN over TLS, and its log in
 * {@code target/coturn-<name>/turn.log}. Tests skip when coturn is not installed, or fail
 * with {@code JRTC_REQUIRE_INTEROP=1} ({@link Interop}).
 *
 * <p>{@code --allow-loopback-peers} is set so relayed traffic can go to 127.0.0.1: for tests only.
 *
 * <p>{@link #longTermIn} runs it inside a {@link PrivateNetwork} instead, on the namespace's address, so that a
 * packet capture on the network's addresses sees exactly the traffic between the agents and the TURN server.
 */
public final class Coturn implements AutoCloseable {

    public static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    public static final String REALM = "jrtc.test";
    /** The user of {@link #longTerm}: {@code alice} with password {@code secret}. */
    public static final String USER = "alice";
    public static final String PASSWORD = "secret";

    private final int port;
    private final int tlsPort;
    private final int minRelayPort;
    private final int maxRelayPort;
    private final Path dir;
    private final X509Certificate certificate;
    private final Process process;
    private final InetAddress ip;
    private final List<String> extraArgs;
    private final java.util.function.UnaryOperator<List<String>> wrap;

    private Coturn(String name, List<String> extraArgs, PrivateNetwork net) throws Exception {
        this(name, extraArgs, net == null ? InetAddress.getLoopbackAddress() : net.peerAddress(),
                net == null ? c -> c : c -> net.command(c.toArray(String[]::new)));
    }

    private Coturn(String name, List<String> extraArgs, InetAddress listenOn,
            java.util.function.UnaryOperator<List<String>> wrap) throws Exception {
        this(name, extraArgs, listenOn, wrap, 0, 0);
    }

    /** {@code fixedPort} and {@code fixedTlsPort}: 0 for free ones. */
    private Coturn(String name, List<String> extraArgs, InetAddress listenOn,
            java.util.function.UnaryOperator<List<String>> wrap, int fixedPort, int fixedTlsPort) throws Exception {
        Interop.requireExecutable("coturn", TURNSERVER, "apt-get install coturn");
        ip = listenOn;
        this.extraArgs = List.copyOf(extraArgs);
        this.wrap = wrap;
        dir = Path.of("target", "coturn-" + name).toAbsolutePath();
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate = selfSigned(cert, key, ip.getHostAddress());
        port = fixedPort > 0 ? fixedPort : freePort();
        int t = fixedTlsPort;
        while (t <= 0 || t == port) {
            t = freePort();
        }
        tlsPort = t;
        minRelayPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
        maxRelayPort = minRelayPort + 200;
        Path log = dir.resolve("turn.log");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(TURNSERVER.toString(), "-n",
                "--listening-ip=" + ip.getHostAddress(), "--relay-ip=" + ip.getHostAddress(),
                "--listening-port=" + port, "--tls-listening-port=" + tlsPort,
                "--min-port=" + minRelayPort, "--max-port=" + maxRelayPort,
                "--cert=" + cert, "--pkey=" + key, "--no-dtls",
                "--allow-loopback-peers", "--no-cli", "--no-multicast-peers",
                "--userdb=" + dir.resolve("turndb"), "--pidfile=" + dir.resolve("turn.pid"),
                "--log-file=" + log, "--simple-log", "--verbose"));
        cmd.addAll(extraArgs);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd));
        cmd = new ArrayList<>(wrap.apply(cmd));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        waitForPort();
    }

    /** Long-term credentials: user {@link #USER}, password {@link #PASSWORD}. */
    public static Coturn longTerm(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--lt-cred-mech", "--user=alice:secret", "--realm=" + REALM));
        args.addAll(List.of(extra));
        return new Coturn(name, args, null);
    }

    /**
     * Long-term credentials like {@link #longTerm}, in the public namespace of {@code net}, listening on both its
     * addresses: an RFC 5780 server (OTHER-ADDRESS = the second address, the listening port plus one) behind which
     * the test process sits behind a real NAT.
     */
    public static Coturn longTermBehind(io.jrtc.testkit.interop.NattedNetwork net, String name) throws Exception {
        return new Coturn(name, List.of("--lt-cred-mech", "--user=alice:secret", "--realm=" + REALM,
                "--listening-ip=" + net.secondPublicAddress().getHostAddress()), net.publicAddress(),
                c -> net.inPublicCommand(c.toArray(String[]::new)));
    }

    /**
     * TURN REST credentials like {@link #restApi}, in the public namespace of {@code nats}, on its server address: the
     * STUN and TURN server that both natted sites reach through their NATs.
     */
    public static Coturn restApiBetween(io.jrtc.testkit.interop.TwoNats nats, String name, String secret) throws Exception {
        return new Coturn(name, List.of("--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM),
                nats.serverAddress(), c -> nats.inPublicCommand(c.toArray(String[]::new)));
    }

    /** Like {@link #restApiBetween(io.jrtc.testkit.interop.TwoNats, String, String)}, on the public namespace's {@code address}. */
    public static Coturn restApiBetween(io.jrtc.testkit.interop.TwoNats nats, String name, String secret, InetAddress address)
            throws Exception {
        return new Coturn(name, List.of("--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM),
                address, c -> nats.inPublicCommand(c.toArray(String[]::new)));
    }

    /** Long-term credentials like {@link #longTerm}, but inside {@code net}, listening on its peer address. */
    public static Coturn longTermIn(PrivateNetwork net, String name) throws Exception {
        return new Coturn(name, List.of("--lt-cred-mech", "--user=alice:secret", "--realm=" + REALM), net);
    }

    /** TURN REST API credentials with a static shared secret. */
    public static Coturn restApi(String name, String secret) throws Exception {
        return new Coturn(name, List.of("--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM), null);
    }

    /** The REST API credential pair for {@code user}, valid until {@code expiry}: what a signaling server hands out. */
    public static String[] restCredentials(String secret, String user, Instant expiry) throws Exception {
        String username = expiry.getEpochSecond() + ":" + user;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String password = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        return new String[] {username, password};
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int minRelayPort() {
        return minRelayPort;
    }

    public int maxRelayPort() {
        return maxRelayPort;
    }

    /** The self-signed certificate of the TLS listener, to trust in {@code turns:} clients. */
    public X509Certificate certificate() {
        return certificate;
    }

    public Path directory() {
        return dir;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    public InetSocketAddress tlsAddress() {
        return new InetSocketAddress(ip, tlsPort);
    }

    /** {@code turn:} URL for "udp" or "tcp", {@code turns:} for "tls". */
    public String url(String transport) {
        return switch (transport) {
            case "udp" -> "turn:" + ip.getHostAddress() + ":" + port + "?transport=udp";
            case "tcp" -> "turn:" + ip.getHostAddress() + ":" + port + "?transport=tcp";
            case "tls" -> "turns:" + ip.getHostAddress() + ":" + tlsPort + "?transport=tcp";
            default -> throw new IllegalArgumentException(transport);
        };
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("turn.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void waitForPort() throws Exception {
        int probes = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, tlsPort), 200);
                probes++;
                try (Socket s2 = new Socket()) {
                    s2.connect(new InetSocketAddress(ip, port), 200);
                    probes++;
                }
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
                continue;
            }
            // coturn logs these probe connections (accepted, closed) a little later: wait until it has, so that a
            // test comparing the log before and after its own steps does not see them as its own (it did, under load)
            long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < logDeadline && log().split("closed \\(2nd stage\\)", -1).length - 1 < probes) {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
            return;
        }
        throw new IllegalStateException("turnserver did not listen within 15 s; see " + dir);
    }

    /**
     * A new coturn in this one's place: the same address, ports and options, its own directory and log. For a test
     * whose TURN server dies and comes back; close this one first.
     */
    public Coturn restartedAs(String name) throws Exception {
        return new Coturn(name, extraArgs, ip, wrap, port, tlsPort);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        while (true) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                p = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                return d.getLocalPort();
            } catch (IOException busy) {
                // UDP side taken: try another
            }
        }
    }

    private static X509Certificate selfSigned(Path certPem, Path keyPem, String ipAddress) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name subject = new X500Name("CN=" + ipAddress);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), subject, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, ipAddress)));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        Files.writeString(certPem, pem(cert));
        // PKCS#8 ("BEGIN PRIVATE KEY"), which carries the curve; OpenSSL reads it directly.
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return cert;
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

}
