package io.jrtc.ice;

import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import java.time.Duration;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;

/** Small helpers shared by scenario tests. */
final class Pairing {

    private Pairing() {
    }

    /** Two agents with one host socket each, wired for signalling; not yet gathering. */
    static VirtualNetwork.Node[] pair(VirtualNetwork net, IceConfig ca, IceConfig cb, IceRole roleA, IceRole roleB) {
        VirtualNetwork.Node a = net.node("a", ca, TestAgents.creds(101));
        VirtualNetwork.Node b = net.node("b", cb, TestAgents.creds(202));
        a.agent.setRole(roleA);
        b.agent.setRole(roleB);
        a.bind("10.0.0.1", 5000);
        b.bind("10.0.0.2", 6000);
        net.signal(a, b, Duration.ofMillis(20), true);
        return new VirtualNetwork.Node[] {a, b};
    }

    static void start(VirtualNetwork net, VirtualNetwork.Node... nodes) {
        for (VirtualNetwork.Node n : nodes) {
            n.agent.startGathering(net.now());
        }
    }

    /** Decodes a STUN message, or null if the bytes are not one. */
    static Message stun(byte[] data) {
        if (!StunScan.looksLikeStun(data, 0, data.length)) {
            return null;
        }
        return Stun.decode(data, data.length);
    }

    static boolean isBindingRequest(Message m) {
        return m != null && m.getMessageType() == Message.BINDING_REQUEST;
    }

    static boolean isBindingIndication(Message m) {
        return m != null && m.getMessageType() == Message.BINDING_INDICATION;
    }

    static boolean hasUseCandidate(Message m) {
        return m.getAttribute(Attribute.USE_CANDIDATE) != null;
    }

    static String username(Message m) {
        return m.getAttribute(Attribute.USERNAME) instanceof org.ice4j.attribute.UsernameAttribute u
                ? new String(u.getUsername(), java.nio.charset.StandardCharsets.UTF_8) : null;
    }
}
