package io.jrtc.ice;

import io.jrtc.ice.internal.Stun;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.ice4j.StunException;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * Initialises the STUN message layer ahead of the first connection: ice4j's configuration (Typesafe config), its
 * message and attribute classes, HMAC-SHA1 and CRC-32. A JVM's first connectivity check otherwise pays for it on the
 * connection's critical path (about 70 ms measured in a fresh {@code jrtc agent}, with the class-data cache).
 */
public final class IceWarmUp {

    private IceWarmUp() {
    }

    /**
     * Encodes, decodes and verifies a binding request and its success response, as a check does. Touches no socket and
     * no shared state; safe from any thread, typically a background one at start-up.
     *
     * @throws IllegalStateException if the round trip does not verify (a broken class path, not bad input)
     */
    public static void run() {
        try {
            byte[] key = Stun.shortTermKey("jrtc-warm-up-password");
            Request r = MessageFactory.createBindingRequest();
            r.setTransactionID(Stun.newTransactionId(new SplittableRandom()));
            r.putAttribute(AttributeFactory.createUsernameAttribute("warm:up"));
            r.putAttribute(AttributeFactory.createPriorityAttribute(IceCandidate.computePriority(IceCandidateType.PRFLX,
                    65535, IceAgent.COMPONENT)));
            r.putAttribute(AttributeFactory.createIceControllingAttribute(1));
            r.putAttribute(AttributeFactory.createUseCandidateAttribute());
            ByteBuffer request = Stun.encode(r, key, true);
            Message in = Stun.decode(request.array(), request.remaining());
            if (in == null || !Stun.verifyIntegrity(request.array(), request.remaining() - 32, key)) {
                throw new IllegalStateException("STUN warm-up: the binding request did not verify");
            }
            Response resp = MessageFactory.createBindingResponse((Request) in,
                    Stun.ta(new InetSocketAddress("192.0.2.1", 9)));
            resp.setTransactionID(in.getTransactionID());
            ByteBuffer response = Stun.encode(resp, key, true);
            if (Stun.decode(response.array(), response.remaining()) == null) {
                throw new IllegalStateException("STUN warm-up: the binding response did not decode");
            }
        } catch (StunException e) {
            throw new IllegalStateException("STUN warm-up failed", e);
        }
    }
}
