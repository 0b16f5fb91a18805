package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PeerConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The set-up budget of agents sharing a factory: room until the maximum is in flight; each release wakes at most two
 * waiting agents, in the order they started waiting, each queued once however often it asked; one budget per factory.
 */
class SetupBudgetIsSharedPerFactory {

    @Test
    void roomUntilTheMaximumAndReleasesWakeWaitersInOrder() {
        SetupBudget b = new SetupBudget(2);
        b.acquire();
        assertThat(b.hasRoom()).isTrue();
        b.acquire();
        assertThat(b.hasRoom()).isFalse();
        List<String> woken = new ArrayList<>();
        Runnable x = () -> woken.add("x");
        Runnable y = () -> woken.add("y");
        Runnable z = () -> woken.add("z");
        b.await(x);
        b.await(y);
        b.await(x); // already waiting: not twice
        b.await(z);
        b.release();
        assertThat(b.hasRoom()).isTrue();
        assertThat(b.inFlight()).isEqualTo(1);
        assertThat(woken).containsExactly("x", "y");
        b.release();
        assertThat(woken).containsExactly("x", "y", "z");
        assertThat(b.inFlight()).isZero();
    }

    @Test
    void agentsOnOneFactoryShareOneBudget() {
        try (PeerConnectionFactory f = new PeerConnectionFactory(1); PeerConnectionFactory g = new PeerConnectionFactory(1)) {
            assertThat(SetupBudget.of(f)).isSameAs(SetupBudget.of(f)).isNotSameAs(SetupBudget.of(g));
            SetupBudget b = SetupBudget.of(f);
            for (int i = 0; i < SetupBudget.PER_CORE * Runtime.getRuntime().availableProcessors(); i++) {
                assertThat(b.hasRoom()).isTrue();
                b.acquire();
            }
            assertThat(b.hasRoom()).isFalse();
        }
    }
}
