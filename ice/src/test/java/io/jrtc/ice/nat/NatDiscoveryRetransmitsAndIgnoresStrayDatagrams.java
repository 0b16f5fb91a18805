package io.jrtc.ice.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.DatagramCore;
import io.jrtc.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Retransmission on RFC 8489 §6.2.1's schedule (RTO doubling, Rc transmissions, Rm × RTO of final wait) on a
 * virtual clock, with answers lost or late; stray, malformed and mismatched datagrams counted and ignored; test I's
 * failure modes; and API misuse.
 */
class NatDiscoveryRetransmitsAndIgnoresStrayDatagrams {

    static final InetSocketAddress LOCAL = ModelledNat.LOCAL;
    static final InetSocketAddress SERVER = ModelledNat.PRIMARY;
    static final InetSocketAddress OTHER = ModelledNat.OTHER;
    static final InetSocketAddress MAPPED = new InetSocketAddress(ModelledNat.PUBLIC_IP, 40000);
    static final long MS = 1_000_000L;

    final VirtualClock clock = new VirtualClock();

    /** Drains the core's transmits. */
    static List<NatBehaviorDiscovery.Transmit> drain(NatBehaviorDiscovery core) {
        List<NatBehaviorDiscovery.Transmit> out = new ArrayList<>();
        for (var t = core.pollTransmit(); t.isPresent(); t = core.pollTransmit()) {
            out.add(t.get());
        }
        return out;
    }

    static ByteBuffer answer(NatBehaviorDiscovery.Transmit t, InetSocketAddress mapped, InetSocketAddress other) {
        StunBytes.Builder b = StunBytes.success(StunBytes.transactionId(t.data())).xorMapped(mapped);
        if (other != null) {
            b.otherAddress(other);
        }
        return b.build();
    }

    @Test
    void unansweredTestIFollowsTheDefaultScheduleFor39AndAHalfSeconds() {
        NatBehaviorDiscovery.Config config = NatBehaviorDiscovery.Config.defaults();
        assertThat(config.testTimeout()).isEqualTo(Duration.ofMillis(39_500));
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(config, SERVER, LOCAL);
        core.start(clock.now());
        List<Long> sentAt = new ArrayList<>();
        List<ByteBuffer> copies = new ArrayList<>();
        while (!core.isDone()) {
            for (NatBehaviorDiscovery.Transmit t : drain(core)) {
                assertThat(t.destination()).isEqualTo(SERVER);
                sentAt.add(clock.now() / MS);
                copies.add(t.data());
            }
            clock.advanceTo(core.pollTimeout());
            core.handleTimeout(clock.now());
        }
        assertThat(sentAt).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(clock.now() / MS).isEqualTo(39_500L);
        assertThat(copies).allSatisfy(c -> assertThat(c).isEqualTo(copies.get(0))); // same transaction each time
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.SERVER_UNREACHABLE);
        assertThat(r.mapping()).isEqualTo(MappingBehavior.UNKNOWN);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        assertThat(r.outcome(NatTest.TEST_I).transmissions()).isEqualTo(7);
        assertThat(core.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
        assertThat(drain(core)).isEmpty();
    }

