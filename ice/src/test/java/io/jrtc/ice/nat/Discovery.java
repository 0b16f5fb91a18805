package io.jrtc.ice.nat;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Drives a {@link NatBehaviorDiscovery} against a {@link ModelledNat} on a virtual clock; answers take 10 ms. */
final class Discovery {

    /** Short timers: RTO 100 ms, Rc 3, Rm 2 (an unanswered test takes 100 + 200 + 200 = 500 ms). */
    static final NatBehaviorDiscovery.Config FAST =
            new NatBehaviorDiscovery.Config(Duration.ofMillis(100), 3, 2, new SplittableRandom(7));
    static final long ANSWER_DELAY = Duration.ofMillis(10).toNanos();

    private record Pending(long at, ModelledNat.Delivery delivery) {
    }

    final VirtualClock clock = new VirtualClock();
    final NatBehaviorDiscovery core;
    final ModelledNat nat;
    int sent;

    Discovery(ModelledNat nat) {
        this.nat = nat;
        this.core = new NatBehaviorDiscovery(FAST, ModelledNat.PRIMARY, ModelledNat.LOCAL);
    }

    static NatBehaviorResult run(ModelledNat nat) {
        return new Discovery(nat).run();
    }

    NatBehaviorResult run() {
        List<Pending> pending = new ArrayList<>();
        core.start(clock.now());
        for (int step = 0; step < 1000 && !core.isDone(); step++) {
            for (var t = core.pollTransmit(); t.isPresent(); t = core.pollTransmit()) {
                sent++;
                ModelledNat.Delivery d = nat.send(t.get().destination(), t.get().data());
                if (d != null) {
                    pending.add(new Pending(clock.now() + ANSWER_DELAY, d));
                }
            }
            long next = core.pollTimeout();
            for (Pending p : pending) {
                next = Math.min(next, p.at());
            }
            if (next == DatagramCore.NO_TIMEOUT) {
                break;
            }
            clock.advanceTo(next);
            for (var it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.at() <= clock.now()) {
                    it.remove();
                    core.handleInput(clock.now(), p.delivery().from(), p.delivery().data());
                }
            }
            if (clock.now() >= core.pollTimeout()) {
                core.handleTimeout(clock.now());
            }
        }
        return core.result().orElseThrow(() -> new AssertionError("discovery did not finish"));
    }
}
