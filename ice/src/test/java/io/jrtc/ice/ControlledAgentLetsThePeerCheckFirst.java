package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.internal.Stun;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controlled agent's first checks, against a controlling peer that learns our candidates by trickle: our ordinary
 * checks wait {@code controlledCheckDelay} unless the peer checks first (answered with a triggered check at once), and
 * a peer check on a pair we already validated is answered with one check back, so that a peer which nominates only
 * after seeing such a check (Pion) nominates now instead of on its next tick.
 */
class ControlledAgentLetsThePeerCheckFirst {

    private static final InetSocketAddress PEER = VirtualNetwork.addr("10.0.0.2", 6000);
    private static final SocketId SOCK = SocketId.udp(0);
    private static final long MS = 1_000_000L;

    private final IceCredentials local = TestAgents.creds(1);
    private final IceCredentials remote = TestAgents.creds(2);
    private IceAgent agent;
    private long now = 1_000_000_000L;
    private int tid;

    @BeforeEach
    void setUp() {
        agent = new IceAgent(TestAgents.config(1).controlledCheckDelay(Duration.ofMillis(50)).build(), local);
        agent.setRole(IceRole.CONTROLLED);
        agent.addLocalSocket(now, SOCK, VirtualNetwork.addr("10.0.0.1", 5000), IceProtocol.UDP);
        agent.startGathering(now);
        agent.setRemoteCredentials(now, remote);
        agent.addRemoteCandidate(now, IceCandidate.of("1", 1, IceProtocol.UDP, 2130706431L, "10.0.0.2", 6000, IceCandidateType.HOST));
    }

    private List<Message> drain() {
        List<Message> out = new ArrayList<>();
        for (var t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
            ByteBuffer b = t.get().data();
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.add(Pairing.stun(a));
        }
        while (agent.pollEvent().isPresent()) {
            // events are not under test here
        }
        return out;
    }

    /** Advances the clock in 1 ms steps to {@code until}, collecting everything sent. */
    private List<Message> runUntil(long until) {
        List<Message> out = new ArrayList<>(drain());
        while (now < until) {
            now = Math.min(until, Math.max(now + MS, Math.min(until, agent.pollTimeout())));
            agent.handleTimeout(now);
            out.addAll(drain());
        }
        return out;
    }

    private List<Message> peerCheck(boolean useCandidate) throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, (byte) ++tid});
        r.putAttribute(AttributeFactory.createUsernameAttribute(local.ufrag() + ":" + remote.ufrag()));
        r.putAttribute(AttributeFactory.createPriorityAttribute(1853824767L));
        r.putAttribute(AttributeFactory.createIceControllingAttribute(42));
        if (useCandidate) {
            r.putAttribute(AttributeFactory.createUseCandidateAttribute());
        }
        ByteBuffer b = Stun.seal(r.encode(null), Stun.shortTermKey(local.pwd()), true);
        agent.handleInput(now, SOCK, PEER, b);
        return drain();
    }

    private void answer(Message check) throws Exception {
        Request req = MessageFactory.createBindingRequest();
        req.setTransactionID(check.getTransactionID());
        Response resp = MessageFactory.createBindingResponse(req, Stun.ta(VirtualNetwork.addr("10.0.0.1", 5000)));
        resp.setTransactionID(check.getTransactionID());
        agent.handleInput(now, SOCK, PEER, Stun.seal(resp.encode(null), Stun.shortTermKey(remote.pwd()), true));
    }

    private static List<Message> requests(List<Message> out) {
        return out.stream().filter(m -> m != null && Pairing.isBindingRequest(m)).toList();
    }

    @Test
    void noOrdinaryCheckBeforeTheDelayThenOneAtIt() {
        long start = now;
        assertThat(requests(runUntil(start + 49 * MS))).isEmpty();
        assertThat(requests(runUntil(start + 51 * MS))).hasSize(1);
    }

    @Test
    void aPeerCheckReleasesTheHoldWithAnImmediateTriggeredCheck() throws Exception {
        runUntil(now + 10 * MS);
        now += MS;
        List<Message> out = peerCheck(false);
        assertThat(out).filteredOn(m -> m.getMessageType() == Message.BINDING_SUCCESS_RESPONSE).hasSize(1);
        // the triggered check goes within one pacing interval (Ta = 5 ms), long before the 50 ms hold would end
        assertThat(requests(out).size() + requests(runUntil(now + 6 * MS)).size()).isEqualTo(1);
    }

    @Test
    void aPeerCheckOnAValidatedPairIsAnsweredWithOneCheckBack() throws Exception {
        List<Message> first = requests(runUntil(now + 51 * MS));
        assertThat(first).hasSize(1);
        now += MS;
        answer(first.get(0));
        drain();
        now += MS;
        List<Message> out = peerCheck(false);
        assertThat(out.get(0).getMessageType()).isEqualTo(Message.BINDING_SUCCESS_RESPONSE);
        assertThat(requests(out)).hasSize(1);
        assertThat(Pairing.hasUseCandidate(requests(out).get(0))).isFalse();
        now += MS;
        assertThat(requests(peerCheck(false))).as("only once per pair").isEmpty();
        now += MS;
        peerCheck(true);
        assertThat(agent.selectedPair()).isPresent();
    }
}
