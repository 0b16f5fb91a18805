package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.FuzzScript;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Stateful fuzzing of the SCTP core on the virtual clock. Two associations, A (authentic peer) and B (under test),
 * run a handshake and a transfer; the input is a script that, step by step, delivers A's packets to B in order,
 * out of order or not at all, replays old ones, delivers mutated copies (with or without a fixed checksum) or raw
 * bytes, advances time, or makes A send. After every step: nothing throws; B emits a bounded number of packets and
 * events; once established, B never falls back into the handshake; a terminated B stays terminated; every message
 * B delivers is one A sent, delivered at most once, unless a forged packet with a valid checksum (or a zero one,
 * once RFC 9653 is negotiated) was accepted: SCTP's checksum is not a MAC; in WebRTC, DTLS authenticates packets.
 */
class FuzzedPacketStreamsKeepAnAssociationsInvariants {

    private static final long MS = 1_000_000L;
    private static final int MAX_STEPS = 400;
    /** Bound on what one step may make B emit: far above the handshake/SACK traffic one input can justify. */
    private static final int MAX_OUTPUT_PER_STEP = 64;

    @FuzzTest(maxDuration = "30s")
    void session(byte[] input) {
        new Session(new FuzzScript(input)).run();
    }

    /** Regression mode without Jazzer's mutator: seeded random scripts, so every build runs this state machine. */
    @Test
    void randomScriptsKeepTheInvariants() {
        SplittableRandom random = new SplittableRandom(0x5C7F);
        int established = 0;
        int delivered = 0;
        for (int i = 0; i < 300; i++) {
            byte[] script = new byte[random.nextInt(64, 1024)];
            random.nextBytes(script);
            Session s = new Session(new FuzzScript(script));
            s.run();
            established += s.everEstablished ? 1 : 0;
            delivered += s.deliveredCount;
        }
        // the scripts must reach the interesting states, or the invariants were checked on nothing
        assertThat(established).isGreaterThan(100);
        assertThat(delivered).isGreaterThan(100);
    }


    private static final boolean B_ACCEPTS_ZERO_CHECKSUM = SctpPair.config(2).build().zeroChecksum();

    static final class Session {
        private final FuzzScript script;
        private final SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        private final SctpAssociation b = new SctpAssociation(SctpPair.config(2).build(), "B");
        private final ArrayDeque<byte[]> aToB = new ArrayDeque<>();
        private final ArrayDeque<byte[]> bToA = new ArrayDeque<>();
        private final List<byte[]> recorded = new ArrayList<>();
        private final Map<String, Integer> sentByA = new HashMap<>();
        private final Map<String, Integer> deliveredByB = new HashMap<>();
        private final CRC32C crc = new CRC32C();
        private long now;
        private int nextMessage;
        private boolean forgedAccepted;
        boolean everEstablished;
        boolean terminated;
        int deliveredCount;

        Session(FuzzScript script) {
            this.script = script;
        }

        void run() {
            a.connect(now);
            b.connect(now);
            collect();
            for (int step = 0; step < MAX_STEPS && script.more(); step++) {
                act(script.next(10));
                collect();
                check();
            }
        }

