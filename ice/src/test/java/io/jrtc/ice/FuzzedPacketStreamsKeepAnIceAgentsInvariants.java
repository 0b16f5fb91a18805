package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import io.jrtc.testkit.FuzzScript;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Stateful fuzzing of the ICE agent on the virtual clock. Two sans-IO agents, A (the authentic peer) and B (under
 * test), one host socket each, run their checks; the input is a script that, step by step, delivers A's datagrams to
 * B in order, out of order or not at all, replays old ones (from A's address or from a forged one), delivers mutated
 * copies (MESSAGE-INTEGRITY and FINGERPRINT left as they are, or recomputed with the right or a wrong key), raw bytes
 * from a random source, B's datagrams to A, data sent by A, an ICE restart on both sides, or advances time; a setup
 * byte picks the roles (also a role conflict), the nomination mode and tiny list limits. After every call into B:
 * nothing throws; B never sends an address that did not prove the credentials more datagrams than it got from it;
 * B emits a bounded number of datagrams and events; its connection state only takes legal transitions; it selects or
 * nominates a pair only when the datagram in hand is a binding request or response carrying a valid
 * MESSAGE-INTEGRITY (or on signalling); the selected pair's remote address is one that proved it knows the
 * credentials; and every {@link IceEvent.ApplicationData} carries exactly the non-STUN datagram in hand, which came
 * from such an address: A's, or a forged one after a binding request with valid integrity came from it (a replayed
 * check does that: ICE does not bind a check to its source address; DTLS authenticates the data itself).
 */
class FuzzedPacketStreamsKeepAnIceAgentsInvariants {

    private static final long MS = 1_000_000L;
    private static final int MAX_STEPS = 400;
    /** Bound on what one call may make B emit: far above what one datagram or one timeout can justify. */
    private static final int MAX_OUTPUT_PER_CALL = 64;
    private static final InetSocketAddress A_ADDR = VirtualNetwork.addr("10.0.0.1", 5000);
    private static final InetSocketAddress B_ADDR = VirtualNetwork.addr("10.0.0.2", 6000);
    private static final InetSocketAddress[] SOURCES = {
        A_ADDR, VirtualNetwork.addr("10.0.0.1", 5002), VirtualNetwork.addr("10.6.6.6", 666), VirtualNetwork.addr("10.0.0.3", 6000),
    };
    private static final SocketId SOCKET = SocketId.udp(0);
    private static final byte[] WRONG_KEY = Stun.shortTermKey("not-the-password-0123456");

    @FuzzTest(maxDuration = "30s")
    void session(byte[] input) {
        new Session(new FuzzScript(input)).run();
    }

    /** Regression mode without Jazzer's mutator: seeded random scripts, so every build runs this state machine. */
    @Test
    void randomScriptsKeepTheInvariants() {
        SplittableRandom random = new SplittableRandom(0x1CE);
        int connected = 0;
        int delivered = 0;
        int forgedRejected = 0;
        int failedOrDisconnected = 0;
        int restarts = 0;
        int selectionsAfterRestart = 0;
        for (int i = 0; i < 300; i++) {
            byte[] script = new byte[random.nextInt(64, 1024)];
            random.nextBytes(script);
            Session s = new Session(new FuzzScript(script));
            s.run();
            connected += s.everConnected ? 1 : 0;
            delivered += s.deliveredCount;
            forgedRejected += s.forgedRejected;
            failedOrDisconnected += s.everLostConsent ? 1 : 0;
            restarts += s.restarts;
            selectionsAfterRestart += s.selectionsAfterRestart;
        }
        // the scripts must reach the interesting states, or the invariants were checked on nothing
        assertThat(connected).isGreaterThan(130);
        assertThat(delivered).isGreaterThan(800);
        assertThat(forgedRejected).isGreaterThan(1500);
        assertThat(failedOrDisconnected).isGreaterThan(5);
        assertThat(restarts).isGreaterThan(40);
        assertThat(selectionsAfterRestart).isGreaterThan(5);
    }

