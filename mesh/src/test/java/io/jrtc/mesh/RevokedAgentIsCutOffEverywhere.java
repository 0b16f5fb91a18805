package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.emu.EmuConfig;
import io.jrtc.mesh.internal.wire.Envelope;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drill E, "key compromise", in the emulator with real Ed25519 keys: an operator's revocation published by one agent
 * spreads over the overlay; every agent puts the revoked agent on its deny list, drops its links, its queued
 * messages and anything it sends; its former neighbours are told to re-key; a revocation not signed by an operator
 * key is refused at the first hop, reported and not forwarded.
 */
class RevokedAgentIsCutOffEverywhere {

    private static final int N = 24;
    private static final int X = 5;
    private static final int P = 0;
    private static final long ISSUED = 1_796_000_000_000L;

    private final Identity operator = Identity.generate();

    private Emulated overlay() {
        OverlayConfig cfg = OverlayConfig.builder().degree(4).operatorKey(operator.publicKey()).build();
        return new Emulated(N, cfg, EmuConfig.defaults(71).withEd25519(true));
    }

    private static void inject(Emulated m, int at, int from, Envelope e) {
        long link = m.emu.node(at).linkIds().get(m.emu.node(from).id());
        byte[] bytes = e.withHops(1).toBytes();
        m.emu.with(at, c -> c.handleInput(m.emu.now(), link, ByteBuffer.wrap(bytes)));
    }

    private Revocation revocationOf(Emulated m, int agent, MeshSigner by, String reason) {
        return Revocation.sign(by, m.emu.node(agent).signer().publicKey(), reason, ISSUED);
    }

    @Test
    void aRevocationReachesEveryAgentWhichDropsTheRevokedAgentAndItsMessages() {
        Emulated m = overlay();
        AgentId x = m.emu.node(X).id();
        Set<AgentId> neighboursOfX = new HashSet<>(m.core(X).activeView());
        assertThat(neighboursOfX).isNotEmpty();
        SendResult before = m.emu.broadcast(X, "before".getBytes());
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.deliveries(x, before.sequence(), 0)).hasSize(N - 1);

        int mark = m.events.size();
        long t0 = m.emu.now();
        Revocation rev = revocationOf(m, X, operator, "key copied from a stolen laptop");
        m.emu.with(P, c -> assertThat(c.publishRevocation(m.emu.now(), rev).accepted()).isTrue());
        m.emu.runFor(5 * Emulated.S);

        List<Emulated.Recorded> revoked = m.eventsOf(OverlayEvent.Revoked.class, mark);
        Set<Integer> told = new HashSet<>();
        long last = 0;
        for (Emulated.Recorded r : revoked) {
            OverlayEvent.Revoked e = (OverlayEvent.Revoked) r.event();
            assertThat(told.add(r.node())).as("agent %d told once", r.node()).isTrue();
            assertThat(e.revocation()).isEqualTo(rev);
            assertThat(e.wasNeighbour()).as("agent %d", r.node()).isEqualTo(neighboursOfX.contains(m.emu.node(r.node()).id()));
            if (r.node() == X) {
                assertThat(e.linkId()).as("X heard it from a neighbour closing its link").isNotNegative();
            }
            last = Math.max(last, r.at());
        }
        Set<Integer> everyoneButX = new HashSet<>();
        for (int i = 0; i < N; i++) {
            if (i != X) {
                everyoneButX.add(i);
            }
        }
        // X hears it too: each neighbour sends it the revocation before closing; X passes it on and leaves
        assertThat(told).containsAll(everyoneButX).contains(X);
        assertThat(last - t0).as("publish to the last agent, virtual ns").isLessThan(Emulated.S);
        for (int i : everyoneButX) {
            OverlayCore c = m.core(i);
            assertThat(c.isRevoked(x)).isTrue();
            assertThat(c.activeView()).doesNotContain(x);
            assertThat(c.passiveView()).doesNotContain(x);
            assertThat(c.retryList()).doesNotContain(x);
            assertThat(m.emu.node(i).linkIds()).doesNotContainKey(x);
            assertThat(c.admitLink(m.emu.now(), x)).isFalse();
        }
        assertThat(m.core(X).activeView()).isEmpty();
        assertThat(m.emu.node(X).linkIds()).isEmpty();
        assertThat(m.emu.broadcast(X, "after".getBytes()).status()).isEqualTo(SendResult.Status.NOT_CONNECTED);

