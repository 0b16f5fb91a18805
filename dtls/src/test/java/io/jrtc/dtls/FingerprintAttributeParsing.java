package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code a=fingerprint} values (RFC 8122 section 5): vectors, round trips, refusals and malformed input. */
class FingerprintAttributeParsing {

    // FIPS 180-2 / 180-4 digests of "abc", used as fingerprint values of known length and content.
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String SHA384_ABC = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            + "8086072ba1e7cc2358baeca134c825a7";
    private static final String SHA512_ABC = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    private static String colons(String hex) {
        return String.join(":", hex.split("(?<=\\G..)"));
    }

    static Stream<Arguments> vectors() {
        return Stream.of(Arguments.of(HashFunction.SHA_256, SHA256_ABC), Arguments.of(HashFunction.SHA_384, SHA384_ABC),
                Arguments.of(HashFunction.SHA_512, SHA512_ABC));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void parsesPrintsAndMatchesKnownDigests(HashFunction hash, String hex) {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        String sdp = hash.sdpName() + " " + colons(hex).toUpperCase();
        Fingerprint f = Fingerprint.parse(sdp);
        assertThat(f.algorithm()).isEqualTo(hash);
        assertThat(f.value()).isEqualTo(HexFormat.of().parseHex(hex));
        assertThat(f.toSdpValue()).isEqualTo(sdp);
        assertThat(f.matches(abc)).isTrue();
        assertThat(f.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Fingerprint.of(hash, abc)).isEqualTo(f);
        // Case-insensitive hash name and hex; surrounding and separating blanks tolerated.
        Fingerprint lower = Fingerprint.parse("  " + hash.sdpName().toUpperCase() + " \t " + colons(hex).toLowerCase() + " ");
        assertThat(lower).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(Fingerprint.parse(lower.toSdpValue())).isEqualTo(f);
    }

    @Test
    void valueIsDefensivelyCopied() {
        Fingerprint f = Fingerprint.parse("sha-256 " + colons(SHA256_ABC));
        f.value()[0] ^= 1;
        assertThat(f.value()).isEqualTo(HexFormat.of().parseHex(SHA256_ABC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5 9E:10:7D:9D:37:2B:B6:82:6B:D8:1D:35:42:A4:19:D6",
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
        "SHA-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D", "md2 00:11"})
    void weakHashesAreRefused(String value) {
        assertThatThrownBy(() -> Fingerprint.parse(value)).isInstanceOf(UnsupportedFingerprintException.class)
                .hasMessageContaining("too weak");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-224 00:11", "blake3 00:11", "sha256 00"})
    void unknownHashesAreRefused(String value) {
        assertThatThrownBy(() -> Fingerprint.parse(value)).isInstanceOf(UnsupportedFingerprintException.class)
                .hasMessageContaining("unknown");
    }

    static Stream<Arguments> malformed() {
        String good = colons(SHA256_ABC);
        return Stream.of(
                Arguments.of("no separator", "sha-256"),
                Arguments.of("empty", ""),
                Arguments.of("one byte short", "sha-256 " + good.substring(3)),
                Arguments.of("one byte long", "sha-256 " + good + ":00"),
                Arguments.of("sha-384 length with sha-256 name", "sha-256 " + colons(SHA384_ABC)),
                Arguments.of("dash separators", "sha-256 " + good.replace(':', '-')),
                Arguments.of("no separators", "sha-256 " + SHA256_ABC + SHA256_ABC.substring(0, 31)),
                Arguments.of("non-hex digit", "sha-256 G" + good.substring(1)),
                Arguments.of("non-ascii digit", "sha-256 \u0661" + good.substring(1)),
                Arguments.of("space inside", "sha-256 " + good.substring(0, 5) + " " + good.substring(6)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedValuesAreRejected(String name, String value) {
        assertThatThrownBy(() -> Fingerprint.parse(value)).isInstanceOf(MalformedFingerprintException.class);
    }

    @Test
    void constructorChecksLength() {
        assertThatThrownBy(() -> new Fingerprint(HashFunction.SHA_512, new byte[32]))
                .isInstanceOf(MalformedFingerprintException.class);
    }

    @Test
    void onlyTheStrongestHashesCount() {
        byte[] der = Pump.CERT_1.certificateDer();
        Fingerprint s256 = Pump.CERT_1.fingerprint(HashFunction.SHA_256);
        Fingerprint s512 = Pump.CERT_1.fingerprint(HashFunction.SHA_512);
        Fingerprint wrong512 = Pump.CERT_2.fingerprint(HashFunction.SHA_512);
        assertThat(Fingerprint.matchStrongest(List.of(s256), der)).contains(s256);
        assertThat(Fingerprint.matchStrongest(List.of(s256, s512), der)).contains(s512);
        // A right sha-256 does not rescue a wrong sha-512: the strongest announced hash decides (RFC 8122 section 5).
        assertThat(Fingerprint.matchStrongest(List.of(s256, wrong512), der)).isEmpty();
        assertThat(Fingerprint.matchStrongest(List.of(), der)).isEmpty();
    }

    /** Random and mutated inputs: parse either succeeds or throws one of the two documented exceptions. */
    @Test
    void fuzzedValuesNeverThrowAnythingElse() {
        Random rnd = new Random(2024);
        String alphabet = "0123456789abcdefABCDEFG:- \tsha-1256md\u00e9";
        List<String> seeds = List.of("sha-256 " + colons(SHA256_ABC), "sha-384 " + colons(SHA384_ABC),
                "sha-512 " + colons(SHA512_ABC));
        int ok = 0;
        for (int i = 0; i < 20_000; i++) {
            String input;
            if (i % 2 == 0) {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(120);
                for (int j = 0; j < n; j++) {
                    sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                input = sb.toString();
            } else {
                char[] c = seeds.get(rnd.nextInt(seeds.size())).toCharArray();
                int edits = 1 + rnd.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    c[rnd.nextInt(c.length)] = alphabet.charAt(rnd.nextInt(alphabet.length()));
                }
                input = new String(c);
            }
            try {
                Fingerprint f = Fingerprint.parse(input);
                assertThat(Fingerprint.parse(f.toSdpValue())).isEqualTo(f);
                ok++;
            } catch (UnsupportedFingerprintException | MalformedFingerprintException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(ok).as("some mutations stay valid (hex case changes)").isPositive();
    }
}