    /** The seed inputs do what their names say, so the fuzzer starts from the interesting states. */
    @Test
    void seedsReachTheirStates() throws java.io.IOException {
        Session happy = replay("happy_path_b_controlled");
        assertThat(happy.everConnected).isTrue();
        assertThat(happy.deliveredCount).isGreaterThan(10);
        Session controlling = replay("happy_path_b_controlling");
        assertThat(controlling.everConnected).isTrue();
        assertThat(controlling.deliveredCount).isGreaterThan(10);
        Session forged = replay("forged_replays_and_resealed_mutations");
        assertThat(forged.everConnected).as("connected").isTrue();
        assertThat(forged.forgedRejected).isGreaterThan(20);
        assertThat(forged.provenSources).hasSizeGreaterThan(1);
        Session prflx = replay("peer_reflexive_then_consent_expires");
        assertThat(prflx.everConnected).isTrue();
        assertThat(prflx.state).isEqualTo(IceConnectionState.FAILED);
        Session conflict = replay("role_conflict_aggressive_tiny_limits");
        assertThat(conflict.everConnected).isTrue();
        assertThat(conflict.deliveredCount).isGreaterThan(10);
    }

    private static Session replay(String seed) throws java.io.IOException {
        String path = FuzzedPacketStreamsKeepAnIceAgentsInvariants.class.getSimpleName() + "Inputs/session/" + seed;
        try (var in = FuzzedPacketStreamsKeepAnIceAgentsInvariants.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Session s = new Session(new FuzzScript(in.readAllBytes()));
            s.run();
            return s;
        }
    }


    /** What B is being handed in the current call: a datagram from a source, a signalling call, or a timeout. */
    private record Input(InetSocketAddress from, byte[] data, boolean signalling) {
        static final Input TIMEOUT = new Input(null, null, false);
        static final Input SIGNAL = new Input(null, null, true);
        static final Input RESTART = new Input(null, null, true);
    }

    static final class Session {
        private final FuzzScript script;
        private final IceCredentials credsA = TestAgents.creds(101);
        private final IceCredentials credsB = TestAgents.creds(202);
        /** Every password A and B had (an ICE restart keeps the previous generation's checks valid for a while). */
        private final List<byte[]> keysA = new ArrayList<>(List.of(Stun.shortTermKey(credsA.pwd())));
        private final List<byte[]> keysB = new ArrayList<>(List.of(Stun.shortTermKey(credsB.pwd())));
        private final int setup;
        private final IceAgent a;
        private final IceAgent b;
        private final ArrayDeque<byte[]> aToB = new ArrayDeque<>();
        private final ArrayDeque<byte[]> bToA = new ArrayDeque<>();
        private final List<byte[]> recorded = new ArrayList<>();
        /** Addresses that proved they know the credentials: A's, and any that sent B a check with valid integrity. */
        private final Set<InetSocketAddress> provenSources = new HashSet<>(Set.of(A_ADDR));
        private final Set<String> nominatedPairs = new HashSet<>();
        /** Datagrams from each source minus datagrams B sent back to it. */
        private final java.util.Map<InetSocketAddress, Integer> credit = new java.util.HashMap<>();
        private boolean signalAToB;
        private boolean signalEndOfCandidates;
        private long now = 1_000 * MS;
        private int nextMessage;
        private IceConnectionState state = IceConnectionState.NEW;
        private boolean everSelected;
        boolean everConnected;
        boolean everLostConsent;
        int deliveredCount;
        int forgedRejected;
        int restarts;
        int selectionsAfterRestart;

