package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.internal.Stun;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad STUN on the agent's data path: each case is dropped and counted under its reason, answered where RFC 8489
 * says so (401, 400, 420), and never thrown.
 */
class BadStunIsDroppedAndCounted {

    private static final InetSocketAddress PEER = VirtualNetwork.addr("10.0.0.2", 6000);
    private static final SocketId SOCK = SocketId.udp(0);

    private final IceCredentials local = TestAgents.creds(1);
    private final IceCredentials remote = TestAgents.creds(2);
    private IceAgent agent;
    private long now = 1_000_000_000L;

    @BeforeEach
    void setUp() {
        // No hold on the controlled side's first check: these cases answer it at once.
        agent = new IceAgent(TestAgents.config(1).controlledCheckDelay(java.time.Duration.ZERO).build(), local);
        agent.setRole(IceRole.CONTROLLED);
        agent.addLocalSocket(now, SOCK, VirtualNetwork.addr("10.0.0.1", 5000), IceProtocol.UDP);
        agent.startGathering(now);
        agent.setRemoteCredentials(now, remote);
        drain();
    }

    private List<IceTransmit> drain() {
        List<IceTransmit> out = new ArrayList<>();
        for (var t = agent.pollTransmit(); t.isPresent(); t = agent.pollTransmit()) {
            out.add(t.get());
        }
        while (agent.pollEvent().isPresent()) {
            // drop events
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** A check from the peer: USERNAME local:remote, keyed with our pwd, with optional raw extra attributes. */
    private byte[] check(String username, String keyPwd, boolean withIntegrity, byte[] rawExtra) throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) (now & 0x7f)});
        if (username != null) {
            r.putAttribute(AttributeFactory.createUsernameAttribute(username));
        }
        r.putAttribute(AttributeFactory.createPriorityAttribute(1853824767L));
        r.putAttribute(AttributeFactory.createIceControllingAttribute(42));
        r.putAttribute(AttributeFactory.createSoftwareAttribute("t".getBytes()));
        byte[] body = r.encode(null);
        if (rawExtra != null) {
            byte[] grown = Arrays.copyOf(body, body.length + rawExtra.length);
            System.arraycopy(rawExtra, 0, grown, body.length, rawExtra.length);
            int len = grown.length - 20;
            grown[2] = (byte) (len >> 8);
            grown[3] = (byte) len;
            body = grown;
        }
        return bytes(Stun.seal(body, withIntegrity ? Stun.shortTermKey(keyPwd) : null, true));
    }

    private byte[] goodCheck() throws Exception {
        return check(local.ufrag() + ":" + remote.ufrag(), local.pwd(), true, null);
    }

    private List<IceTransmit> feed(byte[] datagram) {
        now += 1_000_000;
        agent.handleInput(now, SOCK, PEER, ByteBuffer.wrap(datagram));
        return drain();
    }

    private static Message only(List<IceTransmit> out, char type) {
        List<Message> msgs = out.stream().map(t -> Pairing.stun(bytes(t.data()))).filter(m -> m != null && m.getMessageType() == type).toList();
        assertThat(msgs).hasSize(1);
        return msgs.get(0);
    }

    private static int errorCode(Message m) {
        return ((ErrorCodeAttribute) m.getAttribute(Attribute.ERROR_CODE)).getErrorCode();
    }

    @Test
    void validCheckIsAnsweredWithSuccessAndNothingIsDropped() throws Exception {
        List<IceTransmit> out = feed(goodCheck());
        Message resp = only(out, Message.BINDING_SUCCESS_RESPONSE);
        assertThat(Stun.xorAddress(resp, Attribute.XOR_MAPPED_ADDRESS)).isEqualTo(PEER);
        assertThat(agent.stats().drops()).isEmpty();
        assertThat(agent.stats().checksReceived()).isEqualTo(1);
    }

    @Test
    void wrongIntegrityIsAnswered401AndCounted() throws Exception {
        List<IceTransmit> out = feed(check(local.ufrag() + ":" + remote.ufrag(), "ThisIsNotThePasswordAtAll", true, null));
        assertThat(errorCode(only(out, Message.BINDING_ERROR_RESPONSE))).isEqualTo(401);
        assertThat(agent.stats().drops(IceDropReason.BAD_INTEGRITY)).isEqualTo(1);
        assertThat(agent.stats().checksReceived()).isZero();
        assertThat(agent.remoteCandidates()).isEmpty();
    }

    @Test
    void wrongFingerprintIsDroppedSilently() throws Exception {
        byte[] b = goodCheck();
        b[b.length - 1] ^= 0x55;
        assertThat(feed(b)).isEmpty();
        assertThat(agent.stats().drops(IceDropReason.BAD_FINGERPRINT)).isEqualTo(1);
    }

    @Test
    void unknownComprehensionRequiredAttributeInARequestIsAnswered420() throws Exception {
        byte[] unknownAttr = {0x00, 0x33, 0x00, 0x04, 1, 2, 3, 4};
        List<IceTransmit> out = feed(check(local.ufrag() + ":" + remote.ufrag(), local.pwd(), true, unknownAttr));
        Message err = only(out, Message.BINDING_ERROR_RESPONSE);
        assertThat(errorCode(err)).isEqualTo(420);
        UnknownAttributesAttribute ua = (UnknownAttributesAttribute) err.getAttribute(Attribute.UNKNOWN_ATTRIBUTES);
        assertThat(ua.getAttributeCount()).isEqualTo(1);
        assertThat((int) ua.getAttribute(0)).isEqualTo(0x33);
        assertThat(agent.stats().drops(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE)).isEqualTo(1);
    }

    @Test
    void unknownComprehensionRequiredAttributeInAResponseIsDropped() throws Exception {
        agent.addRemoteCandidate(now, IceCandidate.of("1", 1, IceProtocol.UDP, 2130706431L, "10.0.0.2", 6000, IceCandidateType.HOST));
        Message check = drain().stream().map(t -> Pairing.stun(bytes(t.data()))).filter(Pairing::isBindingRequest)
                .findFirst().orElseThrow();
        byte[] tid = check.getTransactionID();
        Request req = MessageFactory.createBindingRequest();
        req.setTransactionID(tid);
        Response resp = MessageFactory.createBindingResponse(req, Stun.ta(VirtualNetwork.addr("10.0.0.1", 5000)));
        resp.setTransactionID(tid);
        byte[] body = resp.encode(null);
        byte[] grown = Arrays.copyOf(body, body.length + 8);
        System.arraycopy(new byte[] {0x00, 0x33, 0x00, 0x04, 9, 9, 9, 9}, 0, grown, body.length, 8);
        grown[3] = (byte) (grown.length - 20);
        assertThat(feed(bytes(Stun.seal(grown, Stun.shortTermKey(remote.pwd()), true)))).isEmpty();
        IceStats after = agent.stats();
        assertThat(after.drops(IceDropReason.UNKNOWN_COMPREHENSION_REQUIRED_ATTRIBUTE)).isEqualTo(1);
        assertThat(after.pairs()).hasSize(1).allMatch(p -> p.state().equals("in-progress"));
        assertThat(after.selectedPair()).isNull();
        // The same response without the unknown attribute is accepted.
        feed(bytes(Stun.seal(body, Stun.shortTermKey(remote.pwd()), true)));
        assertThat(agent.stats().pairs()).allMatch(p -> p.state().equals("succeeded"));
    }

    @Test
    void truncatedMessagesAreDropped() throws Exception {
        byte[] b = goodCheck();
        assertThat(feed(Arrays.copyOf(b, 30))).isEmpty();
        assertThat(feed(Arrays.copyOf(b, 12))).isEmpty();
        assertThat(agent.stats().drops(IceDropReason.TRUNCATED)).isEqualTo(2);
    }

    @Test
    void wrongUsernameIsAnswered401() throws Exception {
        List<IceTransmit> out = feed(check("nope:" + remote.ufrag(), local.pwd(), true, null));
        assertThat(errorCode(only(out, Message.BINDING_ERROR_RESPONSE))).isEqualTo(401);
        assertThat(agent.stats().drops(IceDropReason.BAD_USERNAME)).isEqualTo(1);
    }

    @Test
    void missingIntegrityIsAnswered400() throws Exception {
        List<IceTransmit> out = feed(check(local.ufrag() + ":" + remote.ufrag(), local.pwd(), false, null));
        assertThat(errorCode(only(out, Message.BINDING_ERROR_RESPONSE))).isEqualTo(400);
        assertThat(agent.stats().drops(IceDropReason.BAD_INTEGRITY)).isEqualTo(1);
    }

    @Test
    void responseToNothingIsDropped() throws Exception {
        Request req = MessageFactory.createBindingRequest();
        req.setTransactionID(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        Response resp = MessageFactory.createBindingResponse(req, Stun.ta(PEER));
        resp.setTransactionID(req.getTransactionID());
        assertThat(feed(bytes(Stun.encode(resp, Stun.shortTermKey(remote.pwd()), true)))).isEmpty();
        assertThat(agent.stats().drops(IceDropReason.UNKNOWN_TRANSACTION)).isEqualTo(1);
    }

    @Test
    void garbageIsDropped() {
        byte[] stunLooking = new byte[40];
        stunLooking[1] = 1;
        stunLooking[3] = 20;
        stunLooking[4] = 0x21;
        stunLooking[5] = 0x12;
        stunLooking[6] = (byte) 0xa4;
        stunLooking[7] = 0x42;
        Arrays.fill(stunLooking, 20, 40, (byte) 0xEE);
        assertThat(feed(stunLooking)).isEmpty();
        assertThat(feed(new byte[] {(byte) 0x80, 1, 2, 3})).isEmpty();
        assertThat(feed(new byte[0])).isEmpty();
        IceStats s = agent.stats();
        assertThat(s.drops(IceDropReason.TRUNCATED) + s.drops(IceDropReason.MALFORMED)).isEqualTo(2);
        assertThat(s.drops(IceDropReason.UNKNOWN_SOURCE)).isEqualTo(1);
        // First byte 0..3 without the magic cookie is not STUN, and not handed to the application either.
        byte[] noCookie = stunLooking.clone();
        noCookie[4] = 0;
        assertThat(feed(noCookie)).isEmpty();
        assertThat(agent.stats().drops(IceDropReason.MALFORMED)).isEqualTo(s.drops(IceDropReason.MALFORMED) + 1);
    }

    @Test
    void aDatagramOnAnUnknownSocketIsCounted() {
        agent.handleInput(now, SocketId.udp(7), PEER, ByteBuffer.wrap(new byte[] {1}));
        assertThat(agent.stats().drops(IceDropReason.UNKNOWN_SOCKET)).isEqualTo(1);
    }
}
