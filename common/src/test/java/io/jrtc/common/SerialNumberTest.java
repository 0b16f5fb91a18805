package io.jrtc.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SerialNumberTest {

    @Test
    void thirtyTwoBitComparisonSurvivesWrap() {
        assertThat(SerialNumber.lt32(0xFFFF_FFFFL, 0L)).isTrue();
        assertThat(SerialNumber.lt32(0L, 0xFFFF_FFFFL)).isFalse();
        assertThat(SerialNumber.compare32(5, 5)).isZero();
        assertThat(SerialNumber.lt32(0xFFFF_FFF0L, 0x10L)).isTrue();
        assertThat(SerialNumber.add32(0xFFFF_FFFFL, 2)).isEqualTo(1L);
        assertThat(SerialNumber.distance32(0xFFFF_FFFEL, 3)).isEqualTo(5L);
        assertThat(SerialNumber.le32(7, 7)).isTrue();
    }

    @Test
    void sixteenBitComparisonSurvivesWrap() {
        assertThat(SerialNumber.lt16(0xFFFF, 0)).isTrue();
        assertThat(SerialNumber.lt16(0, 0xFFFF)).isFalse();
        assertThat(SerialNumber.lt16(0x7FFE, 0x7FFF)).isTrue();
        assertThat(SerialNumber.add16(0xFFFF, 1)).isZero();
    }
}
