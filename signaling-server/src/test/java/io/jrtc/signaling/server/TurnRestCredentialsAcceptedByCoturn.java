package io.jrtc.signaling.server;

import io.jrtc.testkit.interop.Interop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TURN REST credentials the server hands out: a known vector (openssl), and a real coturn started with
 * {@code --use-auth-secret} on 127.0.0.1 that grants an Allocate (RFC 5766 section 6) with them, and refuses
 * a wrong password, an expired username and another secret's credentials with 401.
 */
class TurnRestCredentialsAcceptedByCoturn {

    private static final String SECRET = "coturn-shared-secret";
    private static final String REALM = "jrtc.test";
    private static Process coturn;
    private static int port;
    private static Path dir;

    @Test
    void knownVectorMatchesOpenssl() {
        // printf '1700003600:a1' | openssl dgst -sha1 -hmac 'turn-secret' -binary | base64
        TurnRestCredentials c = TurnRestCredentials.compute("turn-secret", "a1", Instant.ofEpochSecond(1_700_000_000L),
                Duration.ofHours(1));
        assertThat(c.username()).isEqualTo("1700003600:a1");
        assertThat(c.credential()).isEqualTo("SWZJuEp/nYjbFxVmSHtcEhOp6xQ=");
        assertThat(c.expiry()).isEqualTo(Instant.ofEpochSecond(1_700_003_600L));
        assertThat(c.toString()).doesNotContain(c.credential());
    }