        // Whatever X signs is dropped at the first hop, even when a link still carries it (injected here).
        int y = 1 + (X + 1) % (N - 1);
        int z = m.emu.byAgent(m.core(y).activeView().get(0)).index();
        long droppedBefore = m.core(y).stats().dropped(DropReason.REVOKED);
        int afterMark = m.events.size();
        inject(m, y, z, Envelope.create(m.emu.node(X).signer(), Envelope.BROADCAST, 0, 32, Long.MAX_VALUE / 2, null,
                "transfer everything".getBytes()));
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.eventsOf(OverlayEvent.Delivered.class, afterMark)).isEmpty();
        assertThat(m.core(y).stats().dropped(DropReason.REVOKED) - droppedBefore).isEqualTo(1);

        // The others still form one overlay that carries a broadcast to all 22 other agents.
        SendResult b = m.emu.broadcast(P, "still here".getBytes());
        m.emu.runFor(3 * Emulated.S);
        assertThat(m.deliveries(m.emu.node(P).id(), b.sequence(), afterMark)).hasSize(N - 2).doesNotContainKey(X);

        // An agent joining later learns the revocation from its first neighbour, and refuses X.
        int late = m.emu.addNodes(1);
        int lateMark = m.events.size();
        m.emu.scheduleJoin(late, P, m.emu.now() + Emulated.MS);
        m.emu.runFor(5 * Emulated.S);
        assertThat(m.core(late).isRevoked(x)).isTrue();
        assertThat(m.eventsOf(OverlayEvent.Revoked.class, lateMark)).singleElement()
                .satisfies(r -> assertThat(r.node()).isEqualTo(late));
        assertThat(m.core(late).admitLink(m.emu.now(), x)).isFalse();
    }

    @Test
    void aRevocationNotSignedByAnOperatorIsRefusedAtTheFirstHopAndChangesNothing() {
        Emulated m = overlay();
        AgentId x = m.emu.node(X).id();
        Identity rogue = Identity.generate();
        Revocation forged = revocationOf(m, X, rogue, "forged");
        assertThatThrownBy(() -> m.emu.with(P, c -> c.publishRevocation(m.emu.now(), forged)))
                .isInstanceOf(IllegalArgumentException.class);
        Revocation genuine = revocationOf(m, X, operator, "genuine");
        Revocation altered = new Revocation(genuine.operatorKey(), genuine.revokedKey(), genuine.issuedAtMillis(),
                "genuine, edited", genuine.signature());

        int y = m.emu.byAgent(m.core(P).activeView().get(0)).index();
        int mark = m.events.size();
        long seq = 3_000_000;
        for (Revocation r : List.of(forged, altered)) {
            inject(m, y, P, Envelope.create(m.emu.node(P).signer(), Envelope.REVOCATION, 0, 32, seq++, null, r.encode()));
        }
        inject(m, y, P, Envelope.create(m.emu.node(P).signer(), Envelope.REVOCATION, 0, 32, seq, null, new byte[40]));
        m.emu.runFor(3 * Emulated.S);

        assertThat(m.eventsOf(OverlayEvent.Revoked.class, mark)).isEmpty();
        assertThat(m.eventsOf(OverlayEvent.Dropped.class, mark)).hasSize(3).allSatisfy(r -> {
            assertThat(r.node()).isEqualTo(y); // refused where it arrived, forwarded nowhere
            assertThat(((OverlayEvent.Dropped) r.event()).reason()).isEqualTo(DropReason.BAD_REVOCATION);
        });
        for (int i = 0; i < N; i++) {
            assertThat(m.core(i).revoked()).isEmpty();
        }
        SendResult b = m.emu.broadcast(X, "still trusted".getBytes());
        m.emu.runFor(2 * Emulated.S);
        assertThat(m.deliveries(x, b.sequence(), mark)).hasSize(N - 1);
    }

    @Test
    void copiesOfTheRevokedAgentsMessagesWaitingInAQueueAreDroppedAsRevoked() {
        Emulated m = overlay();
        AgentId x = m.emu.node(X).id();
        // y: an agent that is not X's neighbour, with two neighbours: a (feeds X's message in) and b (blocked)
        int y = -1;
        for (int i = 0; i < N && y < 0; i++) {
            if (i != X && !m.core(i).activeView().contains(x) && m.core(i).activeView().size() >= 2) {
                y = i;
            }
        }
        int yy = y;
        int a = m.emu.byAgent(m.core(y).activeView().get(0)).index();
        int bb = m.emu.byAgent(m.core(y).activeView().get(1)).index();
        long blocked = m.emu.node(y).linkIds().get(m.emu.node(bb).id());
        m.emu.with(y, c -> c.linkBackpressure(m.emu.now(), blocked, ChannelClass.RELIABLE, true));
        inject(m, y, a, Envelope.create(m.emu.node(X).signer(), Envelope.BROADCAST, 0, 32, 9_000_000, null,
                "queued".getBytes()));
        m.emu.runFor(100 * Emulated.MS);
        int mark = m.events.size();
        m.emu.with(yy, c -> assertThat(c.revoke(m.emu.now(), revocationOf(m, X, operator, "stolen"))).isTrue());
        assertThat(m.eventsOf(OverlayEvent.Dropped.class, mark)).anySatisfy(r -> {
            OverlayEvent.Dropped d = (OverlayEvent.Dropped) r.event();
            assertThat(r.node()).isEqualTo(yy);
            assertThat(d.reason()).isEqualTo(DropReason.REVOKED);
            assertThat(d.origin()).isEqualTo(x);
            assertThat(d.linkId()).isEqualTo(blocked);
        });
        assertThat(m.core(y).stats().dropped(DropReason.REVOKED)).isEqualTo(1);
        List<AgentId> sentOnIt = new java.util.ArrayList<>();
        m.emu.onTransmit((n, t) -> {
            if (n.index() == yy && t.linkId() == blocked && t.channel() == ChannelClass.RELIABLE) {
                try {
                    if (io.jrtc.mesh.internal.wire.Frame.parse(ByteBuffer.wrap(t.bytes())) instanceof Envelope e) {
                        sentOnIt.add(e.origin());
                    }
                } catch (ParseException e) {
                    throw new AssertionError(e);
                }
            }
        });
        m.emu.with(yy, c -> c.linkBackpressure(m.emu.now(), blocked, ChannelClass.RELIABLE, false));
        m.emu.runFor(Emulated.S);
        assertThat(sentOnIt).as("envelopes y sent to b once unblocked").doesNotContain(x);
    }

    @Test
    void aRevocationStatementHasItsLayoutAndRefusesMalformedBytes() throws Exception {
        Identity victim = Identity.generate();
        Revocation r = Revocation.sign(operator, victim.publicKey(), "ключ", ISSUED);
        byte[] b = r.encode();
        assertThat(b).hasSize(1 + 32 + 32 + 8 + 1 + 8 + 64);
        assertThat(b[0]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(b, 1, 32)).isEqualTo(ByteBuffer.wrap(operator.publicKey()));
        assertThat(ByteBuffer.wrap(b, 33, 32)).isEqualTo(ByteBuffer.wrap(victim.publicKey()));
        assertThat(ByteBuffer.wrap(b, 65, 8).getLong()).isEqualTo(ISSUED);
        assertThat(b[73]).isEqualTo((byte) 8);
        assertThat(Revocation.parse(b)).isEqualTo(r);
        assertThat(r.revoked()).isEqualTo(victim.agentId());
        Ed25519Verifier v = new Ed25519Verifier();
        assertThat(r.verify(List.of(operator.publicKey()), v)).isTrue();
        assertThat(r.verify(List.of(victim.publicKey()), v)).as("not a trusted key").isFalse();
        for (int i = 0; i < b.length; i++) {
            byte[] c = b.clone();
            c[i] ^= 0x10;
            try {
                assertThat(Revocation.parse(c).verify(List.of(operator.publicKey()), v)).as("byte %d changed", i).isFalse();
            } catch (ParseException e) {
                assertThat(i == 0 || (i >= 73 && i < 82)).as("byte %d: only the version, the reason's length or its "
                        + "UTF-8 fail to parse", i).isTrue();
            }
        }
        assertThatThrownBy(() -> Revocation.parse(java.util.Arrays.copyOf(b, b.length - 1)))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_LENGTH));
    }

    @Test
    void mutatedStatementsParseToTheSameBytesOrFail() throws Exception {
        byte[] good = Revocation.sign(operator, Identity.generate().publicKey(), "mutate me", ISSUED).encode();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        int parsed = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] b = switch (rnd.nextInt(3)) {
                case 0 -> {
                    byte[] c = good.clone();
                    for (int k = rnd.nextInt(1, 4); k > 0; k--) {
                        c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
                    }
                    yield c;
                }
                case 1 -> java.util.Arrays.copyOf(good, rnd.nextInt(good.length + 8));
                default -> {
                    byte[] c = new byte[rnd.nextInt(300)];
                    rnd.nextBytes(c);
                    yield c;
                }
            };
            try {
                assertThat(Revocation.parse(b).encode()).isEqualTo(b);
                parsed++;
            } catch (ParseException expected) {
                // refused: fine, as long as nothing else is thrown
            }
        }
        assertThat(parsed).as("some mutations still parse (only the signature then tells them apart)").isPositive();
    }
}
