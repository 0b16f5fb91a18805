package io.jrtc.ice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceConfig;
import io.jrtc.ice.IceEvent;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceServer;
import io.jrtc.ice.IceStats;
import io.jrtc.ice.IceTransportPolicy;
import io.jrtc.testkit.Coturn;
import io.jrtc.testkit.WritesByDestination;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TURN over TCP and TLS binds its connection to the allow-list, like the UDP sockets. coturn listens on 127.0.0.1,
 * where the kernel would pick 127.0.0.1 as the source too; the only allowed address is 127.0.0.2. Two witnesses
 * outside jrtc see the connection leave from 127.0.0.2: the kernel's socket table ({@code /proc/net/tcp}) while it is
 * up, and coturn's log of the client it accepted. With an allow-list that has no address of the server's family
 * (only {@code ::1}), no connection is attempted at all, and gathering still completes.
 */
class TurnStreamsLeaveFromAnAllowedAddress {

    static final InetAddress ALLOWED = address("127.0.0.2");

    static MultiThreadIoEventLoopGroup group;
    static Coturn coturn;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        coturn = Coturn.longTerm("stream-source");
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "TURN over {0}")
    @ValueSource(strings = {"tcp", "tls"})
    void theTurnConnectionLeavesFromTheAllowedAddress(String transport) throws Exception {
        InetSocketAddress server = transport.equals("tls") ? coturn.tlsAddress() : coturn.address();
        WritesByDestination writes = new WritesByDestination();
        IceConfig cfg = IceConfig.builder()
                .addBindAddress(ALLOWED)
                .turnTlsTrustManager(IceConfig.trustManagerFor(coturn.certificate()))
                .addServer(IceServer.turn(coturn.url(transport), Coturn.USER, Coturn.PASSWORD))
                .writeObserver(writes::record)
                .build();
        IceTransport t = new IceTransport(group.next(), cfg);
        List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        t.onLocalCandidate(candidates::add);
        t.onGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                complete.complete(null);
            }
        });
        List<InetSocketAddress> earlier = establishedSourcesTo(server);
        t.startGathering();
        complete.get(10, TimeUnit.SECONDS);

        // The kernel's view of the new live connection to coturn's port: its local address.
        List<InetSocketAddress> sources = new ArrayList<>(establishedSourcesTo(server));
        sources.removeAll(earlier);
        assertThat(sources).as("established TCP connections to %s", server).hasSize(1);
        InetSocketAddress source = sources.get(0);
        assertThat(source.getAddress()).isEqualTo(ALLOWED);
        // coturn's view: the client it accepted.
        assertThat(coturn.log()).contains("connected to: 127.0.0.2:" + source.getPort());

        // And ICE's: the relay candidate's related address is the stream's base.
        IceCandidate relay = candidates.stream().filter(c -> c.type() == IceCandidateType.RELAY).findFirst().orElseThrow();
        assertThat(relay.relatedAddress()).isEqualTo("127.0.0.2");
        assertThat(candidates).filteredOn(c -> c.type() == IceCandidateType.HOST)
                .extracting(IceCandidate::address).containsExactly("127.0.0.2");
        assertThat(writes.snapshot().keySet()).containsExactly(server);
        t.close().get(10, TimeUnit.SECONDS);
    }

    @Test
    void noAllowedAddressOfTheServersFamilyMeansNoConnection() throws Exception {
        String before = coturn.log();
        WritesByDestination writes = new WritesByDestination();
        IceConfig cfg = IceConfig.builder()
                .addBindAddress(address("::1"))
                .policy(IceTransportPolicy.RELAY)
                .turnTlsTrustManager(IceConfig.trustManagerFor(coturn.certificate()))
                .addServer(IceServer.turn(coturn.url("tcp"), Coturn.USER, Coturn.PASSWORD))
                .addServer(IceServer.turn(coturn.url("tls"), Coturn.USER, Coturn.PASSWORD))
                .writeObserver(writes::record)
                .build();
        IceTransport t = new IceTransport(group.next(), cfg);
        List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        List<IceEvent.Error> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        t.onLocalCandidate(candidates::add);
        t.onError(errors::add);
        t.onGatheringStateChange(s -> {
            if (s == IceGatheringState.COMPLETE) {
                complete.complete(null);
            }
        });
        t.startGathering();
        complete.get(10, TimeUnit.SECONDS);

        assertThat(candidates).isEmpty();
        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e.message()).contains("no allowed local address"));
        assertThat(writes.snapshot()).isEmpty();
        IceStats st = t.stats();
        assertThat(st.traffic(IceStats.Wire.TCP).packetsSent()).isZero();
        assertThat(st.traffic(IceStats.Wire.TLS).packetsSent()).isZero();
        assertThat(st.turn().allocationFailures()).isEqualTo(2);
        assertThat(establishedSourcesTo(coturn.address())).isEmpty();
        assertThat(establishedSourcesTo(coturn.tlsAddress())).isEmpty();
        t.close().get(10, TimeUnit.SECONDS);
        // coturn accepted no client meanwhile.
        assertThat(coturn.log().substring(before.length())).doesNotContain("connected to:");
    }

    private static final Pattern TCP_ROW = Pattern.compile(
            "^\\s*\\d+:\\s+([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})\\s+([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})\\s+([0-9A-F]{2})\\s");

    /**
     * Local addresses of the ESTABLISHED (state 01) TCP sockets whose remote end is {@code server}, from
     * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Java's sockets are dual-stack: an IPv4 connection may be
     * listed there with IPv4-mapped addresses).
     */
    static List<InetSocketAddress> establishedSourcesTo(InetSocketAddress server) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                Matcher m = TCP_ROW.matcher(line);
                if (!m.find() || !m.group(5).equals("01")) {
                    continue;
                }
                InetSocketAddress remote = procAddress(m.group(3), m.group(4));
                if (remote.getAddress().equals(server.getAddress()) && remote.getPort() == server.getPort()) {
                    out.add(procAddress(m.group(1), m.group(2)));
                }
            }
        }
        return out;
    }

    /**
     * An address of {@code /proc/net/tcp[6]}: the address as native-order 32-bit hex words (one for IPv4, four for
     * IPv6), the port in hex. IPv4-mapped IPv6 addresses come back as IPv4 ({@link InetAddress#getByAddress}).
     */
    static InetSocketAddress procAddress(String ipHex, String portHex) throws Exception {
        byte[] b = new byte[ipHex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            int v = (int) Long.parseLong(ipHex.substring(8 * w, 8 * w + 8), 16);
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                v = Integer.reverseBytes(v);
            }
            b[4 * w] = (byte) (v >>> 24);
            b[4 * w + 1] = (byte) (v >>> 16);
            b[4 * w + 2] = (byte) (v >>> 8);
            b[4 * w + 3] = (byte) v;
        }
        return new InetSocketAddress(InetAddress.getByAddress(b), Integer.parseInt(portHex, 16));
    }
}
