package io.jrtc.ice.nat;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.ParseException;
import io.jrtc.common.Timer;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.ice4j.StunException;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ChangedAddressAttribute;
import org.ice4j.attribute.OptionalAttribute;
import org.ice4j.attribute.SourceAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;

/**
 * NAT behaviour discovery (RFC 5780) as a sans-IO core: one client socket, one STUN server that supports RFC 5780
 * (its Binding responses carry OTHER-ADDRESS, and it honours CHANGE-REQUEST).
 *
 * <p>The tests run one at a time ({@link NatTest}):
 * <ol>
 *   <li>Test I to the primary address. No answer: {@link NatBehaviorResult.Status#SERVER_UNREACHABLE}. The mapped
 *       address equal to the local address means no NAT (§4.3). No OTHER-ADDRESS (or one sharing the primary IP or
 *       port) means the server lacks RFC 5780 support, and discovery stops there.</li>
 *   <li>Filtering (§4.4): test II asks the server to answer from its other IP and port; an answer means
 *       endpoint-independent filtering. Otherwise test III asks for the other port only: an answer means
 *       address-dependent filtering, silence address-and-port-dependent. An answer counts only if its datagram really
 *       came from the changed address (a server that ignores CHANGE-REQUEST leaves the filtering UNKNOWN).</li>
 *   <li>Mapping (§4.3), behind a NAT only: test II to the other IP and primary port; the same mapped address as
 *       test I means endpoint-independent mapping. Otherwise test III to the other IP and port: the same mapped
 *       address as test II means address-dependent, else address-and-port-dependent mapping.</li>
 * </ol>
 * Filtering runs before mapping because mapping test II sends to the other IP, which would open an
 * address-dependent filter to it.
 *
 * <p>Each request is retransmitted as RFC 8489 §6.2.1 (and RFC 5389 §7.2.1) says: first after RTO, doubling, Rc
 * transmissions in all, then Rm × RTO of waiting before the test counts as unanswered; all three are in
 * {@link Config} (shorten them for tests). Messages are built, encoded and decoded with ice4j's message layer
 * (CHANGE-REQUEST is ice4j's {@code ChangeRequestAttribute}); OTHER-ADDRESS and RESPONSE-ORIGIN, which ice4j
 * decodes as opaque attributes, are read by {@link AddressAttribute}.
 *
 * <p>Contract: single-threaded (the caller serialises every call); never reads a clock, blocks, locks or touches a
 * socket. {@code now} is nanoseconds on any monotonic base; time that goes backwards is ignored. Received bytes that
 * are not the running test's answer are counted ({@link NatBehaviorResult#ignoredDatagrams()}), never thrown.
 */
public final class NatBehaviorDiscovery {

    /**
     * Retransmission settings (RFC 8489 §6.2.1).
     *
     * @param rto              the initial retransmission timeout, RTO (default {@link #RTO_INITIAL}, 500 ms)
     * @param maxTransmissions Rc, transmissions per test in all (default 7)
     * @param rm               Rm: after the last transmission, wait Rm × RTO (default 16)
     * @param random           source of transaction ids
     */
    public record Config(Duration rto, int maxTransmissions, int rm, RandomGenerator random) {
        public static final Duration RTO_INITIAL = Duration.ofMillis(500);
        public static final int RC = 7;
        public static final int RM = 16;

        public Config {
            Objects.requireNonNull(rto, "rto");
            Objects.requireNonNull(random, "random");
            if (rto.isNegative() || rto.isZero()) {
                throw new IllegalArgumentException("rto must be positive: " + rto);
            }
            if (maxTransmissions < 1) {
                throw new IllegalArgumentException("maxTransmissions must be at least 1: " + maxTransmissions);
            }
            if (rm < 1) {
                throw new IllegalArgumentException("rm must be at least 1: " + rm);
            }
        }

        /** RFC 8489's defaults: RTO 500 ms, Rc 7, Rm 16 (39.5 s until a test counts as unanswered). */
        public static Config defaults() {
            return new Config(RTO_INITIAL, RC, RM, new SplittableRandom());
        }

        /** How long one unanswered test takes: RTO × (2^(Rc−1) − 1) + Rm × RTO. */
        public Duration testTimeout() {
            long sum = 0;
            long r = rto.toNanos();
            for (int i = 1; i < maxTransmissions; i++) {
                sum += r;
                r *= 2;
            }
            return Duration.ofNanos(sum + rm * rto.toNanos());
        }
    }

    /** A datagram to send from the client socket. */
    public record Transmit(InetSocketAddress destination, ByteBuffer data) {
    }

    /** RFC 3489 §11.2.5 and §11.2.3: what RESPONSE-ORIGIN and OTHER-ADDRESS replaced (RFC 5780 §7.3, §7.4). */
    private static final int SOURCE_ADDRESS = 0x0004;
    private static final int CHANGED_ADDRESS = 0x0005;

