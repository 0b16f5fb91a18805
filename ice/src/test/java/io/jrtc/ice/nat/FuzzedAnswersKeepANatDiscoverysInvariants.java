package io.jrtc.ice.nat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.DatagramCore;
import io.jrtc.common.Hex;
import io.jrtc.testkit.FuzzScript;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Stateful Jazzer target for {@link NatBehaviorDiscovery} on a virtual clock: the input is a script that answers the
 * last request (success with one of several mapped and other addresses, error, or a mutated copy), from one of
 * several sources, sends random bytes, and advances time. After every call: nothing throws; requests go only to the
 * primary address or to addresses derived from an OTHER-ADDRESS the core accepted; at most five transactions, each
 * sent at most Rc times; the core always waits on a timeout until it is done and never sends once done; a finished
 * result agrees with its evidence; and moving time on always finishes it (liveness). A plain test replays 300 seeded
 * scripts in every build.
 */
class FuzzedAnswersKeepANatDiscoverysInvariants {

    static final InetSocketAddress PRIMARY = ModelledNat.PRIMARY;
    static final InetSocketAddress LOCAL = ModelledNat.LOCAL;
    static final InetSocketAddress[] OTHERS = {ModelledNat.OTHER,
        new InetSocketAddress(PRIMARY.getAddress(), 3479), new InetSocketAddress(ModelledNat.OTHER.getAddress(), 3478)};
    static final InetSocketAddress[] MAPPED = {LOCAL, new InetSocketAddress(ModelledNat.PUBLIC_IP, 40000),
        new InetSocketAddress(ModelledNat.PUBLIC_IP, 40001)};
    static final long MS = 1_000_000L;

    @FuzzTest(maxDuration = "30s")
    void script(byte[] input) {
        run(input);
    }