        Session(FuzzScript script) {
            this.script = script;
            // setup bits: 1|2 signal A's candidates to B, 4 end-of-candidates, 8 B controls, 16 aggressive
            // nomination, 32 both agents start in the same role (a role conflict), 64 tiny limits on B's lists
            setup = script.next(256);
            NominationMode mode = (setup & 16) != 0 ? NominationMode.AGGRESSIVE : NominationMode.REGULAR;
            a = new IceAgent(TestAgents.config(1).nomination(mode).build(), credsA);
            IceConfig.Builder cb = TestAgents.config(2).nomination(mode);
            if ((setup & 64) != 0) {
                cb.maxRemoteCandidates(2).maxCheckListSize(3);
            }
            b = new IceAgent(cb.build(), credsB);
        }

        void run() {
            signalAToB = (setup & 3) != 0;
            signalEndOfCandidates = (setup & 4) != 0;
            boolean bControls = (setup & 8) != 0;
            boolean sameRole = (setup & 32) != 0;
            a.setRole(bControls == sameRole ? IceRole.CONTROLLING : IceRole.CONTROLLED);
            b.setRole(bControls ? IceRole.CONTROLLING : IceRole.CONTROLLED);
            a.addLocalSocket(now, SOCKET, A_ADDR, IceProtocol.UDP);
            b.addLocalSocket(now, SOCKET, B_ADDR, IceProtocol.UDP);
            a.setRemoteCredentials(now, credsB);
            b.setRemoteCredentials(now, credsA);
            afterB(Input.SIGNAL);
            a.startGathering(now);
            drainA();
            b.startGathering(now);
            afterB(Input.SIGNAL);
            for (int step = 0; step < MAX_STEPS && script.more(); step++) {
                act(script.next(16));
            }
        }

        private void act(int op) {
            switch (op) {
                case 0, 1, 2 -> {
                    byte[] p = aToB.poll();
                    if (p != null) {
                        toB(A_ADDR, p);
                    }
                }
                case 3 -> {
                    if (!aToB.isEmpty()) {
                        List<byte[]> l = new ArrayList<>(aToB);
                        byte[] p = l.remove(script.next(l.size()));
                        aToB.clear();
                        aToB.addAll(l);
                        toB(A_ADDR, p);
                    }
                }
                case 4 -> aToB.poll();
                case 5 -> {
                    if (!recorded.isEmpty()) {
                        toB(A_ADDR, recorded.get(script.next(recorded.size())).clone());
                    }
                }
                case 6, 7 -> {
                    if (!recorded.isEmpty()) {
                        byte[] p = mutate(recorded.get(script.next(recorded.size())));
                        toB(script.next(2) == 0 ? SOURCES[script.next(SOURCES.length)] : A_ADDR, p);
                    }
                }
                case 8 -> toB(SOURCES[script.next(SOURCES.length)], raw());
                case 9 -> {
                    if (!recorded.isEmpty()) {
                        // a replay from elsewhere: an authentic check from a forged source
                        toB(SOURCES[1 + script.next(SOURCES.length - 1)], recorded.get(script.next(recorded.size())).clone());
                    }
                }
                case 10, 11 -> {
                    while (!bToA.isEmpty()) {
                        a.handleInput(now, SOCKET, B_ADDR, ByteBuffer.wrap(bToA.poll()));
                        drainA();
                    }
                }
                case 12 -> advance((1 + script.next(250)) * 10L * MS);
                case 13 -> {
                    if (!a.isClosed()) {
                        a.send(now, ByteBuffer.wrap(("d" + nextMessage++).getBytes(StandardCharsets.US_ASCII)));
                        drainA();
                    }
                }
                case 14 -> advance((1 + script.next(20)) * MS);
                default -> {
                    int rare = script.next(16);
                    if (b.connectionState() == IceConnectionState.CLOSED) {
                        return;
                    }
                    if (rare == 0) {
                        b.close(now);
                        afterB(Input.SIGNAL);
                    } else if (rare == 1 && keysA.size() < 4) {
                        restart();
                    }
                }
            }
        }

