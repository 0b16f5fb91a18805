package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * wss:// against a server with a self-signed certificate from PEM files: the client trusting that certificate
 * registers and relays; a client with the JDK's default trust does not get registered (the TLS handshake
 * fails and it keeps retrying).
 */
class ClientOverWssTrustsConfiguredCertificate {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void trustedCertificateRegistersUntrustedDoesNot(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
                new Date(now - 60_000), new Date(now + 86_400_000L), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        SignalingServer s = t.start(SignalingServerConfig.builder().tls(certFile, keyFile));
        URI wss = URI.create("wss://127.0.0.1:" + s.boundPort() + "/ws");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);

        SignalingClient a = t.client(SignalingClientConfig.builder(wss, "secure-a").trustManagerFactory(tmf));
        SignalingClient b2 = t.client(SignalingClientConfig.builder(wss, "secure-b").trustManagerFactory(tmf));
        Inbox<SignalingMessage> atB = new Inbox<>();
        b2.onMessage(atB);
        a.connect().get(10, TimeUnit.SECONDS);
        b2.connect().get(10, TimeUnit.SECONDS);
        a.sendOffer("secure-b", "v=0 over wss");
        assertThat(atB.next(SignalingMessage.Offer.class).sdp()).isEqualTo("v=0 over wss");

        SignalingClient untrusting = t.client(SignalingClientConfig.builder(wss, "naive")
                .backoff(Duration.ofMillis(100), Duration.ofMillis(200), 2, 0));
        Inbox<ConnectionState> states = new Inbox<>();
        untrusting.onStateChange(states);
        var f = untrusting.connect();
        assertThat(states.next()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(states.next()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(states.next()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(f).isNotDone();
        assertThat(s.connectedAgents()).isEqualTo(2);
    }
}
