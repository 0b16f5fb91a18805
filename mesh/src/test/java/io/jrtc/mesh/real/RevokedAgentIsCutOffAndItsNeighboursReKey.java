package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.Revocation;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.audit.AuditLog;
import io.jrtc.mesh.audit.AuditVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill E, "key compromise", over real PeerConnections: six agents, each with an {@link AuditLog} file. First a
 * revocation signed by a rogue key, published by an agent R misconfigured to trust that key (of a key no agent uses,
 * so that R's own obedience changes nothing), is refused by every honest agent it reaches (audited
 * {@code revocation.refused}), changes nothing there and goes no further: R's next broadcast reaches everyone. Then an operator
 * revocation of agent X, published by another agent, reaches every agent, which drops X's links and messages within
 * 5 s (measured: publish to the last agent's {@code Revoked}); X's former neighbours re-key each of their other links
 * (a new PeerConnection: new ICE, DTLS and SCTP sessions, audited {@code rekey} with the old and new session ids);
 * X's later sends reach nobody; a broadcast still reaches every other agent; every log verifies.
 *
 * <p>The overlay of six at degree 3 still changes after it first connects, and under load (a loop of 200 runs beside
 * three busy processes) each of these came up: R or the publisher without a neighbour for a moment (its broadcast
 * refused as {@code NOT_CONNECTED}, its revocation applied locally and sent to each later neighbour), a neighbour of
 * R's gone before the forged copy reached it, X without a neighbour, and a re-key whose link the overlay closed. The
 * test allows each, as the documented behaviour, and still requires what the drill is about.
 */
class RevokedAgentIsCutOffAndItsNeighboursReKey {

    private static final Logger LOG = LoggerFactory.getLogger(RevokedAgentIsCutOffAndItsNeighboursReKey.class);
    private static final int N = 6;
    /** The misconfigured agent (it also trusts a rogue key), and the agent the operator revokes. */
    private static final int R = 5;
    private static final int X = 0;

    record Entry(String kind, Map<String, String> fields) {
    }

    @Test
    void aRevokedAgentIsDroppedEverywhereWithinFiveSecondsAndItsNeighboursReKey(@TempDir Path dir) throws Exception {
        Identity operator = Identity.generate();
        Identity rogue = Identity.generate();
        List<Identity> ids = new ArrayList<>();
        List<AuditLog> logs = new ArrayList<>();
        List<ConcurrentLinkedQueue<Entry>> entries = new ArrayList<>();
        Map<Integer, Long> revokedAt = new ConcurrentHashMap<>();
        try (RealMesh mesh = new RealMesh()) {
            for (int i = 0; i < N; i++) {
                Identity id = Identity.generate();
                ids.add(id);
                AuditLog log = AuditLog.open(dir.resolve("agent-" + i + ".audit"), id);
                logs.add(log);
                ConcurrentLinkedQueue<Entry> mine = new ConcurrentLinkedQueue<>();
                entries.add(mine);
                AuditSink tee = (kind, fields) -> {
                    mine.add(new Entry(kind, Map.copyOf(fields)));
                    log.record(kind, fields);
                };
                var b = mesh.config(id, i).degree(3).maxLinks(5).audit(tee).operatorKey(operator.publicKey())
                        .revocationFile(dir.resolve("agent-" + i + ".revoked"));
                if (i == R) {
                    b.operatorKey(rogue.publicKey());
                }
                MeshAgent a = mesh.start(b.build());
                int index = i;
                var previous = a;
                a.onEvent(e -> {
                    if (index != X && e instanceof MeshEvent.Revoked r && r.agent().equals(ids.get(X).agentId())) {
                        revokedAt.putIfAbsent(index, System.nanoTime());
                    }
                });
                assertThat(previous).isSameAs(a);
            }
            RealMesh.await("one overlay", Duration.ofSeconds(60), mesh::connected);
            AgentId x = ids.get(X).agentId();
            AgentId rid = ids.get(R).agentId();

            // 1. A forged revocation: refused by every honest agent it reaches, forwarded by none.
            Revocation forged = Revocation.sign(rogue, Identity.generate().publicKey(), "forged by a rogue key",
                    System.currentTimeMillis());
            // NOT_CONNECTED (R without a neighbour for a moment, seen under load) still applies it at R, which sends it
            // to each neighbour it links with afterwards
            assertThat(mesh.agent(R).publishRevocation(forged).status()).isIn(SendResult.Status.ACCEPTED,
                    SendResult.Status.NOT_CONNECTED);
            // the overlay may still change: a link of R's that closes just then takes the copy with it (seen under
            // load: a neighbour at the publish was gone before the copy reached it). So: every agent that is R's
            // neighbour now has refused it (R re-sends it to each new neighbour), and at least one did.
            try {
                RealMesh.await("R's neighbours refuse the forged revocation", Duration.ofSeconds(10), () -> {
                    List<AgentId> now = mesh.agent(R).neighbours();
                    return !now.isEmpty() && now.stream().allMatch(n -> refused(entries.get(mesh.indexOf(n))));
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + state(mesh, ids, i -> " refused " + refused(entries.get(i))), e);
            }
            for (int i = 0; i < N; i++) {
                assertThat(mesh.agent(i).rekeys()).as("agent %d", i).containsExactly(0, 0, 0);
                if (i != R) {
                    assertThat(mesh.agent(i).revoked()).as("agent %d", i).isEmpty();
                    assertThat(entries.get(i)).noneMatch(e -> e.kind().equals("revocation"));
                }
            }
            for (int i = 0; i < N; i++) {
                // R sends what it accepted to each new neighbour too: every refusal names R as the sender
                assertThat(entries.get(i).stream().filter(e -> e.kind().equals("revocation.refused")))
                        .as("agent %d: refused copies came from R only (forwarded by none)", i)
                        .allSatisfy(e -> assertThat(e.fields().get("from")).isEqualTo(rid.toString()));
            }
            // (CI, once: R had no neighbour for a moment, refused its broadcast as NOT_CONNECTED, and the test then
            // waited for sequence -1; the overlay of six at degree 3 still changes after it first connects)
            SendResult fromR = RealMesh.broadcastOnceLinked(mesh.agent(R), "R is still trusted".getBytes());
            try {
                RealMesh.await("R's broadcast reaches every agent", Duration.ofSeconds(10), () -> {
                    for (int i = 0; i < R; i++) {
                        if (mesh.count(i, rid, fromR.sequence()) != 1) {
                            return false;
                        }
                    }
                    return true;
                });
            } catch (AssertionError e) {
                // say who missed it and why
                throw new AssertionError(e.getMessage() + state(mesh, ids, i -> ", copies of R's broadcast "
                        + mesh.count(i, rid, fromR.sequence())), e);
            }

            // 2. The operator revokes X; an agent other than X publishes it.
            int p = 2;
            // (the overlay still changes: seen under load, X without a neighbour at this point, so nobody to re-key)
            RealMesh.await("X and the publisher each have a neighbour", Duration.ofSeconds(10),
                    () -> !mesh.agent(X).neighbours().isEmpty() && !mesh.agent(p).neighbours().isEmpty());
            Revocation rev = Revocation.sign(operator, ids.get(X).publicKey(), "key found on a stolen laptop",
                    System.currentTimeMillis());
            long t0 = System.nanoTime();
            assertThat(mesh.agent(p).publishRevocation(rev).status()).isIn(SendResult.Status.ACCEPTED,
                    SendResult.Status.NOT_CONNECTED); // as above
            try {
                RealMesh.await("every agent drops X", Duration.ofSeconds(5), () -> revokedAt.size() == N - 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + state(mesh, ids, i -> " revoked at " + revokedAt.get(i)), e);
            }
            long lastDrop = revokedAt.values().stream().mapToLong(v -> v - t0).max().orElseThrow();
            LOG.info("revocation: publish to the last agent dropping X: {} ms; per agent: {}",
                    TimeUnit.NANOSECONDS.toMillis(lastDrop), revokedAt.entrySet().stream().map(e -> e.getKey() + "="
                            + TimeUnit.NANOSECONDS.toMillis(e.getValue() - t0) + "ms").toList());
            assertThat(lastDrop).isLessThan(TimeUnit.SECONDS.toNanos(5));
            // X's former neighbours: those whose own record says X was their neighbour when they dropped it
            Set<Integer> formerNeighbours = new HashSet<>();
            for (int i = 1; i < N; i++) {
                if (entries.get(i).stream().anyMatch(e -> e.kind().equals("revocation")
                        && e.fields().get("agent").equals(x.toString()) && e.fields().get("neighbour").equals("true"))) {
                    formerNeighbours.add(i);
                }
            }
            assertThat(formerNeighbours).as("agents that had X as a neighbour when it was revoked").isNotEmpty();
            RealMesh.await("nobody holds a link to X", Duration.ofSeconds(5), () -> {
                for (int i = 1; i < N; i++) {
                    if (mesh.agent(i).neighbours().contains(x)) {
                        return false;
                    }
                }
                return mesh.agent(X).stats().linksUp() == 0;
            });
            for (int i = 1; i < N; i++) {
                assertThat(mesh.agent(i).revoked()).as("agent %d", i).endsWith(x).hasSize(i == R ? 2 : 1);
            }

            // X's sends after the revocation reach nobody (it has no link; a dial of it is refused)
            long deliveredFromXBefore = mesh.deliveries.stream().filter(g -> g.message().origin().equals(x)).count();
            SendResult afterwards = mesh.agent(X).broadcast("transfer everything".getBytes());
            LOG.info("X's broadcast after its revocation: {}", afterwards.status());

            // 3. X's former neighbours re-key every other link, one at a time
            RealMesh.await("re-keying done", Duration.ofSeconds(30), () -> {
                for (int i : formerNeighbours) {
                    if (mesh.agent(i).rekeys()[2] != 0) {
                        return false;
                    }
                }
                return true;
            });
            long rekeyed = 0;
            for (int i : formerNeighbours) {
                long[] k = mesh.agent(i).rekeys();
                LOG.info("agent {} (former neighbour of X): {} links re-keyed, {} failed; {}", i, k[0], k[1],
                        entries.get(i).stream().filter(e -> e.kind().equals("rekey")).map(Entry::fields).toList());
                // a re-key fails when the link goes while its new connection is being made (seen under load: the
                // overlay closed it); the old session goes with the link, and the failure is on record with its reason
                assertThat(entries.get(i).stream().filter(e -> e.kind().equals("rekey")
                        && e.fields().get("action").equals("failed"))).as("failed re-keys audited at %d", i)
                        .hasSize((int) k[1]).allSatisfy(e -> assertThat(e.fields().get("reason")).isNotBlank());
                assertThat(entries.get(i).stream().filter(e -> e.kind().equals("rekey")
                        && e.fields().get("action").equals("done")).count()).as("re-keys audited at %d", i).isEqualTo(k[0]);
                rekeyed += k[0];
                for (Entry e : entries.get(i)) {
                    if (e.kind().equals("rekey") && e.fields().get("action").equals("done")) {
                        assertThat(e.fields().get("new_session")).isNotEqualTo(e.fields().get("old_session"));
                    }
                }
            }
            assertThat(rekeyed).as("links re-keyed by X's former neighbours").isPositive();
            RealMesh.await("one overlay of the others", Duration.ofSeconds(30), () -> {
                for (int i = 1; i < N; i++) {
                    if (mesh.agent(i).neighbours().isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            SendResult fromP = RealMesh.broadcastOnceLinked(mesh.agent(p), "after the drill".getBytes());
            AgentId pid = ids.get(p).agentId();
            RealMesh.await("a broadcast reaches every other agent but X", Duration.ofSeconds(10), () -> {
                for (int i = 1; i < N; i++) {
                    if (i != p && mesh.count(i, pid, fromP.sequence()) != 1) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(mesh.count(X, pid, fromP.sequence())).isZero();
            assertThat(mesh.deliveries.stream().filter(g -> g.message().origin().equals(x)).count())
                    .as("deliveries of X's messages since its revocation").isEqualTo(deliveredFromXBefore);
            for (int i = 1; i < N; i++) {
                assertThat(entries.get(i)).as("agent %d", i).anyMatch(e -> e.kind().equals("revocation")
                        && e.fields().get("agent").equals(x.toString()));
            }
            for (int i = 0; i < N; i++) {
                mesh.agent(i).close();
            }
        } finally {
            for (AuditLog l : logs) {
                l.close();
            }
        }
        for (int i = 0; i < N; i++) {
            AuditVerifier.Result r = AuditVerifier.verify(dir.resolve("agent-" + i + ".audit"),
                    AuditVerifier.Expected.key(ids.get(i).publicKey()));
            assertThat(r.ok()).as("agent %d: %s", i, r).isTrue();
            String text = java.nio.file.Files.readString(dir.resolve("agent-" + i + ".audit"));
            if (i != X) {
                assertThat(text).contains("\"kind\":\"revocation\"");
            }
            // a former neighbour whose every other link was re-keyed from the far end (itself a former neighbour)
            // re-keys nothing itself: only those that did must have it on record (seen: one agent of six, 0 re-keys)
            if (formerNeighboursOf(entries.get(i)) && entries.get(i).stream().anyMatch(e -> e.kind().equals("rekey"))) {
                assertThat(text).contains("\"kind\":\"rekey\"");
            }
        }
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("agent-3.revoked"))).hasSize(1);
    }

    private static boolean refused(ConcurrentLinkedQueue<Entry> entries) {
        return entries.stream().anyMatch(e -> e.kind().equals("revocation.refused"));
    }

    private static boolean formerNeighboursOf(ConcurrentLinkedQueue<Entry> entries) {
        return entries.stream().anyMatch(e -> e.kind().equals("revocation") && e.fields().get("neighbour").equals("true")
                && !e.fields().get("reason").startsWith("forged"));
    }

    /** One line per agent for a failure message: its id, {@code what} of it, its neighbours and its stats. */
    private static String state(RealMesh mesh, List<Identity> ids, java.util.function.IntFunction<String> what) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < N; i++) {
            sb.append("\n agent ").append(i).append(' ').append(ids.get(i).agentId().shortString())
                    .append(what.apply(i)).append(", neighbours ")
                    .append(mesh.agent(i).neighbours().stream().map(AgentId::shortString).toList())
                    .append(", ").append(mesh.agent(i).stats());
        }
        return sb.toString();
    }
}