        /** An ICE restart by offer/answer: both sides get new credentials and re-signal their candidates. */
        private void restart() {
            IceCredentials newA = TestAgents.creds(1000 + keysA.size());
            IceCredentials newB = TestAgents.creds(2000 + keysB.size());
            restarts++;
            keysA.add(Stun.shortTermKey(newA.pwd()));
            keysB.add(Stun.shortTermKey(newB.pwd()));
            b.setRemoteCredentials(now, newA);
            b.restart(now, newB);
            afterB(Input.RESTART);
            if (!a.isClosed()) {
                a.setRemoteCredentials(now, newB);
                a.restart(now, newA);
                drainA();
            }
        }

        /** Flips bytes of a recorded datagram; then maybe recomputes MESSAGE-INTEGRITY/FINGERPRINT, right or wrong. */
        private byte[] mutate(byte[] original) {
            byte[] p = original.clone();
            int flips = script.next(5);
            for (int i = 0; i < flips; i++) {
                p[script.next16() % p.length] ^= (byte) (1 + script.next(255));
            }
            int mode = script.next(3);
            if (mode == 0 || !StunScan.looksLikeStun(original, 0, original.length)) {
                return p;
            }
            StunScan scan = StunScan.scan(original, original.length);
            if (!scan.ok()) {
                return p;
            }
            boolean fingerprint = scan.fpOffset() >= 0;
            if (scan.miOffset() >= 0) {
                byte[] right = keysA.get(0);
                for (byte[] k : concat(keysA, keysB)) {
                    if (Stun.verifyIntegrity(original, scan.miOffset(), k)) {
                        right = k;
                    }
                }
                byte[] body = Arrays.copyOf(p, scan.miOffset());
                return toArray(Stun.seal(body, mode == 1 ? right : WRONG_KEY, fingerprint));
            }
            if (fingerprint) {
                return toArray(Stun.seal(Arrays.copyOf(p, scan.fpOffset()), null, true));
            }
            return p;
        }

