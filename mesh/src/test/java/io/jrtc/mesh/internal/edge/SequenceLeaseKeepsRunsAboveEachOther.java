package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceLeaseKeepsRunsAboveEachOther {

    @Test
    void aRunStartsAtTheClockOrAboveTheLastRunsCeilingWhicheverIsHigher(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("agent.seq");
        long clock = 1_765_000_000_000_000L; // microseconds, late 2025
        assertThat(SequenceLease.take(f, clock)).as("no file: the clock").isEqualTo(clock);
        assertThat(Files.readString(f, StandardCharsets.US_ASCII))
                .isEqualTo("jrtc-mesh-sequence-lease/1 " + (clock + SequenceLease.SPAN) + "\n");

        // the next run's clock is back at 1970 (a box without a real-time clock): it starts at the ceiling anyway
        assertThat(SequenceLease.take(f, 42)).isEqualTo(clock + SequenceLease.SPAN);
        // and one whose clock is far ahead of the ceiling starts at its clock
        long later = clock + 10 * SequenceLease.SPAN;
        assertThat(SequenceLease.take(f, later)).isEqualTo(later);
        assertThat(Files.readString(f, StandardCharsets.US_ASCII).strip())
                .isEqualTo("jrtc-mesh-sequence-lease/1 " + (later + SequenceLease.SPAN));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("agent.seq");
        }
    }

    @Test
    void aFileThatIsNotALeaseOrHasNoSpanLeftIsRefusedAndLeftAlone(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("agent.seq");
        for (String bad : new String[] {"", "12345\n", "jrtc-mesh-sequence-lease/1\n", "jrtc-mesh-sequence-lease/1 -5\n",
                "jrtc-mesh-sequence-lease/1 12x\n", "jrtc-mesh-sequence-lease/2 12\n"}) {
            Files.writeString(f, bad, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> SequenceLease.take(f, 1)).as("'%s'", bad).isInstanceOf(IOException.class)
                    .hasMessageContaining(f.toString());
            assertThat(Files.readString(f, StandardCharsets.US_ASCII)).as("left as it was").isEqualTo(bad);
        }
        Files.writeString(f, "jrtc-mesh-sequence-lease/1 " + (Long.MAX_VALUE - 5) + "\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SequenceLease.take(f, 1)).isInstanceOf(IOException.class).hasMessageContaining("used up");
    }
}