    @Test
    void answerToTheThirdTransmissionEndsTheTest() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit first = drain(core).getFirst();
        assertThat(core.pollTimeout()).isEqualTo(100 * MS);
        clock.advanceTo(core.pollTimeout());
        core.handleTimeout(clock.now());
        assertThat(drain(core)).hasSize(1); // lost again
        assertThat(core.pollTimeout()).isEqualTo(300 * MS);
        clock.advanceTo(core.pollTimeout());
        core.handleTimeout(clock.now());
        assertThat(drain(core)).hasSize(1); // the last one (Rc = 3): then Rm x RTO = 200 ms of waiting
        assertThat(core.pollTimeout()).isEqualTo(500 * MS);
        clock.advanceBy(Duration.ofMillis(20));
        core.handleInput(clock.now(), SERVER, answer(first, MAPPED, null));
        NatBehaviorResult r = core.result().orElseThrow();
        NatTestOutcome i = r.outcome(NatTest.TEST_I);
        assertThat(i.transmissions()).isEqualTo(3);
        assertThat(i.elapsedNanos()).isEqualTo(320 * MS);
        assertThat(i.mapped()).isEqualTo(MAPPED);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.NO_RFC5780_SUPPORT);
    }

    @Test
    void lateAnswerToAFinishedTestAndStrayDatagramsAreCountedAndIgnored() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit testI = drain(core).getFirst();
        clock.advanceBy(Duration.ofMillis(5));
        core.handleInput(clock.now(), SERVER, answer(testI, MAPPED, OTHER));
        NatBehaviorDiscovery.Transmit filteringII = drain(core).getFirst();
        assertThat(StunBytes.changeRequest(filteringII.data())).containsExactly(true, true);
        // filtering test II goes unanswered: 3 transmissions, then test III
        while (core.outcomes().size() < 2) {
            clock.advanceTo(core.pollTimeout());
            core.handleTimeout(clock.now());
        }
        List<NatBehaviorDiscovery.Transmit> sent = drain(core);
        NatBehaviorDiscovery.Transmit filteringIII = sent.getLast();
        assertThat(StunBytes.changeRequest(filteringIII.data())).containsExactly(false, true);

        // stray input: the late answer to test II, a duplicate answer to test I, another transaction, another method,
        // a request, garbage, a truncated message and a bad FINGERPRINT
        core.handleInput(clock.now(), OTHER, answer(filteringII, MAPPED, OTHER));
        core.handleInput(clock.now(), SERVER, answer(testI, MAPPED, OTHER));
        core.handleInput(clock.now(), SERVER, StunBytes.success(new byte[12]).xorMapped(MAPPED).build());
        ByteBuffer allocate = StunBytes.success(StunBytes.transactionId(filteringIII.data())).xorMapped(MAPPED).build();
        allocate.putShort(0, (short) 0x0103);
        core.handleInput(clock.now(), SERVER, allocate);
        core.handleInput(clock.now(), SERVER, filteringIII.data().duplicate());
        core.handleInput(clock.now(), SERVER, ByteBuffer.wrap(new byte[] {0x16, (byte) 0xFE, (byte) 0xFD, 0, 0}));
        ByteBuffer whole = answer(filteringIII, MAPPED, OTHER);
        core.handleInput(clock.now(), SERVER, whole.duplicate().limit(whole.limit() - 4));
        ByteBuffer badFingerprint = StunBytes.success(StunBytes.transactionId(filteringIII.data())).xorMapped(MAPPED)
                .attribute(0x8028, new byte[] {1, 2, 3, 4}).build();
        core.handleInput(clock.now(), SERVER, badFingerprint);
        assertThat(core.outcomes()).hasSize(2);
        assertThat(core.isDone()).isFalse();

        // the real answer to test III, from the other port: address-dependent filtering
        InetSocketAddress otherPort = new InetSocketAddress(SERVER.getAddress(), OTHER.getPort());
        core.handleInput(clock.now(), otherPort, answer(filteringIII, MAPPED, OTHER));
        NatBehaviorDiscovery.Transmit mappingII = drain(core).getFirst();
        assertThat(mappingII.destination()).isEqualTo(new InetSocketAddress(OTHER.getAddress(), SERVER.getPort()));
        core.handleInput(clock.now(), mappingII.destination(), answer(mappingII, MAPPED, OTHER));
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.ADDRESS_DEPENDENT);
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.ignoredDatagrams()).isEqualTo(8);
    }

    @Test
    void answerToFilteringTestIIIFromAChangedIpLeavesFilteringUnknown() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit testI = drain(core).getFirst();
        core.handleInput(clock.now(), SERVER, answer(testI, MAPPED, OTHER));
        drain(core);
        while (core.outcomes().size() < 2) { // filtering test II unanswered
            clock.advanceTo(core.pollTimeout());
            core.handleTimeout(clock.now());
        }
        NatBehaviorDiscovery.Transmit filteringIII = drain(core).getLast();
        core.handleInput(clock.now(), OTHER, answer(filteringIII, MAPPED, OTHER)); // asked for the port only
        NatBehaviorDiscovery.Transmit mappingII = drain(core).getFirst();
        core.handleInput(clock.now(), mappingII.destination(), answer(mappingII, MAPPED, OTHER));
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.outcome(NatTest.FILTERING_TEST_III).kind()).isEqualTo(NatTestOutcome.Kind.ANSWERED);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        assertThat(r.detail()).contains("ignored CHANGE-REQUEST");
    }

    @Test
    void unansweredMappingTestLeavesMappingUnknown() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit testI = drain(core).getFirst();
        core.handleInput(clock.now(), SERVER, answer(testI, MAPPED, OTHER));
        NatBehaviorDiscovery.Transmit filteringII = drain(core).getFirst();
        core.handleInput(clock.now(), OTHER, answer(filteringII, MAPPED, OTHER));
        assertThat(drain(core)).singleElement().satisfies(t -> assertThat(t.destination().getAddress())
                .isEqualTo(OTHER.getAddress()));
        while (!core.isDone()) {
            clock.advanceTo(core.pollTimeout());
            core.handleTimeout(clock.now());
        }
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.mapping()).isEqualTo(MappingBehavior.UNKNOWN);
        assertThat(r.outcome(NatTest.MAPPING_TEST_II).kind()).isEqualTo(NatTestOutcome.Kind.TIMED_OUT);
    }

    @Test
    void errorOrUnusableAnswerToTestIIsAServerError() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit t = drain(core).getFirst();
        core.handleInput(clock.now(), SERVER,
                StunBytes.error(StunBytes.transactionId(t.data())).errorCode(401, "Unauthorized").build());
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.SERVER_ERROR);
        assertThat(r.outcome(NatTest.TEST_I).errorCode()).isEqualTo(401);
        assertThat(r.mappedAddress()).isNull();
        assertThat(r.behindNat()).isFalse();
        assertThat(r.noNat()).isFalse();

        NatBehaviorDiscovery core2 = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core2.start(clock.now());
        NatBehaviorDiscovery.Transmit t2 = drain(core2).getFirst();
        core2.handleInput(clock.now(), SERVER, StunBytes.success(StunBytes.transactionId(t2.data()))
                .otherAddress(OTHER).build()); // no mapped address
        NatBehaviorResult r2 = core2.result().orElseThrow();
        assertThat(r2.status()).isEqualTo(NatBehaviorResult.Status.SERVER_ERROR);
        assertThat(r2.outcome(NatTest.TEST_I).kind()).isEqualTo(NatTestOutcome.Kind.UNUSABLE_RESPONSE);
    }

    @Test
    void classicMappedAddressIsAcceptedAndAnOtherAddressOnThePrimaryPortIsNotUsable() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit t = drain(core).getFirst();
        InetSocketAddress samePort = new InetSocketAddress(OTHER.getAddress(), SERVER.getPort());
        core.handleInput(clock.now(), SERVER, StunBytes.success(StunBytes.transactionId(t.data())).mapped(MAPPED)
                .otherAddress(samePort).build());
        NatBehaviorResult r = core.result().orElseThrow();
        assertThat(r.mappedAddress()).isEqualTo(MAPPED);
        assertThat(r.otherAddress()).isEqualTo(samePort);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.NO_RFC5780_SUPPORT);
        assertThat(r.detail()).contains("shares the primary IP or port");
        assertThat(drain(core)).isEmpty();
    }

    @Test
    void rfc3489ChangedAndSourceAddressStandInForOtherAddressAndResponseOrigin() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        NatBehaviorDiscovery.Transmit t = drain(core).getFirst();
        byte[] other = {0, 1, (byte) (OTHER.getPort() >> 8), (byte) OTHER.getPort(), (byte) 192, 0, 2, 2};
        byte[] source = {0, 1, (byte) (SERVER.getPort() >> 8), (byte) SERVER.getPort(), (byte) 192, 0, 2, 1};
        core.handleInput(clock.now(), SERVER, StunBytes.success(StunBytes.transactionId(t.data())).xorMapped(MAPPED)
                .attribute(0x0004, source).attribute(0x0005, other).build());
        NatTestOutcome i = core.outcomes().getFirst();
        assertThat(i.kind()).isEqualTo(NatTestOutcome.Kind.ANSWERED);
        assertThat(i.otherAddress()).isEqualTo(OTHER);
        assertThat(i.responseOrigin()).isEqualTo(SERVER);
        assertThat(core.isDone()).isFalse(); // filtering test II is under way
        assertThat(StunBytes.changeRequest(drain(core).getFirst().data())).containsExactly(true, true);
    }

    @Test
    void timeGoingBackwardsIsIgnored() {
        clock.advanceTo(10_000 * MS);
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.start(clock.now());
        drain(core);
        long deadline = core.pollTimeout();
        core.handleTimeout(0);
        core.handleTimeout(deadline - 1);
        assertThat(drain(core)).isEmpty();
        assertThat(core.pollTimeout()).isEqualTo(deadline);
        core.handleTimeout(deadline);
        assertThat(drain(core)).hasSize(1);
    }

    @Test
    void misuseThrowsAtOnce() {
        assertThatThrownBy(() -> new NatBehaviorDiscovery(Discovery.FAST, SERVER, new InetSocketAddress(50000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> new NatBehaviorDiscovery(Discovery.FAST,
                InetSocketAddress.createUnresolved("stun.example", 3478), LOCAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NatBehaviorDiscovery.Config(Duration.ZERO, 7, 16, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NatBehaviorDiscovery.Config(Duration.ofMillis(1), 0, 16, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, SERVER, LOCAL);
        core.handleInput(0, SERVER, ByteBuffer.allocate(0)); // before start: counted, not thrown
        core.start(0);
        assertThatThrownBy(() -> core.start(0)).isInstanceOf(IllegalStateException.class);
    }
}