        private byte[] raw() {
            byte[] p = new byte[script.next(200)];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) script.next(256);
            }
            if (p.length >= 20 && script.next(2) == 0) {
                // a STUN header, so the bytes get past the first gate
                p[0] = (byte) script.next(2);
                ByteBuffer.wrap(p).putInt(4, StunScan.MAGIC_COOKIE).putShort(2, (short) ((p.length - 20) & ~3));
            }
            return p;
        }

        private void toB(InetSocketAddress from, byte[] p) {
            Input in = new Input(from, p, false);
            if (validCheck(p)) {
                provenSources.add(from);
            } else if (!from.equals(A_ADDR)) {
                forgedRejected++;
            }
            credit.merge(from, 1, Integer::sum);
            b.handleInput(now, SOCKET, from, ByteBuffer.wrap(p));
            afterB(in);
        }

        private void advance(long by) {
            long until = now + by;
            int calls = 0;
            while (true) {
                long next = Math.min(a.pollTimeout(), b.pollTimeout());
                if (next > until) {
                    break;
                }
                assertThat(++calls).as("timeouts within one advance of %d ms", by / MS).isLessThan(100_000);
                now = Math.max(now, next);
                a.handleTimeout(now);
                drainA();
                b.handleTimeout(now);
                afterB(Input.TIMEOUT);
            }
            now = until;
        }

        /** A binding request B must accept as authentic: valid MESSAGE-INTEGRITY under B's password. */
        private boolean validCheck(byte[] p) {
            if (!StunScan.looksLikeStun(p, 0, p.length)) {
                return false;
            }
            StunScan s = StunScan.scan(p, p.length);
            return s.ok() && s.messageClass() == Stun.CLASS_REQUEST && s.method() == Stun.METHOD_BINDING
                    && s.miOffset() >= 0 && anyVerifies(p, s.miOffset(), keysB);
        }

        private static boolean anyVerifies(byte[] p, int miOffset, List<byte[]> keys) {
            for (byte[] k : keys) {
                if (Stun.verifyIntegrity(p, miOffset, k)) {
                    return true;
                }
            }
            return false;
        }

        private static List<byte[]> concat(List<byte[]> x, List<byte[]> y) {
            List<byte[]> all = new ArrayList<>(x);
            all.addAll(y);
            return all;
        }

        /** A binding request or response with valid integrity: the only datagrams that may move B's selection. */
        private boolean authenticStun(byte[] p) {
            if (validCheck(p)) {
                return true;
            }
            if (!StunScan.looksLikeStun(p, 0, p.length)) {
                return false;
            }
            StunScan s = StunScan.scan(p, p.length);
            return s.ok() && s.method() == Stun.METHOD_BINDING
                    && (s.messageClass() == Stun.CLASS_SUCCESS || s.messageClass() == Stun.CLASS_ERROR)
                    && s.miOffset() >= 0 && anyVerifies(p, s.miOffset(), keysA);
        }

        private void drainA() {
            for (var t = a.pollTransmit(); t.isPresent(); t = a.pollTransmit()) {
                if (t.get().destination().equals(B_ADDR)) {
                    byte[] bytes = toArray(t.get().data());
                    aToB.add(bytes);
                    if (recorded.size() < 256) {
                        recorded.add(bytes);
                    }
                }
            }
            List<IceEvent> toSignal = new ArrayList<>();
            for (var e = a.pollEvent(); e.isPresent(); e = a.pollEvent()) {
                toSignal.add(e.get());
            }
            for (IceEvent e : toSignal) {
                if (b.isClosed() || b.connectionState() == IceConnectionState.CLOSED) {
                    break;
                }
                switch (e) {
                    case IceEvent.LocalCandidate c when signalAToB -> {
                        b.addRemoteCandidate(now, c.candidate());
                        afterB(Input.SIGNAL);
                    }
                    case IceEvent.GatheringStateChanged g when g.state() == IceGatheringState.COMPLETE && signalEndOfCandidates -> {
                        b.endOfRemoteCandidates(now);
                        afterB(Input.SIGNAL);
                    }
                    default -> { }
                }
            }
            assertThat(aToB.size() + bToA.size()).isLessThan(10_000);
        }

        /** Drains what B emitted after one call and checks the invariants against the input of that call. */
        private void afterB(Input in) {
            int emitted = 0;
            for (var t = b.pollTransmit(); t.isPresent(); t = b.pollTransmit()) {
                emitted++;
                assertThat(t.get().via()).isEqualTo(SOCKET);
                InetSocketAddress to = t.get().destination();
                if (to.equals(A_ADDR)) {
                    bToA.add(toArray(t.get().data()));
                } else if (!provenSources.contains(to)) {
                    // no reflection: an address that never proved the credentials only gets answers, one per
                    // datagram it sent, of bounded size
                    assertThat(credit.merge(to, -1, Integer::sum)).as("datagrams B sent to unproven %s", to)
                            .isGreaterThanOrEqualTo(0);
                    assertThat(t.get().data().remaining()).as("answer to unproven %s", to).isLessThanOrEqualTo(128);
                }
            }
            assertThat(emitted).as("datagrams B emitted in one call").isLessThanOrEqualTo(MAX_OUTPUT_PER_CALL);
            List<IceEvent> events = new ArrayList<>();
            for (var e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
                events.add(e.get());
            }
            assertThat(events.size()).as("events B raised in one call").isLessThanOrEqualTo(MAX_OUTPUT_PER_CALL);
            boolean mayMoveSelection = in.signalling || in.data != null && authenticStun(in.data);
            boolean selectedNow = false;
            int data = 0;
            for (IceEvent e : events) {
                switch (e) {
                    case IceEvent.SelectedPairChanged s -> {
                        assertThat(mayMoveSelection).as("B changed its selected pair on %s", describe(in)).isTrue();
                        IceCandidate r = s.pair().remote();
                        assertThat(provenSources).as("selected remote %s", r)
                                .contains(new InetSocketAddress(VirtualNetwork.ip(r.address()), r.port()));
                        selectedNow = true;
                        selectionsAfterRestart += restarts > 0 ? 1 : 0;
                        everSelected = true;
                    }
                    case IceEvent.ApplicationData d -> {
                        data++;
                        assertThat(in.data).as("data delivered with no datagram in hand").isNotNull();
                        assertThat((in.data[0] & 0xFF) > 3).as("delivered a STUN datagram as data").isTrue();
                        assertThat(provenSources).as("data delivered from an unproven source").contains(in.from);
                        byte[] got = new byte[d.data().remaining()];
                        d.data().duplicate().get(got);
                        assertThat(got).isEqualTo(in.data);
                        deliveredCount++;
                    }
                    case IceEvent.ConnectionStateChanged c -> transition(c.state(), selectedNow, in == Input.RESTART);
                    default -> { }
                }
            }
            assertThat(data).as("data events for one datagram").isLessThanOrEqualTo(1);
            if (!a.isClosed()) {
                // B's candidates and end-of-candidates reach A by signalling
                for (IceEvent e : events) {
                    if (e instanceof IceEvent.LocalCandidate c) {
                        a.addRemoteCandidate(now, c.candidate());
                    } else if (e instanceof IceEvent.GatheringStateChanged g && g.state() == IceGatheringState.COMPLETE) {
                        a.endOfRemoteCandidates(now);
                    }
                }
            }
            assertThat(b.connectionState()).as("B's state against its events").isEqualTo(state);
            if (state == IceConnectionState.CONNECTED || state == IceConnectionState.COMPLETED
                    || state == IceConnectionState.DISCONNECTED) {
                assertThat(b.selectedPair()).as("selected pair in %s", state).isPresent();
            }
            assertThat(b.remoteCandidates().size()).isLessThanOrEqualTo(b.config().maxRemoteCandidates());
            IceStats st = b.stats();
            assertThat(st.pairs().size()).isLessThanOrEqualTo(b.config().maxCheckListSize() + 1);
            for (IceStats.PairStats p : st.pairs()) {
                if (p.nominated() && nominatedPairs.add(p.pair().local().address() + ":" + p.pair().local().port() + "-"
                        + p.pair().remote().address() + ":" + p.pair().remote().port())) {
                    assertThat(mayMoveSelection).as("B nominated %s on %s", p.pair(), describe(in)).isTrue();
                }
            }
            drainA();
        }

        private void transition(IceConnectionState next, boolean selectedNow, boolean restart) {
            IceConnectionState from = state;
            String what = from + " -> " + next;
            assertThat(from).as(what).isNotEqualTo(IceConnectionState.CLOSED);
            if (restart && (next == IceConnectionState.NEW || next == IceConnectionState.CHECKING)) {
                // a restart without a pair that still has consent starts over (one that has one keeps it)
                assertThat(b.selectedPair()).as("selected pair after a restart to " + next).isEmpty();
                everSelected = false;
                state = next;
                return;
            }
            assertThat(next).as(what).isNotEqualTo(IceConnectionState.NEW);
            switch (next) {
                case CHECKING -> {
                    assertThat(everSelected).as(what + " after a selection").isFalse();
                }
                case CONNECTED, COMPLETED -> {
                    if (from == IceConnectionState.FAILED || from == IceConnectionState.NEW || from == IceConnectionState.CHECKING) {
                        assertThat(selectedNow).as(what + " without a selection").isTrue();
                    }
                    everConnected = true;
                }
                case DISCONNECTED -> {
                    assertThat(from).as(what).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
                    everLostConsent = true;
                }
                case FAILED -> everLostConsent |= everSelected;
                default -> { }
            }
            state = next;
        }

        private static String describe(Input in) {
            return in.data == null ? (in.signalling ? "signalling" : "a timeout")
                    : in.data.length + " bytes from " + in.from + ": " + java.util.HexFormat.of().formatHex(in.data);
        }

        private static byte[] toArray(ByteBuffer p) {
            byte[] out = new byte[p.remaining()];
            p.duplicate().get(out);
            return out;
        }
    }
}
