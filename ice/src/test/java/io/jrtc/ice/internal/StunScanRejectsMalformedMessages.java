package io.jrtc.ice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import io.jrtc.ice.IceDropReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of named malformed STUN inputs, each producing its specific drop reason from the framing scan. */
class StunScanRejectsMalformedMessages {

    private static final String HDR = "2112a442 000000000000000000000001";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("shorter than a header", "0001 0000 2112a442 0000", IceDropReason.TRUNCATED),
                Arguments.of("declared length beyond the datagram", "0001 0008 " + HDR + " 0006 0004", IceDropReason.TRUNCATED),
                Arguments.of("bytes after the declared length", "0001 0000 " + HDR + " 00000000", IceDropReason.MALFORMED),
                Arguments.of("length not a multiple of four", "0001 0002 " + HDR + " 0000", IceDropReason.MALFORMED),
                Arguments.of("wrong magic cookie", "0001 0000 2112a443 000000000000000000000001", IceDropReason.MALFORMED),
                Arguments.of("top bits set", "4001 0000 " + HDR, IceDropReason.MALFORMED),
                Arguments.of("attribute header cut", "0001 0004 " + HDR + " 0006 0008", IceDropReason.TRUNCATED),
                Arguments.of("attribute value runs past the end", "0001 0008 " + HDR + " 0006 0008 61626364", IceDropReason.TRUNCATED),
                Arguments.of("odd-length attribute cut short", "0001 0008 " + HDR + " 0006 0005 61626364", IceDropReason.TRUNCATED),
                Arguments.of("MESSAGE-INTEGRITY of 16 bytes", "0001 0014 " + HDR + " 0008 0010 " + "00".repeat(16), IceDropReason.MALFORMED),
                Arguments.of("FINGERPRINT of 8 bytes", "0001 000c " + HDR + " 8028 0008 " + "00".repeat(8), IceDropReason.MALFORMED),
                Arguments.of("attribute after FINGERPRINT", "0001 000c " + HDR + " 8028 0004 00000000 0025 0000", IceDropReason.MALFORMED),
                Arguments.of("wrong FINGERPRINT", "0001 0008 " + HDR + " 8028 0004 deadbeef", IceDropReason.BAD_FINGERPRINT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejects(String name, String hex, IceDropReason expected) {
        byte[] b = Hex.decode(hex);
        assertThat(StunScan.scan(b, b.length).status()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownCases")
    void listsUnknownComprehensionRequiredAttributes(String name, String hex, int[] unknown) {
        byte[] b = Hex.decode(hex);
        StunScan s = StunScan.scan(b, b.length);
        assertThat(s.ok()).isTrue();
        assertThat(s.unknownRequired()).containsExactly(unknown);
    }

    static Stream<Arguments> unknownCases() {
        return Stream.of(
                Arguments.of("0x0033 is unknown", "0001 0008 " + HDR + " 0033 0004 deadbeef", new int[] {0x33}),
                Arguments.of("0x8033 is optional", "0001 0008 " + HDR + " 8033 0004 deadbeef", new int[] {}),
                Arguments.of("MESSAGE-INTEGRITY-SHA256 is not supported", "0001 0024 " + HDR + " 001c 0020 " + "00".repeat(32), new int[] {0x1c}),
                Arguments.of("after MESSAGE-INTEGRITY it is ignored", "0001 0020 " + HDR + " 0008 0014 " + "00".repeat(20) + " 0033 0000 0034 0000", new int[] {}));
    }
}
