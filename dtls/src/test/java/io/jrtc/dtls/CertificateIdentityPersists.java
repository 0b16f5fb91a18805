package io.jrtc.dtls;

import io.jrtc.common.DtlsRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates: generated as browsers do, and saved/loaded so an agent keeps its identity; bad files say why. */
class CertificateIdentityPersists {

    @TempDir
    Path dir;

    @Test
    void generatedCertificateIsEcdsaP256SelfSignedWithSha256Fingerprint() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        assertThat(c.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) c.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(c.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=jrtc");
        c.certificate().verify(c.certificate().getPublicKey());
        Instant now = Instant.now();
        assertThat(c.certificate().getNotBefore().toInstant()).isBefore(now.minus(Duration.ofDays(29)));
        assertThat(c.notAfter()).isAfter(now.plus(Duration.ofDays(364)));
        assertThat(c.certificate().getSerialNumber().signum()).isPositive();
        assertThat(c.fingerprint().toSdpValue()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(c.fingerprint().matches(c.certificateDer())).isTrue();
        assertThat(c.fingerprint(HashFunction.SHA_512).value()).hasSize(64);
        assertThat(DtlsCertificate.generate().fingerprint()).isNotEqualTo(c.fingerprint());
    }

    @Test
    void saveThenLoadKeepsTheSameIdentityAndIsPrivate() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate("agent-7");
        Path f = dir.resolve("identity.pem");
        c.save(f);
        DtlsCertificate back = DtlsCertificate.load(f);
        assertThat(back.fingerprint()).isEqualTo(c.fingerprint());
        assertThat(back.certificateDer()).isEqualTo(c.certificateDer());
        assertThat(back.privateKey().getEncoded()).isEqualTo(c.privateKey().getEncoded());
        String text = Files.readString(f);
        assertThat(text).startsWith("-----BEGIN CERTIFICATE-----\n").contains("-----BEGIN PRIVATE KEY-----\n");
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(f))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        // Saving again over the same file replaces it.
        DtlsCertificate other = DtlsCertificate.generate();
        other.save(f);
        assertThat(DtlsCertificate.load(f).fingerprint()).isEqualTo(other.fingerprint());
        // The loaded identity still handshakes.
        Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.CLIENT, back, DtlsConfig.defaults(), Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        String certA = pem("CERTIFICATE", a.certificateDer());
        String keyA = pem("PRIVATE KEY", a.privateKey().getEncoded());
        String keyB = pem("PRIVATE KEY", b.privateKey().getEncoded());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);

        expect(null, "no such file");
        expect("", "no CERTIFICATE block");
        expect("hello world\n", "no CERTIFICATE block");
        expect(keyA, "no CERTIFICATE block");
        expect(certA, "no PRIVATE KEY block");
        expect(certA + keyB, "does not belong to the certificate");
        expect(certA + "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "no PRIVATE KEY block");
        expect(certA + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a PKCS#8 EC key");
        expect("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + keyA, "not a valid X.509");
        expect(certA + "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "not supported");
        expect(certA + pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded()), "not a PKCS#8 EC key");
    }

    @Test
    void rsaCertificateIsGeneratedSavedAndLoadedWithItsKeyType() throws Exception {
        DtlsCertificate c = DtlsCertificate.generateRsa("agent-rsa");
        assertThat(c.keyType()).isEqualTo(DtlsCertificate.KeyType.RSA);
        assertThat(DtlsCertificate.generate().keyType()).isEqualTo(DtlsCertificate.KeyType.ECDSA_P256);
        assertThat(c.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) c.certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((RSAPublicKey) c.certificate().getPublicKey()).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(c.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=agent-rsa");
        c.certificate().verify(c.certificate().getPublicKey());
        assertThat(c.toString()).contains("RSA");
        Path f = dir.resolve("rsa.pem");
        c.save(f);
        DtlsCertificate back = DtlsCertificate.load(f);
        assertThat(back.keyType()).isEqualTo(DtlsCertificate.KeyType.RSA);
        assertThat(back.fingerprint()).isEqualTo(c.fingerprint());
        assertThat(back.privateKey().getEncoded()).isEqualTo(c.privateKey().getEncoded());
        // The loaded RSA identity handshakes, in the server role, where it decides the suite.
        Pump p = Pump.pair(DtlsConfig.defaults(), DtlsRole.SERVER, back, DtlsConfig.defaults(), Pump.CERT_2);
        p.start();
        assertThat(p.runUntil(p::bothConnected, Duration.ofSeconds(20))).isTrue();
        assertThat(Pump.connected(p.eventsA).cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void badRsaFilesGiveClearErrors() throws Exception {
        DtlsCertificate rsa = DtlsCertificate.generateRsa();
        DtlsCertificate ec = DtlsCertificate.generate();
        String certRsa = pem("CERTIFICATE", rsa.certificateDer());
        expect(certRsa + pem("PRIVATE KEY", ec.privateKey().getEncoded()), "not a PKCS#8 RSA key");
        expect(certRsa + pem("PRIVATE KEY", Pump.RSA_1.privateKey().getEncoded()), "does not belong to the certificate");
        // A 1024-bit RSA certificate with its own key is refused for its size.
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(1024);
        KeyPair small = kpg.generateKeyPair();
        X500Name name = new X500Name("CN=small");
        byte[] smallDer = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plusSeconds(3600)), name, small.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(small.getPrivate())).getEncoded();
        expect(pem("CERTIFICATE", smallDer) + pem("PRIVATE KEY", small.getPrivate().getEncoded()),
                "RSA of 1024 bits, at least 2048 required");
    }

    private void expect(String content, String message) throws Exception {
        Path f = dir.resolve("bad-" + System.nanoTime() + ".pem");
        if (content != null) {
            Files.writeString(f, content);
        }
        assertThatThrownBy(() -> DtlsCertificate.load(f)).isInstanceOf(CertificateFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(message);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
