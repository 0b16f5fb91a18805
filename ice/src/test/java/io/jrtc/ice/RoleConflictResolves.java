package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both agents start in the same role (RFC 8445 §7.3.1.1): the tie-breakers settle it and they connect. */
class RoleConflictResolves {

    @ParameterizedTest
    @EnumSource(IceRole.class)
    void sameRoleOnBothSidesEndsWithOneControllingAgent(IceRole both) {
        for (long seed = 1; seed <= 6; seed++) {
            VirtualNetwork net = new VirtualNetwork(seed);
            VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(seed * 10).build(), TestAgents.config(seed * 10 + 1).build(), both, both);
            Pairing.start(net, n);
            assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(10)))
                    .as("seed %d", seed).isTrue();
            assertThat(n[0].agent.role()).as("seed %d", seed).isNotEqualTo(n[1].agent.role());
            IceAgent winner = Long.compareUnsigned(n[0].agent.tieBreaker(), n[1].agent.tieBreaker()) >= 0 ? n[0].agent : n[1].agent;
            // The larger tie-breaker keeps (or takes) the controlling role.
            assertThat(winner.role()).as("seed %d", seed).isEqualTo(IceRole.CONTROLLING);
            assertThat(n[0].agent.stats().roleConflicts() + n[1].agent.stats().roleConflicts()).isPositive();
            assertThat(n[0].events.stream().anyMatch(e -> e instanceof IceEvent.RoleChanged)
                    || n[1].events.stream().anyMatch(e -> e instanceof IceEvent.RoleChanged)).isTrue();
            // Both ends carry data on the same path.
            assertThat(n[0].agent.selectedPair().orElseThrow().remote().port())
                    .isEqualTo(n[1].agent.selectedPair().orElseThrow().local().port());
        }
    }
}
