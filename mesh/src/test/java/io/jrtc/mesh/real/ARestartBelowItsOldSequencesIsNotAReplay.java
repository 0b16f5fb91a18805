package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.DropReason;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restarted with its key on a box whose wall clock is now behind the sequences of its last run (a box without
 * a real-time clock booting at 1970, an NTP step back). Two real agents; the restarting one, X, first runs with a
 * sequence lease file whose ceiling lies a day of microseconds ahead of the clock, which is what a clock set back by a
 * day looks like from the next run. Y takes X's broadcast and so knows X's sequences from there up.
 * <ul>
 *   <li>X restarted without the file starts from its clock, below: Y drops its broadcast as a {@code REPLAY} (counted).
 *   <li>X restarted with the file starts above its last run: Y delivers its broadcast.
 * </ul>
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ARestartBelowItsOldSequencesIsNotAReplay {

    private static long replays(MeshAgent a) {
        return a.stats().overlay().dropped().getOrDefault(DropReason.REPLAY, 0L);
    }

    @Test
    void theLeaseKeepsARestartedAgentAboveItsOldSequences(@TempDir Path dir) throws Exception {
        Identity x = Identity.generate();
        Path lease = dir.resolve("x.seq");
        long dayAhead = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) + TimeUnit.DAYS.toMicros(1);
        Files.writeString(lease, "jrtc-mesh-sequence-lease/1 " + dayAhead + "\n", StandardCharsets.US_ASCII);
        try (RealMesh mesh = new RealMesh()) {
            MeshAgent y = mesh.start(mesh.config(Identity.generate(), 0).degree(2).build());
            MeshAgent first = mesh.start(mesh.config(x, 1).degree(2).sequenceFile(lease).build());
            byte[] one = "the first run".getBytes(StandardCharsets.UTF_8);
            RealMesh.broadcastOnceLinked(first, one);
            RealMesh.await("y gets the first run's broadcast", Duration.ofSeconds(20), () -> mesh.delivered(0, one));
            mesh.stop(1);

            // restarted without the lease: from the clock, a day below what y has seen of x
            MeshAgent clockOnly = mesh.start(mesh.config(x, 2).degree(2).build());
            RealMesh.await("the clock-only restart links", Duration.ofSeconds(20), () -> y.neighbours().contains(x.agentId()));
            long replaysBefore = replays(y);
            byte[] two = "the clock-only restart".getBytes(StandardCharsets.UTF_8);
            RealMesh.broadcastOnceLinked(clockOnly, two);
            RealMesh.await("y drops it as a replay", Duration.ofSeconds(20), () -> replays(y) > replaysBefore);
            assertThat(mesh.delivered(0, two)).isFalse();
            mesh.stop(2);

            // restarted with the lease: above the first run's sequences
            MeshAgent leased = mesh.start(mesh.config(x, 3).degree(2).sequenceFile(lease).build());
            RealMesh.await("the leased restart links", Duration.ofSeconds(20), () -> y.neighbours().contains(x.agentId()));
            long replays = replays(y);
            byte[] three = "the leased restart".getBytes(StandardCharsets.UTF_8);
            RealMesh.broadcastOnceLinked(leased, three);
            RealMesh.await("y delivers it", Duration.ofSeconds(20), () -> mesh.delivered(0, three));
            assertThat(replays(y)).as("no replay this time").isEqualTo(replays);
            assertThat(Files.readString(lease, StandardCharsets.US_ASCII).strip().split(" ")[1])
                    .as("the lease moved up a span for each leased run")
                    .isEqualTo(Long.toString(dayAhead + 2 * (1L << 40)));
        }
    }
}