        private void act(int op) {
            switch (op) {
                case 0, 1 -> {
                    byte[] p = aToB.poll();
                    if (p != null) {
                        toB(p);
                    }
                }
                case 2 -> {
                    if (!aToB.isEmpty()) {
                        List<byte[]> l = new ArrayList<>(aToB);
                        byte[] p = l.remove(script.next(l.size()));
                        aToB.clear();
                        aToB.addAll(l);
                        toB(p);
                    }
                }
                case 3 -> aToB.poll();
                case 4 -> {
                    if (!recorded.isEmpty()) {
                        toB(recorded.get(script.next(recorded.size())).clone());
                    }
                }
                case 5 -> {
                    if (!recorded.isEmpty()) {
                        byte[] p = recorded.get(script.next(recorded.size())).clone();
                        int flips = 1 + script.next(4);
                        for (int i = 0; i < flips; i++) {
                            p[script.next16() % p.length] ^= (byte) (1 + script.next(255));
                        }
                        if (script.next(2) == 0 && p.length >= SctpPacket.HEADER_LENGTH) {
                            SctpPacket.putChecksum(ByteBuffer.wrap(p), 0, SctpPacket.computeChecksum(ByteBuffer.wrap(p), crc));
                        }
                        forge(p);
                    }
                }
                case 6 -> {
                    byte[] p = new byte[script.next(200)];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = (byte) script.next(256);
                    }
                    forge(p);
                }
                case 7 -> {
                    while (!bToA.isEmpty()) {
                        a.handleInput(now, ByteBuffer.wrap(bToA.poll()));
                    }
                }
                case 8 -> advance((1 + script.next(250)) * 10L * MS);
                default -> {
                    if (a.state() == SctpState.ESTABLISHED) {
                        int n = nextMessage++;
                        // every fifth message spans several packets, so B reassembles fragments (shared ones too)
                        String text = "m" + n + (n % 5 == 4 ? "x".repeat(2_500 + 97 * (n % 7)) : "");
                        int stream = script.next(4);
                        a.send(now, stream, 51, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), SendOptions.RELIABLE);
                        sentByA.merge(stream + "/" + text, 1, Integer::sum);
                    }
                }
            }
        }

        private void forge(byte[] p) {
            if (p.length >= SctpPacket.HEADER_LENGTH && (SctpPacket.checksumMatches(ByteBuffer.wrap(p), crc)
                    || B_ACCEPTS_ZERO_CHECKSUM && SctpPacket.checksumField(ByteBuffer.wrap(p)) == 0)) {
                // a valid checksum, or none: B announced RFC 9653 zero checksums in its INIT and INIT ACK, so it accepts
                // them from A whether or not A's INIT announced them too (each direction is negotiated on its own; in
                // WebRTC, DTLS authenticates instead). Found by fuzzing: the oracle once asked b.zeroChecksumInUse(),
                // which is B's sending side, and failed after a replayed fallback INIT (no zero checksum) left it false.
                forgedAccepted = true;
            }
            toB(p);
        }

        /**
         * Delivers to B. A packet of even length is handed over ({@code handleOwnedInput}: nothing here writes to a
         * delivered array again; replays and mutations are clones), so both input paths are exercised.
         */
        private void toB(byte[] p) {
            if ((p.length & 1) == 0) {
                b.handleOwnedInput(now, ByteBuffer.wrap(p));
            } else {
                b.handleInput(now, ByteBuffer.wrap(p));
            }
        }

        private void advance(long by) {
            long until = now + by;
            while (true) {
                long next = Math.min(a.pollTimeout(), b.pollTimeout());
                if (next > until) {
                    break;
                }
                now = Math.max(now, next);
                a.handleTimeout(now);
                b.handleTimeout(now);
                collect();
            }
            now = until;
        }

        private void collect() {
            for (var p = a.pollTransmit(); p.isPresent(); p = a.pollTransmit()) {
                byte[] bytes = bytes(p.get());
                aToB.add(bytes);
                if (recorded.size() < 256) {
                    recorded.add(bytes);
                }
            }
            int emitted = 0;
            for (var p = b.pollTransmit(); p.isPresent(); p = b.pollTransmit()) {
                bToA.add(bytes(p.get()));
                emitted++;
            }
            assertThat(emitted).as("packets B emitted in one step").isLessThanOrEqualTo(MAX_OUTPUT_PER_STEP);
            while (a.pollEvent().isPresent()) {
                // A's events are not under test
            }
            int events = 0;
            for (var e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
                events++;
                switch (e.get()) {
                    case SctpEvent.MessageReceived m -> delivered(m);
                    case SctpEvent.Closed c -> terminated = true;
                    case SctpEvent.Aborted x -> terminated = true;
                    default -> { }
                }
            }
            assertThat(events).as("events B raised in one step").isLessThanOrEqualTo(MAX_OUTPUT_PER_STEP + 2 * nextMessage);
            // bounded queues: A's packets in flight towards B cannot pile up without limit
            assertThat(aToB.size() + bToA.size()).isLessThan(10_000);
        }

        private void delivered(SctpEvent.MessageReceived m) {
            deliveredCount++;
            String key = m.streamId() + "/" + StandardCharsets.ISO_8859_1.decode(m.data().duplicate());
            int times = deliveredByB.merge(key, 1, Integer::sum);
            if (!forgedAccepted) {
                assertThat(m.ppid()).as("ppid of %s", key).isEqualTo(51);
                assertThat(sentByA).as("B delivered %s, which A never sent", key).containsKey(key);
                assertThat(times).as("B delivered %s more often than A sent it", key).isLessThanOrEqualTo(sentByA.get(key));
            }
        }

        private void check() {
            SctpState s = b.state();
            if (s == SctpState.ESTABLISHED) {
                everEstablished = true;
            }
            if (everEstablished && !forgedAccepted) {
                assertThat(s).as("B after establishment").isNotIn(SctpState.COOKIE_WAIT, SctpState.COOKIE_ECHOED);
            }
            if (terminated) {
                assertThat(b.isTerminated()).as("B after Closed/Aborted").isTrue();
            }
            assertThat(b.heldReceivedBytes()).isGreaterThanOrEqualTo(0);
            assertThat(b.bufferedAmount()).isZero(); // B never sends user data in this scenario
        }

        private static byte[] bytes(ByteBuffer p) {
            byte[] out = new byte[p.remaining()];
            p.duplicate().get(out);
            return out;
        }
    }
}