    @Test
    void seededScripts() {
        SplittableRandom r = new SplittableRandom(20261205);
        Set<Object> reached = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[r.nextInt(1, 400)];
            r.nextBytes(b);
            NatBehaviorResult result = run(b);
            reached.add(result.status());
            reached.add(result.filtering());
            reached.add(result.mapping());
            result.tests().forEach(t -> reached.add(t.test()));
        }
        System.out.println("seeded scripts reached " + reached);
        // the scripts get deep enough to matter: every status and every test is reached
        assertThat(reached).contains((Object[]) NatBehaviorResult.Status.values()).contains((Object[]) NatTest.values());
    }

    static NatBehaviorResult run(byte[] input) {
        FuzzScript s = new FuzzScript(input);
        int rc = 1 + s.next(7);
        NatBehaviorDiscovery.Config config = new NatBehaviorDiscovery.Config(Duration.ofMillis(10), rc, 1 + s.next(16),
                new SplittableRandom(s.next16()));
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(config, PRIMARY, LOCAL);
        long now = 0;
        core.start(now);
        Map<String, Integer> sendsPerTransaction = new HashMap<>();
        List<NatBehaviorDiscovery.Transmit> sent = new ArrayList<>();
        check(core, now, sent, sendsPerTransaction, rc);
        for (int step = 0; step < 400 && s.more(); step++) {
            NatBehaviorDiscovery.Transmit last = sent.isEmpty() ? null : sent.getLast();
            InetSocketAddress from = s.next(2) == 0 && last != null ? last.destination()
                    : switch (s.next(4)) {
                        case 0 -> PRIMARY;
                        case 1 -> ModelledNat.OTHER;
                        case 2 -> new InetSocketAddress(PRIMARY.getAddress(), ModelledNat.OTHER.getPort());
                        default -> new InetSocketAddress(ModelledNat.OTHER.getAddress(), PRIMARY.getPort());
                    };
            switch (s.next(7)) {
                case 0, 1 -> {
                    if (last != null) {
                        core.handleInput(now, from, answer(s, last));
                    }
                }
                case 2 -> {
                    if (last != null) {
                        core.handleInput(now, from, StunBytes.error(StunBytes.transactionId(last.data()))
                                .errorCode(400 + s.next(100), "x").build());
                    }
                }
                case 3 -> {
                    if (last != null) {
                        ByteBuffer a = answer(s, last);
                        int flips = 1 + s.next(4);
                        for (int i = 0; i < flips; i++) {
                            a.put(s.next(a.limit()), (byte) s.next(256));
                        }
                        core.handleInput(now, from, a);
                    }
                }
                case 4 -> {
                    byte[] junk = new byte[s.next(64)];
                    for (int i = 0; i < junk.length; i++) {
                        junk[i] = (byte) s.next(256);
                    }
                    core.handleInput(now, from, ByteBuffer.wrap(junk));
                }
                case 5 -> {
                    if (core.pollTimeout() != DatagramCore.NO_TIMEOUT) {
                        now = core.pollTimeout();
                    }
                    core.handleTimeout(now);
                }
                default -> {
                    now += s.next(30) * MS;
                    core.handleTimeout(now);
                }
            }
            check(core, now, sent, sendsPerTransaction, rc);
        }
        // liveness: with time moving on, the discovery always ends
        for (int i = 0; i < 5 * rc + 5 && !core.isDone(); i++) {
            now = core.pollTimeout();
            core.handleTimeout(now);
            check(core, now, sent, sendsPerTransaction, rc);
        }
        assertThat(core.isDone()).isTrue();
        consistent(core.result().orElseThrow());
        return core.result().orElseThrow();
    }

    private static ByteBuffer answer(FuzzScript s, NatBehaviorDiscovery.Transmit to) {
        StunBytes.Builder b = StunBytes.success(StunBytes.transactionId(to.data()));
        int kind = s.next(8);
        if (kind != 0) {
            InetSocketAddress m = MAPPED[s.next(MAPPED.length)];
            if (kind == 1) {
                b.mapped(m);
            } else {
                b.xorMapped(m);
            }
        }
        if (s.next(4) != 0) {
            b.otherAddress(OTHERS[s.next(OTHERS.length)]);
        }
        if (s.next(2) == 0) {
            b.responseOrigin(PRIMARY);
        }
        if (s.next(8) == 0) {
            b.attribute(0x7F00, new byte[] {1}); // unknown comprehension-required attribute
        }
        return b.build();
    }

    private static void check(NatBehaviorDiscovery core, long now, List<NatBehaviorDiscovery.Transmit> sent,
            Map<String, Integer> perTx, int rc) {
        boolean doneBefore = core.isDone();
        for (var t = core.pollTransmit(); t.isPresent(); t = core.pollTransmit()) {
            assertThat(doneBefore).as("sent after done").isFalse();
            InetSocketAddress d = t.get().destination();
            Set<InetSocketAddress> allowed = allowedDestinations(core);
            assertThat(allowed).as("destination").contains(d);
            String tx = Hex.encode(StunBytes.transactionId(t.get().data()));
            int n = perTx.merge(tx, 1, Integer::sum);
            assertThat(n).as("transmissions of one test").isLessThanOrEqualTo(rc);
            assertThat(perTx).as("transactions").hasSizeLessThanOrEqualTo(5);
            sent.add(t.get());
        }
        if (core.isDone()) {
            assertThat(core.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
            consistent(core.result().orElseThrow());
        } else {
            assertThat(core.pollTimeout()).as("waits on a timeout").isNotEqualTo(DatagramCore.NO_TIMEOUT);
        }
    }

    private static Set<InetSocketAddress> allowedDestinations(NatBehaviorDiscovery core) {
        NatTestOutcome i = core.outcomes().isEmpty() ? null : core.outcomes().getFirst();
        if (i == null || i.otherAddress() == null) {
            return Set.of(PRIMARY);
        }
        InetSocketAddress o = i.otherAddress();
        return Set.of(PRIMARY, o, new InetSocketAddress(o.getAddress(), PRIMARY.getPort()));
    }

    private static void consistent(NatBehaviorResult r) {
        assertThat(r.tests()).hasSizeBetween(1, 5);
        assertThat(r.tests()).extracting(NatTestOutcome::test).doesNotHaveDuplicates();
        assertThat(r.tests().getFirst().test()).isEqualTo(NatTest.TEST_I);
        if (r.status() == NatBehaviorResult.Status.COMPLETE) {
            assertThat(r.otherAddress()).isNotNull();
            assertThat(r.mappedAddress()).isNotNull();
        } else {
            assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        }
        if (r.filtering() == FilteringBehavior.ENDPOINT_INDEPENDENT) {
            NatTestOutcome f2 = r.outcome(NatTest.FILTERING_TEST_II);
            assertThat(f2.answered()).isTrue();
            assertThat(f2.responseSource().getAddress()).isNotEqualTo(PRIMARY.getAddress());
            assertThat(f2.responseSource().getPort()).isNotEqualTo(PRIMARY.getPort());
        }
        if (r.filtering() == FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT) {
            assertThat(r.outcome(NatTest.FILTERING_TEST_III).kind()).isEqualTo(NatTestOutcome.Kind.TIMED_OUT);
        }
        if (r.mapping() != MappingBehavior.UNKNOWN && r.behindNat()) {
            assertThat(r.outcome(NatTest.MAPPING_TEST_II).answered()).isTrue();
        }
        if (r.mapping() == MappingBehavior.ENDPOINT_INDEPENDENT && r.behindNat()) {
            assertThat(r.outcome(NatTest.MAPPING_TEST_II).mapped()).isEqualTo(r.mappedAddress());
        }
        if (r.noNat()) {
            assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
            assertThat(r.outcome(NatTest.MAPPING_TEST_II)).isNull();
        }
    }
}
