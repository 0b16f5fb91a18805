package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.interop.Interop;
import io.jrtc.testkit.interop.PacketCapture;
import io.jrtc.testkit.interop.PcapFile;
import io.jrtc.testkit.interop.PcapFile.Packet;
import io.jrtc.testkit.interop.PrivateNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay-only proof by an independent witness: tcpdump, not a counter inside jrtc. Two PeerConnections with
 * {@code iceTransportPolicy: relay} bind only a second address on the host end of a {@link PrivateNetwork}'s veth
 * ({@code 10.77.N.3}, not the {@code 10.77.N.1} the kernel would pick as the source towards coturn, so a socket that
 * ignored the allow-list, like an unbound TURN TCP/TLS connection, would show up as a stray packet); coturn runs
 * inside the namespace ({@code 10.77.N.2}). tcpdump captures every IPv4 packet of the network's /24 on
 * every interface of this namespace, loopback included, where a direct agent-to-agent packet would go. After 200
 * round trips of 1000 bytes, every UDP and TCP packet in the capture must run between an agent socket and coturn's
 * listening port (TURN over UDP, TCP or TLS), and the agents must have sent coturn at least the echoed bytes. The
 * control: the same scenario without the relay policy shows direct agent-to-agent packets in the capture, so the
 * witness does see the path that relay-only must never take.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayOnlyTrafficOnTheWireGoesOnlyToTurn {

    private static final int MESSAGES = 200;
    private static final int SIZE = 1000;

    private PeerConnectionFactory factory;
    private PrivateNetwork net;
    private Coturn coturn;
    /** The only address the agents may bind: a secondary one, never the kernel's own choice of source. */
    private InetAddress agents;

    @BeforeAll
    void start() throws Exception {
        Interop.requirePrivateNetwork();
        Interop.require("tcpdump", PacketCapture.unavailableReason());
        factory = new PeerConnectionFactory(2);
        net = PrivateNetwork.create();
        coturn = Coturn.longTermIn(net, "peer-relay-capture");
        agents = secondAddressOnTheHostEnd(net);
    }

    /** Adds {@code 10.77.N.3} to the host end of the veth (it goes with the veth when the network closes). */
    private static InetAddress secondAddressOnTheHostEnd(PrivateNetwork net) throws Exception {
        byte[] a = net.hostAddress().getAddress();
        InetAddress second = InetAddress.getByAddress(new byte[] {a[0], a[1], a[2], 3});
        String hostIf = NetworkInterface.getByInetAddress(net.hostAddress()).getName();
        Process p = new ProcessBuilder("ip", "addr", "add", second.getHostAddress() + "/24", "dev", hostIf)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ip addr add " + second + " failed: " + out);
        }
        return second;
    }

    @AfterAll
    void stop() {
        if (coturn != null) {
            coturn.close();
        }
        if (net != null) {
            net.close();
        }
        if (factory != null) {
            factory.close();
        }
    }

    @ParameterizedTest(name = "TURN over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void everyPacketOfBothAgentsGoesToTheTurnServer(String transport) throws Exception {
        Set<InetSocketAddress> turn = Set.of(coturn.address(), coturn.tlsAddress());
        Path pcap = Path.of("target", "captures", "relay-only-" + transport + ".pcap").toAbsolutePath();
        List<Packet> packets = captureEcho(transport, IceTransportPolicy.RELAY, pcap);

        List<Packet> transport4 = packets.stream().filter(p -> p.protocol() != PcapFile.Protocol.OTHER).toList();
        List<Packet> stray = transport4.stream()
                .filter(p -> !(p.source().getAddress().equals(agents) && turn.contains(p.destination()))
                        && !(turn.contains(p.source()) && p.destination().getAddress().equals(agents)))
                .toList();
        assertThat(stray).as("packets not between an agent and coturn's %s port, in %s", transport, pcap).isEmpty();

        List<Packet> toTurn = transport4.stream().filter(p -> turn.contains(p.destination())).toList();
        Set<Integer> agentPorts = toTurn.stream().map(p -> p.source().getPort()).collect(Collectors.toSet());
        long bytesToTurn = toTurn.stream().mapToLong(Packet::payloadLength).sum();
        assertThat(toTurn).as("packets from the agents to coturn in %s", pcap).isNotEmpty();
        assertThat(agentPorts).as("agent sockets that talked to coturn (both agents)").hasSizeGreaterThanOrEqualTo(2);
        // Each message goes to coturn twice: once from the offerer, and once more as the answerer's echo.
        assertThat(bytesToTurn).as("payload bytes from the agents to coturn").isGreaterThanOrEqualTo(2L * MESSAGES * SIZE);
        Set<PcapFile.Protocol> protocols = toTurn.stream().map(Packet::protocol).collect(Collectors.toSet());
        assertThat(protocols).containsExactly(transport.equals("udp") ? PcapFile.Protocol.UDP : PcapFile.Protocol.TCP);
    }

    @Test
    void withoutTheRelayPolicyTheCaptureShowsDirectAgentToAgentPackets() throws Exception {
        Path pcap = Path.of("target", "captures", "policy-all.pcap").toAbsolutePath();
        List<Packet> packets = captureEcho("udp", IceTransportPolicy.ALL, pcap);
        List<Packet> direct = packets.stream().filter(p -> p.protocol() == PcapFile.Protocol.UDP
                && p.source().getAddress().equals(agents) && p.destination().getAddress().equals(agents)).toList();
        long directBytes = direct.stream().mapToLong(Packet::payloadLength).sum();
        assertThat(directBytes).as("payload bytes agent to agent on loopback, in %s", pcap)
                .isGreaterThanOrEqualTo(2L * MESSAGES * SIZE);
    }

    /** Connects two agents under {@code policy}, echoes the messages and returns what tcpdump saw meanwhile. */
    private List<Packet> captureEcho(String transport, IceTransportPolicy policy, Path pcap) throws Exception {
        byte[] a = net.hostAddress().getAddress();
        String subnet = (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24";
        try (PacketCapture capture = PacketCapture.start("any", "ip and net " + subnet, pcap)) {
            connectAndEcho(new IceServer(List.of(coturn.url(transport)), Coturn.USER, Coturn.PASSWORD), policy);
            return capture.stop();
        }
    }

    private void connectAndEcho(IceServer server, IceTransportPolicy policy) throws Exception {
        IceConfig trust = IceConfig.builder().turnTlsTrustedCertificates(coturn.certificate()).build();
        RtcConfiguration config = RtcConfiguration.builder().addBindAddress(agents)
                .iceTransportPolicy(policy).addIceServer(server).iceTuning(trust).build();
        try (LoopbackPair p = new LoopbackPair(factory.createPeerConnection(config), factory.createPeerConnection(config))) {
            p.answererEchoes();
            DataChannel first = p.offerer.createDataChannel("first");
            p.negotiate();
            ChannelTraffic.opened(p.offerer, first).get(30, TimeUnit.SECONDS);
            JavaToJavaDataChannelScenarios.echoRoundTrip(p.offerer, "relayed", DataChannelInit.DEFAULT, MESSAGES, true, SIZE);
        }
    }
}
