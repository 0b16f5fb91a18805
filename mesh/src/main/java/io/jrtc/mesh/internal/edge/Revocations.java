package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.OverlayEvent;
import io.jrtc.mesh.Revocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's side of key revocation (drill E): applies revocations known beforehand (configured, or kept in the
 * revocation file), records each accepted one (audit {@code revocation}, appended to the file), closes the revoked
 * agent's connection at once, and when it was a neighbour re-keys every other link, one at a time: each gets a new
 * PeerConnection (new ICE, DTLS and so SRTP/SCTP keys) under the same core link id, audited as {@code rekey}
 * ({@code start}, then {@code done} or {@code failed}). Agent loop only.
 */
final class Revocations {

    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
    private static final HexFormat HEX = HexFormat.of();

    private final MeshEdge edge;
    private final ArrayDeque<AgentId> toRekey = new ArrayDeque<>();
    private AgentId rekeying;
    private String rekeyOldSession;
    private long rekeyStarted;
    /** Links that came up after this were made after the revocation: they need no re-keying. */
    private long rekeyAfter;
    private AgentId cause;
    long rekeysDone;
    long rekeysFailed;
    /** What the revocation file holds already (hex lines). */
    private final java.util.Set<String> kept = new java.util.HashSet<>();

    Revocations(MeshEdge edge) {
        this.edge = edge;
    }

