package io.jrtc.ice.nat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link NatBehaviorDiscovery}: the NAT's mapping and filtering behaviour and the evidence.
 *
 * @param status           whether the discovery could run (see {@link Status})
 * @param server           the STUN server's primary address (where test I went)
 * @param local            the client socket's local address
 * @param mappedAddress    test I's mapped address (the server-reflexive address), or null without an answer
 * @param otherAddress     the server's OTHER-ADDRESS from test I, or null when it sent none
 * @param mapping          the mapping behaviour ({@link MappingBehavior#ENDPOINT_INDEPENDENT} without a NAT)
 * @param filtering        the filtering behaviour
 * @param tests            every test run, in order, with what it saw
 * @param detail           one human-readable sentence on how the classification was reached
 * @param ignoredDatagrams datagrams that were not the answer to the running test (late answers to finished tests,
 *                         other transactions, non-STUN or malformed bytes)
 */
public record NatBehaviorResult(Status status, InetSocketAddress server, InetSocketAddress local,
        InetSocketAddress mappedAddress, InetSocketAddress otherAddress, MappingBehavior mapping,
        FilteringBehavior filtering, List<NatTestOutcome> tests, String detail, int ignoredDatagrams) {

    /** Whether the discovery ran to the end. */
    public enum Status {
        /** Test I was answered with an OTHER-ADDRESS usable for RFC 5780: both behaviours were tested. */
        COMPLETE,
        /**
         * Test I was answered without an OTHER-ADDRESS (or with one that shares the primary IP or port): the server
         * lacks RFC 5780 support. Only the mapped address, and so the presence of a NAT, is known.
         */
        NO_RFC5780_SUPPORT,
        /** Test I went unanswered. */
        SERVER_UNREACHABLE,
        /** Test I got an error response or an unusable one. */
        SERVER_ERROR;

        /**
         * The name in lower case with dashes ({@code no-rfc5780-support}): how logs, audit entries, metrics and
         * signaling show it.
         */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public NatBehaviorResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        tests = List.copyOf(tests);
    }

    /** True when test I's mapped address differs from the local address (RFC 5780 §4.3): a NAT is in the path. */
    public boolean behindNat() {
        return mappedAddress != null && !mappedAddress.equals(local);
    }

    /** True when test I's mapped address is the local address: no NAT between the client and the server. */
    public boolean noNat() {
        return mappedAddress != null && mappedAddress.equals(local);
    }

    /** The outcome of {@code test}, or null if it did not run. */
    public NatTestOutcome outcome(NatTest test) {
        for (NatTestOutcome o : tests) {
            if (o.test() == test) {
                return o;
            }
        }
        return null;
    }
}
