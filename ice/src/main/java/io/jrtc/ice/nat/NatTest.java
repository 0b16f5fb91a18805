package io.jrtc.ice.nat;

/**
 * The Binding transactions of RFC 5780 §4.3 and §4.4, in the order {@link NatBehaviorDiscovery} runs them: the
 * filtering tests come before the mapping tests that send to the server's other address, since those open the
 * NAT's filter to that address and would make filtering test II pass on an address-dependent filter.
 */
public enum NatTest {
    /** Test I (§4.3, §4.4): a plain Binding request to the server's primary address. */
    TEST_I,
    /** Filtering test II (§4.4): to the primary address, CHANGE-REQUEST "change IP" and "change port". */
    FILTERING_TEST_II,
    /** Filtering test III (§4.4): to the primary address, CHANGE-REQUEST "change port" only. */
    FILTERING_TEST_III,
    /** Mapping test II (§4.3): to the other address's IP and the primary port. */
    MAPPING_TEST_II,
    /** Mapping test III (§4.3): to the other address (its IP and port). */
    MAPPING_TEST_III
}
