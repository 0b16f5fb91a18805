package io.jrtc.mesh.internal.edge;

import io.jrtc.ice.IceServer;
import io.jrtc.ice.nat.NatBehaviorResult;
import io.jrtc.ice.netty.NatBehaviorCheck;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.NatCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's NAT behaviour discovery ({@link NatCheck}): picks the STUN server, runs {@link NatBehaviorCheck} on the
 * agent loop (its own UDP socket; a host name is resolved on a virtual thread first), and reports the outcome: the
 * {@link MeshEvent.NatDiscovered} event, the audit entry {@code nat.behaviour}, the metrics gauge and one log line.
 * Every method runs on the agent loop.
 */
final class NatReport {

    private static final Logger LOG = LoggerFactory.getLogger(NatReport.class);

    private final MeshEdge edge;
    private final NatCheck config;
    private boolean ranAtStart;
    private CompletableFuture<NatBehaviorResult> running;
    private volatile NatBehaviorResult latest;

    NatReport(MeshEdge edge) {
        this.edge = edge;
        this.config = edge.config.natCheck();
    }

    /** The agent registered (also again after a reconnect): the first time, the discovery runs unless it is off. */
    void registered() {
        if (ranAtStart || config.mode() == NatCheck.Mode.OFF) {
            return;
        }
        ranAtStart = true;
        InetSocketAddress server = config.server();
        IceServer.Url url = null;
        if (server == null) {
            url = firstUdpServer();
            if (url == null) {
                LOG.debug("mesh {}: no UDP STUN or TURN server among the ICE servers: no NAT behaviour discovery",
                        edge.self().shortString());
                return;
            }
        }
        run(server, url);
    }

    /**
     * Runs a discovery now (the running one if there is one). Fails with an {@code IllegalStateException} when the
     * check is off or there is no server to run it against.
     */
    CompletableFuture<NatBehaviorResult> check() {
        if (running != null) {
            return running;
        }
        if (config.mode() == NatCheck.Mode.OFF) {
            return CompletableFuture.failedFuture(new IllegalStateException("the NAT check is off (MeshConfig.natCheck)"));
        }
        IceServer.Url url = config.server() == null ? firstUdpServer() : null;
        if (config.server() == null && url == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no UDP STUN or TURN server among the ICE servers " + edge.iceServers + " to check the NAT against"));
        }
        return run(config.server(), url);
    }

    NatBehaviorResult latest() {
        return latest;
    }

    /** The agent closes: a running discovery is cancelled (its socket closes). */
    void close() {
        if (running != null) {
            running.cancel(false);
            running = null;
        }
    }

    /** The first UDP stun:/turn: URL of the servers in use: those signaling handed out (or the config's), then the template's. */
    private IceServer.Url firstUdpServer() {
        List<IceServer> all = new ArrayList<>(edge.iceServers);
        all.addAll(edge.config.rtcTemplate().iceServers());
        for (IceServer s : all) {
            for (IceServer.Url u : s.parsedUrls()) {
                if ((u.scheme() == IceServer.Scheme.STUN || u.scheme() == IceServer.Scheme.TURN)
                        && u.transport() == IceServer.ServerTransport.UDP) {
                    return u;
                }
            }
        }
        return null;
    }

    private CompletableFuture<NatBehaviorResult> run(InetSocketAddress server, IceServer.Url url) {
        CompletableFuture<NatBehaviorResult> f = new CompletableFuture<>();
        running = f;
        String what = server != null ? addr(server) : url.toString();
        if (server != null) {
            start(f, server, what);
        } else {
            // a host name takes a DNS lookup: not on the agent loop
            Thread.ofVirtual().name("jrtc-mesh-nat-resolve").start(() -> {
                try {
                    InetSocketAddress resolved = new InetSocketAddress(InetAddress.getByName(url.host()), url.port());
                    edge.execute(() -> start(f, resolved, what));
                } catch (UnknownHostException e) {
                    edge.execute(() -> finish(f, what, null, "cannot resolve " + url.host() + ": " + e.getMessage()));
                }
            });
        }
        return f;
    }

    private void start(CompletableFuture<NatBehaviorResult> f, InetSocketAddress server, String what) {
        if (f.isDone() || edge.closed) {
            return;
        }
        InetAddress bind = null;
        for (InetAddress a : edge.config.rtcTemplate().bindAddresses()) {
            if (a.getClass() == server.getAddress().getClass()) {
                bind = a;
                break;
            }
        }
        CompletableFuture<NatBehaviorResult> check;
        try {
            check = NatBehaviorCheck.run(edge.loop(), server, bind, config.discovery());
        } catch (IllegalArgumentException e) {
            finish(f, what, null, e.getMessage());
            return;
        }
        f.whenComplete((r, e) -> {
            if (f.isCancelled()) {
                check.cancel(false); // closes its socket
            }
        });
        check.whenComplete((r, e) -> edge.callback(null, "the NAT behaviour discovery",
                () -> finish(f, what, r, e == null ? null : String.valueOf(e.getMessage()))));
    }

    private void finish(CompletableFuture<NatBehaviorResult> f, String what, NatBehaviorResult r, String error) {
        if (f.isDone()) {
            return;
        }
        if (running == f) {
            running = null;
        }
        String self = edge.self().shortString();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("agent", edge.self().toString());
        fields.put("server", what);
        if (r == null) {
            LOG.warn("mesh {}: NAT behaviour discovery against {} could not run: {}", self, what, error);
            fields.put("status", "failed");
            fields.put("error", error);
            edge.audit.record("nat.behaviour", fields);
            edge.emit(new MeshEvent.NatDiscovered(null, error));
            f.completeExceptionally(new IllegalStateException("NAT behaviour discovery against " + what + ": " + error));
            return;
        }
        latest = r;
        fields.put("status", r.status().label());
        fields.put("mapping", r.mapping().label());
        fields.put("filtering", r.filtering().label());
        fields.put("mapped", r.mappedAddress() == null ? "-" : addr(r.mappedAddress()));
        fields.put("local", r.local() == null ? "-" : addr(r.local()));
        fields.put("nat", r.behindNat() ? "yes" : r.noNat() ? "no" : "unknown");
        if (r.status() == NatBehaviorResult.Status.SERVER_UNREACHABLE || r.status() == NatBehaviorResult.Status.SERVER_ERROR) {
            LOG.warn("mesh {}: NAT behaviour discovery against {}: {} ({})", self, what, r.status().label(), r.detail());
        } else {
            LOG.info("mesh {}: NAT behaviour against {}: mapping {}, filtering {}, {} ({})", self, what,
                    r.mapping().label(), r.filtering().label(), r.behindNat() ? "behind a NAT" : "no NAT", r.status().label());
        }
        edge.audit.record("nat.behaviour", fields);
        edge.telemetry.metrics.nat(r);
        edge.emit(new MeshEvent.NatDiscovered(r, null));
        f.complete(r);
    }

    static String addr(InetSocketAddress a) {
        String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
}
