package io.jrtc.ice.nat;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What one test of {@link NatBehaviorDiscovery} sent and saw: the evidence behind a classification.
 *
 * @param test            which test
 * @param destination     where the Binding request went
 * @param changeIp        CHANGE-REQUEST "change IP" flag (RFC 5780 §7.2)
 * @param changePort      CHANGE-REQUEST "change port" flag
 * @param kind            how the transaction ended
 * @param transmissions   how many times the request was sent (1 + retransmissions)
 * @param elapsedNanos    from the first transmission to the answer (or to the timeout)
 * @param responseSource  the source address of the answering datagram, or null
 * @param mapped          XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) of a success response, or null
 * @param responseOrigin  RESPONSE-ORIGIN (RFC 5780 §7.3) of the response, or null
 * @param otherAddress    OTHER-ADDRESS (RFC 5780 §7.4) of the response, or null
 * @param errorCode       the ERROR-CODE of an error response, else 0
 */
public record NatTestOutcome(NatTest test, InetSocketAddress destination, boolean changeIp, boolean changePort,
        Kind kind, int transmissions, long elapsedNanos, InetSocketAddress responseSource, InetSocketAddress mapped,
        InetSocketAddress responseOrigin, InetSocketAddress otherAddress, int errorCode) {

    /** How a test's transaction ended. */
    public enum Kind {
        /** A success response with a mapped address. */
        ANSWERED,
        /** An error response (e.g. 420 when the server does not understand CHANGE-REQUEST). */
        ERROR_RESPONSE,
        /** A success response without a mapped address, or with an unknown comprehension-required attribute. */
        UNUSABLE_RESPONSE,
        /** No response after every transmission and the final wait (RFC 8489 §6.2.1). */
        TIMED_OUT
    }

    public NatTestOutcome {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
    }

    public boolean answered() {
        return kind == Kind.ANSWERED;
    }
}
