package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.interop.Interop;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The certificate file format is PEM (RFC 7468) as OpenSSL writes and reads it. The files under
 * {@code src/test/resources/io/jrtc/dtls/pem} were made by OpenSSL 3.0 ({@code openssl req -x509 -newkey ec
 * -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500}, and {@code -newkey rsa:2048}): certificate and PKCS#8 key
 * concatenated, once with CRLF line ends, once key first with a comment line between the blocks. Their fingerprints
 * are OpenSSL's ({@code openssl x509 -noout -fingerprint -sha256}).
 */
class PemFilesFromOpenSslLoadAndSavedFilesReadInOpenSsl {

    private static final String P256 =
            "sha-256 31:88:00:EA:E7:6F:70:DA:DC:B1:DB:15:CD:12:C4:90:FB:B9:AD:9D:F3:26:85:89:B9:5F:AB:5F:0A:27:F9:5B";
    private static final String RSA =
            "sha-256 EE:3E:68:CF:E5:40:6C:D5:28:99:0B:A1:8D:A4:2D:63:79:9F:3E:D7:33:70:3F:15:FF:E2:10:54:49:31:B2:8F";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "openssl-p256.pem, ECDSA_P256, " + P256,
        "openssl-p256-crlf.pem, ECDSA_P256, " + P256,
        "openssl-rsa-key-first.pem, RSA, " + RSA})
    void openSslFilesLoadWithOpenSslsFingerprintAndSurviveASaveAndLoad(String name, DtlsCertificate.KeyType type,
            String fingerprint) throws Exception {
        Path file = resource(name);
        DtlsCertificate c = DtlsCertificate.load(file);
        assertThat(c.keyType()).isEqualTo(type);
        assertThat(c.fingerprint().toSdpValue()).isEqualTo(fingerprint);

        Path again = dir.resolve("again.pem");
        c.save(again);
        DtlsCertificate d = DtlsCertificate.load(again);
        assertThat(d.fingerprint().toSdpValue()).isEqualTo(fingerprint);
        assertThat(d.certificateDer()).isEqualTo(c.certificateDer());
        assertThat(d.privateKey().getEncoded()).isEqualTo(c.privateKey().getEncoded());
    }

    @Test
    void savedFilesKeepTheirLayoutCertificateThenKeyIn64CharacterLines() throws Exception {
        for (DtlsCertificate c : new DtlsCertificate[] {DtlsCertificate.generate(), DtlsCertificate.generateRsa()}) {
            Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            String expected = "-----BEGIN CERTIFICATE-----\n" + enc.encodeToString(c.certificateDer())
                    + "\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"
                    + enc.encodeToString(c.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            Path file = dir.resolve(c.keyType() + ".pem");
            c.save(file);
            assertThat(Files.readString(file, StandardCharsets.US_ASCII))
                    .isEqualTo(expected.replace("\n", System.lineSeparator()));
        }
    }

    @Test
    void openSslReadsWhatWeSave() throws Exception {
        Interop.requireOnPath("openssl", "apt-get install openssl");
        for (DtlsCertificate c : new DtlsCertificate[] {DtlsCertificate.generate(), DtlsCertificate.generateRsa()}) {
            Path file = dir.resolve(c.keyType() + ".pem");
            c.save(file);
            String x509 = openssl("x509", "-in", file.toString(), "-noout", "-fingerprint", "-sha256");
            assertThat(x509.strip()).isEqualTo(c.fingerprint().toSdpValue().replace("sha-256 ", "sha256 Fingerprint="));
            // the key block: openssl prints the public key it derives, which must be the certificate's
            String fromKey = openssl("pkey", "-in", file.toString(), "-pubout");
            String fromCert = openssl("x509", "-in", file.toString(), "-noout", "-pubkey");
            assertThat(fromKey).contains("-----BEGIN PUBLIC KEY-----").isEqualTo(fromCert);
        }
    }

    private Path resource(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("pem/" + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    private static String openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