    /** At start: the configured revocations, then those kept in the revocation file, applied without sending. */
    void load() {
        for (Revocation r : edge.config.revocations()) {
            apply(r, "config");
        }
        Path file = edge.config.revocationFile();
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    kept.add(line.strip());
                    apply(Revocation.parse(HEX.parseHex(line.strip())), "file");
                }
            }
        } catch (IOException | RuntimeException | io.jrtc.common.ParseException e) {
            LOG.warn("mesh {}: cannot read the revocation file {}: {}", edge.self().shortString(), file, e.toString());
            edge.audit.record("revocation.file_unreadable", Map.of("file", file.toString(), "error", e.toString()));
        }
    }

    private void apply(Revocation r, String source) {
        if (!edge.core.revoke(edge.now(), r)) {
            LinkedHashMap<String, String> f = fields(r);
            f.put("source", source);
            edge.audit.record("revocation.refused", f);
        }
    }

    /** The core accepted a revocation (from the mesh, published here, or loaded). */
    void revoked(OverlayEvent.Revoked e) {
        Revocation r = e.revocation();
        AgentId agent = r.revoked();
        EdgeLink l = edge.links.byAgent(agent);
        boolean neighbour = e.wasNeighbour() || (l != null && l.state == EdgeLink.State.UP);
        LinkedHashMap<String, String> f = fields(r);
        f.put("publisher", e.publisher().toString());
        EdgeLink via = e.linkId() < 0 ? null : edge.links.byId(e.linkId());
        f.put("from", via == null ? "self" : via.remote.toString());
        f.put("neighbour", Boolean.toString(neighbour));
        f.put("self", Boolean.toString(agent.equals(edge.self())));
        edge.audit.record("revocation", f);
        LOG.info("mesh {}: {} revoked by operator {} ({}){}", edge.self().shortString(), agent.shortString(),
                r.operator().shortString(), r.reason(), neighbour ? ": it was a neighbour, re-keying the other links" : "");
        if (agent.equals(edge.self())) {
            LOG.warn("mesh {}: this agent's key was revoked ({}): it passed the revocation on and leaves the mesh",
                    edge.self().shortString(), r.reason());
            edge.emit(new MeshEvent.Revoked(agent, r.reason(), false));
            return;
        }
        persist(r);
        if (l != null && l.state == EdgeLink.State.UP) {
            // the core sends it its own revocation, then asks for the close (CloseRequested): nothing of it is
            // delivered meanwhile (the core drops it as REVOKED)
            edge.audit.record("link.down", Map.of("agent", agent.toString(), "reason", "revoked"));
        } else if (l != null) {
            edge.links.remove(l);
            l.state = EdgeLink.State.CLOSED;
            l.close(); // not up: at once
            edge.supervisor.forget(l);
            edge.audit.record("link.down", Map.of("agent", agent.toString(), "reason", "revoked"));
            edge.emit(new MeshEvent.LinkDown(agent, "revoked"));
        }
        edge.emit(new MeshEvent.Revoked(agent, r.reason(), neighbour));
        // the link being re-keyed was this agent's: its new connection went with it above, so that re-key is over
        linkGone(agent, "revoked");
        if (neighbour) {
            cause = agent;
            rekeyAfter = edge.now();
            for (EdgeLink o : edge.links.all()) {
                if (o.state == EdgeLink.State.UP && !toRekey.contains(o.remote) && !o.remote.equals(rekeying)) {
                    toRekey.add(o.remote);
                }
            }
            next();
        }
    }

    private void persist(Revocation r) {
        Path file = edge.config.revocationFile();
        String line = HEX.formatHex(r.encode());
        if (file == null || !kept.add(line)) {
            return;
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.warn("mesh {}: cannot keep the revocation in {}: {}", edge.self().shortString(), file, e.toString());
            edge.audit.record("revocation.not_kept", Map.of("file", file.toString(), "error", e.toString()));
        }
    }

    /** Starts re-keying the next link, unless one is being re-keyed. */
    private void next() {
        while (rekeying == null && !toRekey.isEmpty()) {
            AgentId a = toRekey.poll();
            EdgeLink l = edge.links.byAgent(a);
            if (l == null || l.state != EdgeLink.State.UP || l.upAt > rekeyAfter || edge.core.isRevoked(a)) {
                continue; // gone, recovering, or already on a session made after the revocation
            }
            rekeying = a;
            rekeyOldSession = l.remoteSession;
            rekeyStarted = edge.now();
            edge.audit.record("rekey", Map.of("agent", a.toString(), "action", "start", "cause", cause.toString(),
                    "old_session", String.valueOf(l.remoteSession)));
            edge.supervisor.rekey(l);
        }
    }

    /** A link came up; a rebuilt link of the agent being re-keyed completes its re-keying. */
    void linkUp(EdgeLink l) {
        if (l.remote.equals(rekeying) && l.coreKnown) {
            long ms = TimeUnit.NANOSECONDS.toMillis(edge.now() - rekeyStarted);
            LinkedHashMap<String, String> f = new LinkedHashMap<>();
            f.put("agent", l.remote.toString());
            f.put("action", "done");
            f.put("old_session", String.valueOf(rekeyOldSession));
            f.put("new_session", String.valueOf(l.remoteSession));
            f.put("millis", Long.toString(ms));
            edge.audit.record("rekey", f);
            edge.emit(new MeshEvent.Rekeyed(l.remote, true));
            rekeysDone++;
            rekeying = null;
            next();
        }
    }

    /**
     * The link with {@code remote} is gone ({@code why}: its connection failed or was refused, or the overlay or the
     * remote closed it): if it was being re-keyed, that failed (the core repairs the overlay; the old session went with
     * the link) and the next one starts.
     */
    void linkGone(AgentId remote, String why) {
        if (remote.equals(rekeying)) {
            edge.audit.record("rekey", Map.of("agent", remote.toString(), "action", "failed", "reason", why));
            LOG.info("mesh {}: re-keying the link with {} failed: {}", edge.self().shortString(), remote.shortString(),
                    why);
            edge.emit(new MeshEvent.Rekeyed(remote, false));
            rekeysFailed++;
            rekeying = null;
            next();
        }
    }

    private static LinkedHashMap<String, String> fields(Revocation r) {
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put("agent", r.revoked().toString());
        f.put("key", HEX.formatHex(r.revokedKey()));
        f.put("operator", r.operator().toString());
        f.put("reason", r.reason());
        f.put("issued_at", Instant.ofEpochMilli(r.issuedAtMillis()).toString());
        return f;
    }

    /** Links re-keyed, failed, and waiting or being re-keyed. */
    long[] counts() {
        return new long[] {rekeysDone, rekeysFailed, toRekey.size() + (rekeying == null ? 0 : 1)};
    }
}
