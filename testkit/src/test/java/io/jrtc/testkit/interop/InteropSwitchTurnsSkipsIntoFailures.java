package io.jrtc.testkit.interop;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * {@link Interop#require}: nothing happens when the requirement is met; a missing one aborts the test (a skip, with
 * the reason) unless the switch is on, and then it fails the test with the same reason.
 */
class InteropSwitchTurnsSkipsIntoFailures {

    private final String before = System.getProperty(Interop.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Interop.PROPERTY);
        } else {
            System.setProperty(Interop.PROPERTY, before);
        }
    }

    @Test
    void anAvailableRequirementPassesEitherWay() {
        System.setProperty(Interop.PROPERTY, "true");
        assertThatCode(() -> Interop.require("peer", null)).doesNotThrowAnyException();
        assertThatCode(() -> Interop.require("peer", true, "never shown")).doesNotThrowAnyException();
        assertThatCode(() -> Interop.requireOnPath("sh", "always there")).doesNotThrowAnyException();
    }

    @Test
    void aMissingRequirementFailsWithTheSwitchOn() {
        System.setProperty(Interop.PROPERTY, "true");
        assertThatThrownBy(() -> Interop.require("unicorn", "no unicorn in this stable"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("unicorn unavailable: no unicorn in this stable")
                .hasMessageContaining(Interop.SWITCH);
        assertThatThrownBy(() -> Interop.requireExecutable("unicorn", Path.of("/nonexistent/unicorn"), "breed one"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("/nonexistent/unicorn is not installed (breed one)");
    }

    @Test
    void aMissingRequirementSkipsWithTheReasonWhenTheSwitchIsOff() {
        System.setProperty(Interop.PROPERTY, "false");
        if (Interop.required()) {
            // The environment variable is on (as in CI), and the property cannot turn it off: then a miss fails.
            assertThatThrownBy(() -> Interop.require("unicorn", "absent")).isInstanceOf(AssertionFailedError.class);
            return;
        }
        assertThatThrownBy(() -> Interop.require("unicorn", "no unicorn in this stable"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("unicorn unavailable: no unicorn in this stable");
        assertThatThrownBy(() -> Interop.requireOnPath("no-such-tool-here", "apt-get install nothing"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-tool-here is not on the PATH (apt-get install nothing)");
    }
}
