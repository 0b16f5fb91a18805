package io.jrtc.ice.nat;

import static io.jrtc.ice.nat.FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT;
import static io.jrtc.ice.nat.FilteringBehavior.ENDPOINT_INDEPENDENT;
import static io.jrtc.ice.nat.NatTest.FILTERING_TEST_II;
import static io.jrtc.ice.nat.NatTest.FILTERING_TEST_III;
import static io.jrtc.ice.nat.NatTest.MAPPING_TEST_II;
import static io.jrtc.ice.nat.NatTest.MAPPING_TEST_III;
import static io.jrtc.ice.nat.NatTest.TEST_I;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every classification branch of RFC 5780 §4.3 and §4.4: a modelled NAT of each mapping and filtering behaviour in
 * front of a modelled RFC 5780 server answering with hand-made bytes, on a virtual clock; plus servers without
 * OTHER-ADDRESS, ignoring CHANGE-REQUEST or refusing it, and a path without a NAT.
 */
class NatBehaviorDiscoveryClassifiesEveryBranch {

    static Stream<Arguments> everyNat() {
        List<Arguments> all = new ArrayList<>();
        for (MappingBehavior m : List.of(MappingBehavior.ENDPOINT_INDEPENDENT, MappingBehavior.ADDRESS_DEPENDENT,
                MappingBehavior.ADDRESS_AND_PORT_DEPENDENT)) {
            for (FilteringBehavior f : List.of(ENDPOINT_INDEPENDENT, FilteringBehavior.ADDRESS_DEPENDENT,
                    ADDRESS_AND_PORT_DEPENDENT)) {
                all.add(Arguments.of(m, f));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "mapping {0}, filtering {1}")
    @MethodSource("everyNat")
    void eachNatIsClassifiedWithItsEvidence(MappingBehavior mapping, FilteringBehavior filtering) {
        ModelledNat nat = new ModelledNat(mapping, filtering);
        NatBehaviorResult r = Discovery.run(nat);

        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
        assertThat(r.mapping()).isEqualTo(mapping);
        assertThat(r.filtering()).isEqualTo(filtering);
        assertThat(r.behindNat()).isTrue();
        assertThat(r.noNat()).isFalse();
        assertThat(r.otherAddress()).isEqualTo(ModelledNat.OTHER);
        InetSocketAddress m0 = new InetSocketAddress(ModelledNat.PUBLIC_IP, 40000);
        assertThat(r.mappedAddress()).isEqualTo(m0);

        List<NatTest> expected = new ArrayList<>(List.of(TEST_I, FILTERING_TEST_II));
        if (filtering != ENDPOINT_INDEPENDENT) {
            expected.add(FILTERING_TEST_III);
        }
        expected.add(MAPPING_TEST_II);
        if (mapping != MappingBehavior.ENDPOINT_INDEPENDENT) {
            expected.add(MAPPING_TEST_III);
        }
        assertThat(r.tests()).extracting(NatTestOutcome::test).containsExactlyElementsOf(expected);

        // the evidence: where each test went, what it asked for, and the mapped addresses seen
        NatTestOutcome f2 = r.outcome(FILTERING_TEST_II);
        assertThat(f2.destination()).isEqualTo(ModelledNat.PRIMARY);
        assertThat(f2.changeIp()).isTrue();
        assertThat(f2.changePort()).isTrue();
        if (filtering == ENDPOINT_INDEPENDENT) {
            assertThat(f2.kind()).isEqualTo(NatTestOutcome.Kind.ANSWERED);
            assertThat(f2.responseSource()).isEqualTo(ModelledNat.OTHER);
            assertThat(f2.responseOrigin()).isEqualTo(ModelledNat.OTHER);
        } else {
            assertThat(f2.kind()).isEqualTo(NatTestOutcome.Kind.TIMED_OUT);
            assertThat(f2.transmissions()).isEqualTo(3);
            assertThat(f2.elapsedNanos()).isEqualTo(500_000_000L);
            NatTestOutcome f3 = r.outcome(FILTERING_TEST_III);
            assertThat(f3.changeIp()).isFalse();
            assertThat(f3.changePort()).isTrue();
            assertThat(f3.kind()).isEqualTo(filtering == ADDRESS_AND_PORT_DEPENDENT
                    ? NatTestOutcome.Kind.TIMED_OUT : NatTestOutcome.Kind.ANSWERED);
        }
        // the NAT dropped every copy of every answer that its filter refused
        int refused = filtering == ENDPOINT_INDEPENDENT ? 0 : filtering == ADDRESS_AND_PORT_DEPENDENT ? 6 : 3;
        assertThat(nat.filteredOut).hasSize(refused);

        NatTestOutcome m2 = r.outcome(MAPPING_TEST_II);
        assertThat(m2.destination()).isEqualTo(new InetSocketAddress(ModelledNat.OTHER.getAddress(),
                ModelledNat.PRIMARY.getPort()));
        assertThat(m2.mapped()).isEqualTo(mapping == MappingBehavior.ENDPOINT_INDEPENDENT ? m0
                : new InetSocketAddress(ModelledNat.PUBLIC_IP, 40001));
        if (mapping != MappingBehavior.ENDPOINT_INDEPENDENT) {
            NatTestOutcome m3 = r.outcome(MAPPING_TEST_III);
            assertThat(m3.destination()).isEqualTo(ModelledNat.OTHER);
            assertThat(m3.mapped().getPort()).isEqualTo(mapping == MappingBehavior.ADDRESS_DEPENDENT ? 40001 : 40002);
        }
        assertThat(r.ignoredDatagrams()).isZero();
    }

    @Test
    void noNatAndNoFirewallIsEndpointIndependentWithoutMappingTests() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT);
        nat.nat = false;
        NatBehaviorResult r = Discovery.run(nat);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
        assertThat(r.noNat()).isTrue();
        assertThat(r.mappedAddress()).isEqualTo(ModelledNat.LOCAL);
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.filtering()).isEqualTo(ENDPOINT_INDEPENDENT);
        assertThat(r.tests()).extracting(NatTestOutcome::test).containsExactly(TEST_I, FILTERING_TEST_II);
        assertThat(r.detail()).contains("no NAT");
    }

    @Test
    void noNatBehindAStatefulFirewallFiltersByAddressAndPort() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
        nat.nat = false;
        NatBehaviorResult r = Discovery.run(nat);
        assertThat(r.noNat()).isTrue();
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.filtering()).isEqualTo(ADDRESS_AND_PORT_DEPENDENT);
        assertThat(r.tests()).extracting(NatTestOutcome::test)
                .containsExactly(TEST_I, FILTERING_TEST_II, FILTERING_TEST_III);
    }

    @Test
    void serverWithoutOtherAddressLacksRfc5780Support() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ADDRESS_DEPENDENT, ENDPOINT_INDEPENDENT);
        nat.sendOtherAddress = false;
        Discovery d = new Discovery(nat);
        NatBehaviorResult r = d.run();
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.NO_RFC5780_SUPPORT);
        assertThat(r.behindNat()).isTrue();
        assertThat(r.mappedAddress()).isEqualTo(new InetSocketAddress(ModelledNat.PUBLIC_IP, 40000));
        assertThat(r.otherAddress()).isNull();
        assertThat(r.mapping()).isEqualTo(MappingBehavior.UNKNOWN);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        assertThat(r.tests()).extracting(NatTestOutcome::test).containsExactly(TEST_I);
        assertThat(d.sent).isEqualTo(1);
        assertThat(r.detail()).contains("no OTHER-ADDRESS");
    }

    @Test
    void serverWithoutOtherAddressStillShowsThatThereIsNoNat() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT);
        nat.nat = false;
        nat.sendOtherAddress = false;
        NatBehaviorResult r = Discovery.run(nat);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.NO_RFC5780_SUPPORT);
        assertThat(r.noNat()).isTrue();
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
    }

    @Test
    void answerFromTheUnchangedAddressLeavesFilteringUnknown() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT);
        nat.honourChangeRequest = false;
        NatBehaviorResult r = Discovery.run(nat);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        assertThat(r.outcome(FILTERING_TEST_II).responseSource()).isEqualTo(ModelledNat.PRIMARY);
        assertThat(r.detail()).contains("ignored CHANGE-REQUEST");
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT);
    }

    @Test
    void changeRequestRefusedWith420LeavesFilteringUnknown() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT);
        nat.refuseChangeRequest = true;
        NatBehaviorResult r = Discovery.run(nat);
        assertThat(r.status()).isEqualTo(NatBehaviorResult.Status.COMPLETE);
        assertThat(r.filtering()).isEqualTo(FilteringBehavior.UNKNOWN);
        NatTestOutcome f2 = r.outcome(FILTERING_TEST_II);
        assertThat(f2.kind()).isEqualTo(NatTestOutcome.Kind.ERROR_RESPONSE);
        assertThat(f2.errorCode()).isEqualTo(420);
        assertThat(r.outcome(FILTERING_TEST_III)).isNull();
        assertThat(r.mapping()).isEqualTo(MappingBehavior.ENDPOINT_INDEPENDENT);
    }
}