    private final Config config;
    private final InetSocketAddress server;
    private final InetSocketAddress local;
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final List<NatTestOutcome> outcomes = new ArrayList<>();

    private boolean started;
    private long lastNow = Long.MIN_VALUE;
    private int ignored;

    // the running transaction
    private NatTest test;
    private InetSocketAddress destination;
    private boolean changeIp;
    private boolean changePort;
    private Stun.TxKey txKey;
    private ByteBuffer request;
    private int transmissions;
    /**
     * When the running test retransmits, or counts as unanswered: RTO after the first transmission, doubling after
     * each (its backoff), then Rm × RTO after the last. Stopped between tests.
     */
    private final Timer retransmit = new Timer("nat-test-retransmit", Timer.Backoff.EXPONENTIAL, Long.MAX_VALUE,
            Timer.UNLIMITED);
    private long firstSent;

    // what the tests found
    private InetSocketAddress mappedI;
    private InetSocketAddress mappedII;
    private InetSocketAddress other;
    private FilteringBehavior filtering = FilteringBehavior.UNKNOWN;
    private final StringBuilder detail = new StringBuilder();
    private NatBehaviorResult result;

    /**
     * @param config retransmission settings
     * @param server the STUN server's primary address
     * @param local  the client socket's local address, as bound (a concrete address, not the wildcard: it is
     *               compared with the mapped address to detect a NAT)
     */
    public NatBehaviorDiscovery(Config config, InetSocketAddress server, InetSocketAddress local) {
        this.config = Objects.requireNonNull(config, "config");
        this.server = requireResolved(server, "server");
        this.local = requireResolved(local, "local");
        if (local.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("local must be a concrete address, not the wildcard: " + fmt(local));
        }
    }

