package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.sctp.internal.Seq;
import org.junit.jupiter.api.Test;

/** RFC 1982 serial-number arithmetic on {@link Tsn} (32 bits) and {@link Ssn} (16 bits), and {@link StreamId}'s range. */
class SerialNumberArithmeticTest {

    @Test
    void tsnOrderWrapsAt32Bits() {
        assertThat(Tsn.of(0xFFFF_FFFFL).isBefore(Tsn.of(0))).isTrue();
        assertThat(Tsn.of(0).isAfter(Tsn.of(0xFFFF_FFFFL))).isTrue();
        assertThat(Tsn.of(0xFFFF_FFFFL).next()).isEqualTo(Tsn.of(0));
        assertThat(Tsn.of(5).isBefore(Tsn.of(5))).isFalse();
        assertThat(Tsn.isBefore(10, 0x7FFF_FFFFL + 9)).as("just under half the space").isTrue();
        assertThat(Tsn.isBefore(10, 0x8000_0000L + 10)).as("exactly half: undefined, so neither").isFalse();
        assertThat(Tsn.isBefore(0x8000_0000L + 10, 10)).isFalse();
        assertThat(Tsn.of(10).compareTo(Tsn.of(0x8000_000AL))).isZero();
        assertThat(Tsn.add(0xFFFF_FFFEL, 3)).isEqualTo(1);
        assertThat(Tsn.distance(0xFFFF_FFFEL, 1)).isEqualTo(3);
        assertThat(Tsn.distance(1, 0xFFFF_FFFEL)).isEqualTo(-3);
        assertThat(Tsn.isAtOrBefore(7, 7)).isTrue();
        assertThat(Tsn.of(0xFFFF_FFF0L).compareTo(Tsn.of(3))).isNegative();
    }

    @Test
    void ssnOrderWrapsAt16Bits() {
        assertThat(Ssn.of(65535).isBefore(Ssn.of(0))).isTrue();
        assertThat(Ssn.of(65535).next()).isEqualTo(Ssn.of(0));
        assertThat(Ssn.isBefore(0, 0x7FFF)).isTrue();
        assertThat(Ssn.isBefore(0, 0x8000)).as("exactly half: undefined").isFalse();
        assertThat(Ssn.isBefore(0x8000, 0)).isFalse();
        assertThat(Ssn.isAtOrBefore(65530, 3)).isTrue();
        assertThat(Ssn.isAtOrBefore(3, 65530)).isFalse();
        assertThat(Ssn.distance(65534, 2)).isEqualTo(4);
        assertThat(Ssn.add(65535, 2)).isEqualTo(1);
    }

    @Test
    void unwrappingAgreesWithSerialOrder() {
        long ref = 0xFFFF_FFF0L;
        assertThat(Seq.unwrap32(ref, 5)).isEqualTo(0x1_0000_0005L);
        assertThat(Seq.unwrap32(ref, 0xFFFF_FFE0L)).isEqualTo(0xFFFF_FFE0L);
        assertThat(Seq.unwrap16(0x1_FFFE, 1)).isEqualTo(0x2_0001);
        assertThat(Seq.unwrap16(0x2_0001, 0xFFFE)).isEqualTo(0x1_FFFE);
    }

    @Test
    void valuesOutsideTheWireRangeAreRejected() {
        assertThatThrownBy(() -> Tsn.of(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tsn.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ssn.of(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamId.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamId.of(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamId.of(65535).value()).isEqualTo(65535);
        assertThat(StreamId.check(0)).isZero();
    }
}
