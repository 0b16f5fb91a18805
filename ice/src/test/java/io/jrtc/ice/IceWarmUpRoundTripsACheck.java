package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class IceWarmUpRoundTripsACheck {

    @Test
    void aBindingRequestAndItsResponseEncodeDecodeAndVerify() {
        // run() throws IllegalStateException when the request does not verify or the response does not decode
        assertThatCode(IceWarmUp::run).doesNotThrowAnyException();
        assertThatCode(IceWarmUp::run).as("again: no state kept between runs").doesNotThrowAnyException();
    }
}