    private static InetSocketAddress requireResolved(InetSocketAddress a, String name) {
        Objects.requireNonNull(a, name);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(name + " must be resolved: " + a);
        }
        return a;
    }

    /** Sends test I. Call once. */
    public void start(long now) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        lastNow = now;
        begin(now, NatTest.TEST_I, server, false, false);
    }

    /** A datagram arrived on the client socket from {@code from}. The buffer is read during the call only. */
    public void handleInput(long now, InetSocketAddress from, ByteBuffer datagram) {
        now = advance(now);
        byte[] msg = new byte[datagram.remaining()];
        datagram.duplicate().get(msg);
        if (test == null || !StunScan.looksLikeStun(msg, 0, msg.length)) {
            ignored++;
            return;
        }
        StunScan scan = StunScan.scan(msg, msg.length);
        int cls = scan.ok() ? scan.messageClass() : -1;
        if (!scan.ok() || scan.method() != Stun.METHOD_BINDING
                || (cls != Stun.CLASS_SUCCESS && cls != Stun.CLASS_ERROR)
                || !Stun.TxKey.ofMessage(msg).equals(txKey)) {
            ignored++;
            return;
        }
        Message m = Stun.decode(msg, msg.length);
        if (m == null) {
            ignored++;
            return;
        }
        long elapsed = now - firstSent;
        if (cls == Stun.CLASS_ERROR) {
            finish(now, outcome(NatTestOutcome.Kind.ERROR_RESPONSE, elapsed, from, null, m, Stun.errorCode(m)));
            return;
        }
        InetSocketAddress mapped = Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS);
        if (mapped == null) {
            mapped = Stun.xorAddress(m, Attribute.MAPPED_ADDRESS);
        }
        NatTestOutcome.Kind kind = mapped == null || unknownRequired(scan)
                ? NatTestOutcome.Kind.UNUSABLE_RESPONSE : NatTestOutcome.Kind.ANSWERED;
        finish(now, outcome(kind, elapsed, from, mapped, m, 0));
    }

    /**
     * Unknown comprehension-required attributes (RFC 8489 §7.3.3) make a success response unusable, except RFC 3489's
     * SOURCE-ADDRESS and CHANGED-ADDRESS, which servers with backward compatibility still send.
     */
    private static boolean unknownRequired(StunScan scan) {
        for (int type : scan.unknownRequired()) {
            if (type != SOURCE_ADDRESS && type != CHANGED_ADDRESS) {
                return true;
            }
        }
        return false;
    }

    /** The clock moved on: retransmits, or ends a test that went unanswered. */
    public void handleTimeout(long now) {
        now = advance(now);
        if (test == null || !retransmit.expired(now)) {
            return;
        }
        if (transmissions < config.maxTransmissions()) {
            transmit(now);
        } else {
            finish(now, outcome(NatTestOutcome.Kind.TIMED_OUT, now - firstSent, null, null, null, 0));
        }
    }

    /** The next datagram to send, if any. */
    public Optional<Transmit> pollTransmit() {
        return Optional.ofNullable(transmits.poll());
    }

    /** When {@link #handleTimeout} should next be called, or {@link DatagramCore#NO_TIMEOUT}. */
    public long pollTimeout() {
        return test == null ? DatagramCore.NO_TIMEOUT : retransmit.deadline();
    }

    public boolean isDone() {
        return result != null;
    }

    /** The result, once {@link #isDone()}. */
    public Optional<NatBehaviorResult> result() {
        return Optional.ofNullable(result);
    }

    /** The tests finished so far, with their evidence. */
    public List<NatTestOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public InetSocketAddress server() {
        return server;
    }

    public InetSocketAddress local() {
        return local;
    }

    // ------------------------------------------------------------------------------------------------ transactions

    private long advance(long now) {
        if (now < lastNow) {
            return lastNow;
        }
        lastNow = now;
        return now;
    }

    private void begin(long now, NatTest next, InetSocketAddress to, boolean ip, boolean port) {
        byte[] tid = Stun.newTransactionId(config.random());
        Request r = MessageFactory.createBindingRequest();
        try {
            r.setTransactionID(tid);
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
        if (ip || port) {
            r.putAttribute(AttributeFactory.createChangeRequestAttribute(ip, port));
        }
        test = next;
        destination = to;
        changeIp = ip;
        changePort = port;
        txKey = Stun.TxKey.of(tid);
        request = Stun.encode(r, null, true);
        transmissions = 0;
        firstSent = now;
        transmit(now);
    }

    private void transmit(long now) {
        transmissions++;
        if (transmissions >= config.maxTransmissions()) {
            retransmit.start(now, config.rm() * config.rto().toNanos());
        } else if (transmissions == 1) {
            retransmit.start(now, config.rto().toNanos());
        } else {
            retransmit.restartAfterExpiry(now); // doubles the previous wait
        }
        transmits.add(new Transmit(destination, request.duplicate()));
    }

    private NatTestOutcome outcome(NatTestOutcome.Kind kind, long elapsed, InetSocketAddress from,
            InetSocketAddress mapped, Message m, int errorCode) {
        return new NatTestOutcome(test, destination, changeIp, changePort, kind, transmissions, elapsed, from, mapped,
                m == null ? null : address(m, AddressAttribute.RESPONSE_ORIGIN),
                m == null ? null : address(m, AddressAttribute.OTHER_ADDRESS), errorCode);
    }

    /**
     * RESPONSE-ORIGIN or OTHER-ADDRESS: ice4j decodes them as opaque attributes; null if absent or malformed. Without
     * them, RFC 3489's SOURCE-ADDRESS or CHANGED-ADDRESS (same meaning, ice4j decodes those) stand in.
     */
    private static InetSocketAddress address(Message m, int type) {
        if (!(m.getAttribute((char) type) instanceof OptionalAttribute a)) {
            TransportAddress classic = switch (m.getAttribute((char) (type == AddressAttribute.OTHER_ADDRESS
                    ? CHANGED_ADDRESS : SOURCE_ADDRESS))) {
                case ChangedAddressAttribute c -> c.getAddress();
                case SourceAddressAttribute c -> c.getAddress();
                case null, default -> null;
            };
            return classic == null ? null : new InetSocketAddress(classic.getAddress(), classic.getPort());
        }
        try {
            return AddressAttribute.parseBody(type, a.getBody()).address();
        } catch (ParseException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ the decisions

    private void finish(long now, NatTestOutcome o) {
        outcomes.add(o);
        NatTest finished = test;
        test = null;
        retransmit.stop();
        switch (finished) {
            case TEST_I -> afterTestI(now, o);
            case FILTERING_TEST_II -> {
                if (o.answered() && changedIp(o.responseSource()) && changedPort(o.responseSource())) {
                    filtering = FilteringBehavior.ENDPOINT_INDEPENDENT;
                    note("filtering test II was answered from the other IP and port " + fmt(o.responseSource()));
                    mappingTests(now);
                } else if (o.answered()) {
                    note("filtering test II was answered from " + fmt(o.responseSource())
                            + ", not from another IP and port: the server ignored CHANGE-REQUEST");
                    mappingTests(now);
                } else if (o.kind() == NatTestOutcome.Kind.TIMED_OUT) {
                    begin(now, NatTest.FILTERING_TEST_III, server, false, true);
                } else {
                    note("filtering test II got " + describe(o));
                    mappingTests(now);
                }
            }
            case FILTERING_TEST_III -> {
                if (o.answered() && !changedIp(o.responseSource()) && changedPort(o.responseSource())) {
                    filtering = FilteringBehavior.ADDRESS_DEPENDENT;
                    note("filtering test II went unanswered, test III was answered from the other port "
                            + fmt(o.responseSource()));
                } else if (o.answered()) {
                    note("filtering test III was answered from " + fmt(o.responseSource())
                            + ", not from the primary IP's other port: the server ignored CHANGE-REQUEST");
                } else if (o.kind() == NatTestOutcome.Kind.TIMED_OUT) {
                    filtering = FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT;
                    note("filtering tests II and III both went unanswered");
                } else {
                    note("filtering test III got " + describe(o));
                }
                mappingTests(now);
            }
            case MAPPING_TEST_II -> {
                if (!o.answered()) {
                    done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.UNKNOWN, "mapping test II got " + describe(o));
                } else if (o.mapped().equals(mappedI)) {
                    done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.ENDPOINT_INDEPENDENT,
                            "mapping test II (to the other IP) saw test I's mapped address " + fmt(mappedI));
                } else {
                    mappedII = o.mapped();
                    begin(now, NatTest.MAPPING_TEST_III, other, false, false);
                }
            }
            case MAPPING_TEST_III -> {
                if (!o.answered()) {
                    done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.UNKNOWN, "mapping test III got " + describe(o));
                } else if (o.mapped().equals(mappedII)) {
                    done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.ADDRESS_DEPENDENT,
                            "mapping tests II and III (one IP, two ports) saw the same mapped address " + fmt(mappedII)
                                    + ", test I another");
                } else {
                    done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.ADDRESS_AND_PORT_DEPENDENT,
                            "mapping tests I, II and III saw " + fmt(mappedI) + ", " + fmt(mappedII) + " and " + fmt(o.mapped()));
                }
            }
        }
    }

    private void afterTestI(long now, NatTestOutcome o) {
        switch (o.kind()) {
            case TIMED_OUT -> {
                done(NatBehaviorResult.Status.SERVER_UNREACHABLE, MappingBehavior.UNKNOWN,
                        "test I went unanswered after " + o.transmissions() + " transmissions");
                return;
            }
            case ERROR_RESPONSE, UNUSABLE_RESPONSE -> {
                done(NatBehaviorResult.Status.SERVER_ERROR, MappingBehavior.UNKNOWN, "test I got " + describe(o));
                return;
            }
            case ANSWERED -> {
            }
        }
        mappedI = o.mapped();
        note(mappedI.equals(local) ? "test I's mapped address is the local address: no NAT"
                : "test I's mapped address " + fmt(mappedI) + " is not the local address " + fmt(local) + ": behind a NAT");
        other = o.otherAddress();
        if (other == null || !changedIp(other) || !changedPort(other)) {
            MappingBehavior m = mappedI.equals(local) ? MappingBehavior.ENDPOINT_INDEPENDENT : MappingBehavior.UNKNOWN;
            done(NatBehaviorResult.Status.NO_RFC5780_SUPPORT, m, other == null
                    ? "the server sent no OTHER-ADDRESS: it lacks RFC 5780 support"
                    : "the server's OTHER-ADDRESS " + fmt(other) + " shares the primary IP or port: not usable for RFC 5780");
            return;
        }
        begin(now, NatTest.FILTERING_TEST_II, server, true, true);
    }

    private void mappingTests(long now) {
        if (mappedI.equals(local)) {
            done(NatBehaviorResult.Status.COMPLETE, MappingBehavior.ENDPOINT_INDEPENDENT,
                    "no NAT: no mapping tests needed (RFC 5780 §4.3)");
            return;
        }
        begin(now, NatTest.MAPPING_TEST_II, new InetSocketAddress(other.getAddress(), server.getPort()), false, false);
    }

    private boolean changedIp(InetSocketAddress a) {
        return a != null && !a.getAddress().equals(server.getAddress());
    }

    private boolean changedPort(InetSocketAddress a) {
        return a != null && a.getPort() != server.getPort();
    }

    private static String describe(NatTestOutcome o) {
        return switch (o.kind()) {
            case ANSWERED -> "an answer";
            case ERROR_RESPONSE -> "error response " + o.errorCode();
            case UNUSABLE_RESPONSE -> "an unusable response (no mapped address, or an unknown required attribute)";
            case TIMED_OUT -> "no answer after " + o.transmissions() + " transmissions";
        };
    }

    /** {@code ip:port} ({@code [v6]:port}), without {@link InetSocketAddress#toString()}'s host-name slash. */
    static String fmt(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    private void note(String s) {
        if (!detail.isEmpty()) {
            detail.append("; ");
        }
        detail.append(s);
    }

    private void done(NatBehaviorResult.Status status, MappingBehavior mapping, String last) {
        note(last);
        if (status != NatBehaviorResult.Status.COMPLETE) {
            filtering = FilteringBehavior.UNKNOWN;
        }
        test = null;
        retransmit.stop();
        result = new NatBehaviorResult(status, server, local, mappedI, other, mapping, filtering, outcomes,
                detail.toString(), ignored);
    }
}
