package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.internal.Stun;
import io.jrtc.ice.internal.StunScan;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connectivity check is a Binding transaction: a success response with the check's transaction id but another
 * method (here 0x081, the Binding type with one bit flipped, integrity recomputed with the right password) answers
 * nothing, so it neither validates nor selects the pair; the genuine Binding response then does. Found by
 * {@link FuzzedPacketStreamsKeepAnIceAgentsInvariants}: the agent matched responses on the transaction id alone.
 */
class ResponsesOfAnotherMethodAnswerNoCheck {

    private static final InetSocketAddress A_ADDR = VirtualNetwork.addr("10.0.0.1", 5000);
    private static final InetSocketAddress B_ADDR = VirtualNetwork.addr("10.0.0.2", 6000);
    private static final SocketId SOCKET = SocketId.udp(0);

    @Test
    void aSuccessResponseOfAnotherMethodDoesNotSelectThePair() {
        IceCredentials credsA = TestAgents.creds(1);
        IceCredentials credsB = TestAgents.creds(2);
        IceAgent a = new IceAgent(TestAgents.config(1).build(), credsA);
        // B controls with aggressive nomination: its checks carry USE-CANDIDATE, so a success response selects
        IceAgent b = new IceAgent(TestAgents.config(2).nomination(NominationMode.AGGRESSIVE).build(), credsB);
        a.setRole(IceRole.CONTROLLED);
        b.setRole(IceRole.CONTROLLING);
        long now = 1_000_000_000L;
        a.addLocalSocket(now, SOCKET, A_ADDR, IceProtocol.UDP);
        b.addLocalSocket(now, SOCKET, B_ADDR, IceProtocol.UDP);
        a.setRemoteCredentials(now, credsB);
        b.setRemoteCredentials(now, credsA);
        a.startGathering(now);
        for (IceEvent e : drainEvents(a)) {
            if (e instanceof IceEvent.LocalCandidate c) {
                b.addRemoteCandidate(now, c.candidate());
            }
        }
        b.startGathering(now);
        drainEvents(b);

        byte[] check = null;
        for (int i = 0; i < 100 && check == null; i++) {
            for (var t = b.pollTransmit(); t.isPresent(); t = b.pollTransmit()) {
                byte[] d = bytes(t.get().data());
                StunScan s = StunScan.scan(d, d.length);
                if (t.get().destination().equals(A_ADDR) && s.ok() && s.messageClass() == Stun.CLASS_REQUEST) {
                    check = d;
                }
            }
            if (check == null) {
                now = Math.max(now + 1, b.pollTimeout());
                b.handleTimeout(now);
            }
        }
        assertThat(check).as("B's first check").isNotNull();
        a.handleInput(now, SOCKET, B_ADDR, ByteBuffer.wrap(check));
        byte[] response = null;
        for (var t = a.pollTransmit(); t.isPresent(); t = a.pollTransmit()) {
            byte[] d = bytes(t.get().data());
            StunScan s = StunScan.scan(d, d.length);
            if (s.ok() && s.messageClass() == Stun.CLASS_SUCCESS && Arrays.equals(d, 8, 20, check, 8, 20)) {
                response = d;
            }
        }
        assertThat(response).as("A's answer to the check").isNotNull();

        // the same response with the method turned from Binding (0x001) into 0x081, sealed again with A's password
        StunScan scan = StunScan.scan(response, response.length);
        byte[] body = Arrays.copyOf(response, scan.miOffset());
        body[0] |= 0x02;
        byte[] forged = bytes(Stun.seal(body, Stun.shortTermKey(credsA.pwd()), true));
        StunScan forgedScan = StunScan.scan(forged, forged.length);
        assertThat(forgedScan.ok()).isTrue();
        assertThat(forgedScan.method()).isEqualTo(0x081);
        assertThat(forgedScan.messageClass()).isEqualTo(Stun.CLASS_SUCCESS);

        b.handleInput(now + 1, SOCKET, A_ADDR, ByteBuffer.wrap(forged));
        assertThat(drainEvents(b)).noneMatch(e -> e instanceof IceEvent.SelectedPairChanged);
        assertThat(b.selectedPair()).isEmpty();

        b.handleInput(now + 2, SOCKET, A_ADDR, ByteBuffer.wrap(response));
        assertThat(drainEvents(b)).anyMatch(e -> e instanceof IceEvent.SelectedPairChanged);
        assertThat(b.selectedPair()).isPresent();
    }

    private static List<IceEvent> drainEvents(IceAgent agent) {
        List<IceEvent> out = new ArrayList<>();
        for (var e = agent.pollEvent(); e.isPresent(); e = agent.pollEvent()) {
            out.add(e.get());
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer p) {
        byte[] out = new byte[p.remaining()];
        p.duplicate().get(out);
        return out;
    }
}