    @BeforeAll
    static void startCoturn() throws Exception {
        Path bin = Path.of("/usr/bin/turnserver");
        Interop.requireExecutable("coturn", bin, "apt-get install coturn");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int relayLo = 49152 + new Random().nextInt(10_000);
        dir = Files.createTempDirectory("coturn");
        coturn = new ProcessBuilder(bin.toString(), "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--listening-port=" + port, "--min-port=" + relayLo, "--max-port=" + (relayLo + 50),
                "--use-auth-secret", "--static-auth-secret=" + SECRET, "--realm=" + REALM,
                "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli", "--log-file=stdout",
                "--pidfile=" + dir.resolve("turn.pid"), "--userdb=" + dir.resolve("turn.db"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("coturn.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Map<Integer, byte[]> attrs;
            try (DatagramSocket probe = client()) {
                attrs = allocate(probe, null, null, null, null, 300);
            }
            if (attrs != null) {
                return;
            }
            assertThat(coturn.isAlive()).as("coturn exited: %s", Files.readString(dir.resolve("coturn.log"))).isTrue();
        }
        throw new AssertionError("coturn did not answer: " + Files.readString(dir.resolve("coturn.log")));
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.destroyForcibly();
        }
    }

    @Test
    void coturnGrantsAnAllocationWithTheCredentials() throws Exception {
        TurnRestCredentials c = TurnRestCredentials.compute(SECRET, "agent-1", Instant.now(), Duration.ofMinutes(10));
        try (DatagramSocket s = client()) {
            Map<Integer, byte[]> challenge = allocate(s, null, null, null, null, 2000);
            assertThat(challenge.get(-1)).as("error response 0x0113").isEqualTo(new byte[] {0x01, 0x13});
            assertThat(errorCode(challenge)).isEqualTo(401);
            String nonce = new String(challenge.get(0x0015), StandardCharsets.UTF_8);
            assertThat(new String(challenge.get(0x0014), StandardCharsets.UTF_8)).isEqualTo(REALM);

            Map<Integer, byte[]> ok = allocate(s, c.username(), c.credential(), REALM, nonce, 2000);
            assertThat(ok.get(-1)).as("Allocate success response 0x0103, attributes %s", ok.keySet())
                    .isEqualTo(new byte[] {0x01, 0x03});
            assertThat(ok).containsKey(0x0016); // XOR-RELAYED-ADDRESS
        }
    }

    @Test
    void coturnRefusesWrongExpiredAndForeignCredentials() throws Exception {
        TurnRestCredentials good = TurnRestCredentials.compute(SECRET, "agent-2", Instant.now(), Duration.ofMinutes(10));
        assertThat(attempt(good.username(), "d3JvbmcgcGFzc3dvcmQ=")).as("wrong password").isEqualTo(401);
        TurnRestCredentials expired = TurnRestCredentials.compute(SECRET, "agent-2",
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        assertThat(attempt(expired.username(), expired.credential())).as("expired").isEqualTo(401);
        TurnRestCredentials foreign = TurnRestCredentials.compute("another-secret", "agent-2", Instant.now(),
                Duration.ofMinutes(10));
        assertThat(attempt(foreign.username(), foreign.credential())).as("another secret").isEqualTo(401);
        assertThat(attempt(good.username(), good.credential())).as("and the good one still works").isEqualTo(0);
    }

    /** Challenge, then an authenticated Allocate from the same socket: 0 on success, else the error code. */
    private static int attempt(String user, String password) throws Exception {
        try (DatagramSocket s = client()) {
            String nonce = new String(allocate(s, null, null, null, null, 2000).get(0x0015), StandardCharsets.UTF_8);
            Map<Integer, byte[]> r = allocate(s, user, password, REALM, nonce, 2000);
            return r.get(-1)[1] == 0x03 ? 0 : errorCode(r);
        }
    }

    private static DatagramSocket client() throws IOException {
        return new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    private static int errorCode(Map<Integer, byte[]> attrs) {
        byte[] e = attrs.get(0x0009);
        assertThat(e).as("ERROR-CODE attribute in %s", attrs.keySet()).isNotNull();
        return (e[2] & 0x07) * 100 + (e[3] & 0xff);
    }

    /**
     * Sends one Allocate request (with long-term credentials when {@code user} is given) and returns the
     * response attributes by type, plus key -1 = the two message-type bytes. Null on timeout.
     */
    private static Map<Integer, byte[]> allocate(DatagramSocket s, String user, String password, String realm,
            String nonce, int timeoutMs) throws Exception {
        byte[] txid = new byte[12];
        new Random().nextBytes(txid);
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attr(attrs, 0x0019, new byte[] {17, 0, 0, 0}); // REQUESTED-TRANSPORT: UDP
        if (user != null) {
            attr(attrs, 0x0006, user.getBytes(StandardCharsets.UTF_8));
            attr(attrs, 0x0014, realm.getBytes(StandardCharsets.UTF_8));
            attr(attrs, 0x0015, nonce.getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = attrs.toByteArray();
        int lengthWithMi = body.length + (user != null ? 24 : 0);
        ByteBuffer msg = ByteBuffer.allocate(20 + lengthWithMi);
        msg.putShort((short) 0x0003).putShort((short) lengthWithMi).putInt(0x2112A442).put(txid).put(body);
        if (user != null) {
            byte[] key = MessageDigest.getInstance("MD5").digest(
                    (user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(msg.array(), 0, 20 + body.length);
            msg.putShort((short) 0x0008).putShort((short) 20).put(mac.doFinal());
        }
        try {
            s.setSoTimeout(timeoutMs);
            s.send(new DatagramPacket(msg.array(), msg.capacity(), new InetSocketAddress("127.0.0.1", port)));
            byte[] buf = new byte[2048];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            ByteBuffer r = ByteBuffer.wrap(buf, 0, in.getLength());
            Map<Integer, byte[]> out = new HashMap<>();
            out.put(-1, new byte[] {r.get(0), r.get(1)});
            int len = r.getShort(2) & 0xffff;
            byte[] rtx = new byte[12];
            r.position(8);
            r.get(rtx);
            assertThat(rtx).as("transaction id echoed").isEqualTo(txid);
            int end = 20 + len;
            r.position(20);
            while (r.position() + 4 <= end) {
                int type = r.getShort() & 0xffff;
                int alen = r.getShort() & 0xffff;
                byte[] v = new byte[alen];
                r.get(v);
                r.position(r.position() + ((4 - alen % 4) % 4));
                out.put(type, v);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void attr(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int i = value.length; i % 4 != 0; i++) {
            out.write(0);
        }
    }
}
