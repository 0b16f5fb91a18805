package io.jrtc.mesh.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.dtls.DtlsCertificate;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.AuditSink;
import io.jrtc.mesh.CertificatePolicy;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshAgent;
import io.jrtc.mesh.MeshEvent;
import io.jrtc.mesh.SendResult;
import io.jrtc.mesh.audit.AuditLog;
import io.jrtc.mesh.audit.AuditVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill D, "certificate rotation and expiry", over real PeerConnections: five agents linked with all the others, each
 * with an {@link AuditLog} file and DTLS certificates valid {@link #LIFETIME}, replaced {@link #MARGIN} before they
 * expire. Reliable traffic runs throughout: every agent broadcasts a numbered message and sends a numbered unicast
 * to the next agent every {@link #INTERVAL_MS} ms. Asserted: every agent rotated at least twice, with a new
 * fingerprint each time, and each neighbour saw one of its new fingerprints on a rebuilt link (audit
 * {@code link.rotated}), one link at a time, make-before-break: no link went down, no neighbour was lost, the longest
 * time any link had no connection to send on, or held frames behind the old connection, is at most 1 s (from the
 * {@code LinkRotated} events); every accepted message arrived exactly once at each addressee, unicasts in order
 * (Plumtree does not keep a broadcast origin's order even without rotation: how many broadcasts were overtaken is
 * printed). Then an agent presenting an expired certificate joins: every other agent refuses it
 * ({@code certificate.refused} with its notAfter in each audit log), nobody links with it, and every log verifies.
 */
@org.junit.jupiter.api.Timeout(value = 4, unit = TimeUnit.MINUTES)
class DrillDCertificateRotationAndExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(DrillDCertificateRotationAndExpiry.class);
    private static final int N = 5;
    static final Duration LIFETIME = Duration.ofSeconds(20);
    static final Duration MARGIN = Duration.ofSeconds(12);
    private static final int ROTATIONS = 2;
    /** Each agent broadcasts a numbered message and sends a numbered unicast to the next agent this often. */
    private static final long INTERVAL_MS = 200;

    record Entry(long at, String kind, Map<String, String> fields) {
    }

    record Ev(long at, MeshEvent event) {
    }

    @Test
    void agentsRotateTheirCertificatesWithoutLosingAMessageAndAnExpiredOneIsRefused(@TempDir Path dir)
            throws Exception {
        List<Identity> ids = new ArrayList<>();
        List<AuditLog> logs = new ArrayList<>();
        List<ConcurrentLinkedQueue<Entry>> entries = new ArrayList<>();
        List<ConcurrentLinkedQueue<Ev>> events = new ArrayList<>();
        List<String> initialFingerprints = new ArrayList<>();
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        Map<String, ConcurrentLinkedQueue<Long>> arrivals = new ConcurrentHashMap<>();
        try (RealMesh mesh = new RealMesh()) {
            for (int i = 0; i <= N; i++) {
                Identity id = Identity.generate();
                ids.add(id);
                AuditLog log = AuditLog.open(dir.resolve("agent-" + i + ".audit"), id);
                logs.add(log);
                ConcurrentLinkedQueue<Entry> mine = new ConcurrentLinkedQueue<>();
                entries.add(mine);
                events.add(new ConcurrentLinkedQueue<>());
                AuditSink tee = (kind, fields) -> {
                    mine.add(new Entry(System.nanoTime(), kind, Map.copyOf(fields)));
                    log.record(kind, fields);
                };
                if (i == N) {
                    break; // the expired agent starts after the drill's traffic
                }
                MeshAgent a = mesh.start(mesh.config(id, i).degree(N - 1).maxLinks(N + 1).audit(tee)
                        .certificateLifetime(LIFETIME, MARGIN).build());
                ConcurrentLinkedQueue<Ev> q = events.get(i);
                a.onEvent(e -> q.add(new Ev(System.nanoTime(), e)));
                int at = i;
                a.onMessage(m -> {
                    mesh.deliveries.add(new RealMesh.Got(at, m));
                    String[] p = new String(m.payload(), StandardCharsets.US_ASCII).split("\\|");
                    if (p.length == 3 && p[0].equals("B")) {
                        arrivals.computeIfAbsent(at + "|" + p[1], k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
                    }
                });
                initialFingerprints.add(a.certificate().fingerprint().toSdpValue());
                assertThat(a.certificate().notAfter()).isBefore(Instant.now().plus(LIFETIME).plusSeconds(1));
            }
            RealMesh.await("a full mesh", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < N; i++) {
                    if (mesh.agent(i).neighbours().size() != N - 1) {
                        return false;
                    }
                }
                return true;
            });

            // traffic throughout: numbered broadcasts (100 ms) and unicasts to the next agent (200 ms)
            Map<String, List<Long>> accepted = new ConcurrentHashMap<>();
            long[] next = new long[2 * N];
            long trafficStart = System.nanoTime();
            traffic.scheduleAtFixedRate(() -> {
                long tick = (System.nanoTime() - trafficStart) / TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
                for (int i = 0; i < N; i++) {
                    send(mesh, accepted, next, i, "B", tick);
                    send(mesh, accepted, next, i, "U", tick);
                }
            }, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
            RealMesh.await("every agent rotated " + ROTATIONS + " times, each neighbour saw a new fingerprint",
                    Duration.ofSeconds(90), () -> {
                        for (int i = 0; i < N; i++) {
                            List<String> rotated = rotatedFingerprints(events.get(i));
                            if (rotated.size() < ROTATIONS) {
                                return false;
                            }
                            for (int j = 0; j < N; j++) {
                                if (j != i && java.util.Collections.disjoint(rotated,
                                        fingerprintsSeen(entries.get(j), ids.get(i).agentId()))) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    });
            Thread.sleep(1000); // traffic continues a while after the last rotation started (a fixed part of the drill)
            traffic.shutdown();
            assertThat(traffic.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            long trafficEnd = System.nanoTime();

            RealMesh.await("every accepted message delivered", Duration.ofSeconds(20),
                    () -> missing(mesh, ids, accepted).isEmpty());

            // rotation: fingerprints, links moved, nothing went down, the gap
            List<Long> linkMillis = new ArrayList<>();
            List<Long> gaps = new ArrayList<>();
            List<Long> rotationMillis = new ArrayList<>();
            long failedMoves = 0;
            for (int i = 0; i < N; i++) {
                List<Ev> mine = List.copyOf(events.get(i));
                List<String> fingerprints = new ArrayList<>();
                fingerprints.add(initialFingerprints.get(i));
                long rotationStart = -1;
                long lastMove = -1;
                for (Ev e : mine) {
                    switch (e.event()) {
                        case MeshEvent.CertificateRotated r -> {
                            assertThat(r.oldFingerprint()).isEqualTo(fingerprints.getLast());
                            fingerprints.add(r.newFingerprint());
                            if (rotationStart >= 0 && lastMove > rotationStart) {
                                rotationMillis.add(TimeUnit.NANOSECONDS.toMillis(lastMove - rotationStart));
                            }
                            rotationStart = e.at();
                            lastMove = -1;
                        }
                        case MeshEvent.LinkRotated lr -> {
                            if (lr.ok()) {
                                linkMillis.add(lr.millis());
                                gaps.add(lr.gapMillis());
                                if (lr.initiated()) {
                                    lastMove = e.at();
                                }
                            } else {
                                failedMoves++;
                            }
                        }
                        case MeshEvent.LinkDown d -> assertThat(e.at() < trafficStart || e.at() > trafficEnd)
                                .as("agent %d: %s during the drill", i, d).isTrue();
                        case MeshEvent.NeighbourDown d -> assertThat(e.at() < trafficStart || e.at() > trafficEnd)
                                .as("agent %d: %s during the drill", i, d).isTrue();
                        default -> { }
                    }
                }
                assertThat(fingerprints).as("agent %d's fingerprints", i).doesNotHaveDuplicates()
                        .hasSizeGreaterThan(ROTATIONS);
                List<String> rotated = fingerprints.subList(1, fingerprints.size());
                for (int j = 0; j < N; j++) {
                    if (j == i) {
                        continue;
                    }
                    assertThat(fingerprintsSeen(entries.get(j), ids.get(i).agentId())).as("fingerprints of agent %d agent %d's rotated links saw", i, j)
                            .containsAnyElementsOf(rotated);
                }
                assertThat(mesh.agent(i).neighbours()).hasSize(N - 1);
            }
            long maxGap = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
            long maxDeliveryGap = 0;
            for (ConcurrentLinkedQueue<Long> times : arrivals.values()) {
                long prev = -1;
                for (long t : times) {
                    if (prev >= 0 && t <= trafficEnd) {
                        maxDeliveryGap = Math.max(maxDeliveryGap, TimeUnit.NANOSECONDS.toMillis(t - prev));
                    }
                    prev = t;
                }
            }
            linkMillis.sort(null);
            rotationMillis.sort(null);
            LOG.info("DRILL D rotation: {} link moves, {} failed (old link kept); link move p50 {} ms, max {} ms; "
                            + "whole rotation (all links of an agent) {} ms; max gap without a connection {} ms; longest "
                            + "wait between two broadcasts of one origin at one agent {} ms (sent every {} ms)",
                    linkMillis.size(), failedMoves, linkMillis.get(linkMillis.size() / 2), linkMillis.getLast(),
                    rotationMillis, maxGap, maxDeliveryGap, INTERVAL_MS);
            System.out.printf("DRILL D rotation: link moves %d (failed %d), move p50 %d ms max %d ms, whole rotations %s ms,"
                            + " max gap %d ms, max delivery gap %d ms%n", linkMillis.size(), failedMoves,
                    linkMillis.get(linkMillis.size() / 2), linkMillis.getLast(), rotationMillis, maxGap, maxDeliveryGap);
            List<String> worst = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                for (Entry en : entries.get(i)) {
                    if (en.kind().equals("link.rotated") && Long.parseLong(en.fields().get("gap_micros")) > 200_000) {
                        worst.add("agent " + i + ": " + en.fields());
                    }
                }
            }
            if (!worst.isEmpty()) {
                System.out.println("DRILL D moves with a gap over 200 ms:\n  " + String.join("\n  ", worst));
            }
            checkExactlyOnceInOrder(mesh, ids, accepted);
            assertThat(maxGap).as("longest time a link had no connection to send on").isLessThanOrEqualTo(1000);

            // expiry: an agent presenting an expired certificate is refused by all the others
            Instant now = Instant.now();
            DtlsCertificate expired = DtlsCertificate.generate("jrtc-expired", DtlsCertificate.KeyType.ECDSA_P256,
                    now.minus(Duration.ofHours(1)), now.minusSeconds(30));
            Identity xid = ids.get(N);
            AuditLog xlog = logs.get(N);
            MeshAgent x = mesh.start(mesh.config(xid, N).degree(N - 1).maxLinks(N + 1)
                    .audit((kind, fields) -> xlog.record(kind, fields)).certificate(expired)
                    .certificates(CertificatePolicy.defaults().withRotation(false)).build());
            AgentId xa = xid.agentId();
            long xStart = System.nanoTime();
            RealMesh.await("every agent refuses the expired certificate", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < N; i++) {
                    if (refusals(entries.get(i), xa).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            long lastRefusal = 0;
            int refusalsSeen = 0;
            for (int i = 0; i < N; i++) {
                lastRefusal = Math.max(lastRefusal, refusals(entries.get(i), xa).getFirst().at() - xStart);
                refusalsSeen += refusals(entries.get(i), xa).size();
            }
            System.out.printf("DRILL D expiry: the agent with an expired certificate refused by all %d others within %d ms"
                    + " of its start (%d refusals)%n", N, TimeUnit.NANOSECONDS.toMillis(lastRefusal), refusalsSeen);
            LOG.info("DRILL D expiry: refused by all {} others within {} ms of its start ({} refusals)", N,
                    TimeUnit.NANOSECONDS.toMillis(lastRefusal), refusalsSeen);
            for (int i = 0; i < N; i++) {
                for (Entry en : refusals(entries.get(i), xa)) {
                    assertThat(en.fields()).containsEntry("reason", "expired")
                            .containsEntry("not_after", expired.notAfter().toString())
                            .containsEntry("fingerprint", expired.fingerprint().toSdpValue());
                }
                assertThat(mesh.agent(i).neighbours()).doesNotContain(xa).hasSize(N - 1);
                assertThat(mesh.agent(i).certificateRotations()[3]).isPositive();
            }
            assertThat(x.neighbours()).isEmpty();
            assertThat(x.stats().linksUp()).isZero();
            for (int i = 0; i <= N; i++) {
                mesh.agent(i).close();
            }
        } finally {
            traffic.shutdownNow();
            for (AuditLog l : logs) {
                l.close();
            }
        }
        for (int i = 0; i <= N; i++) {
            AuditVerifier.Result r = AuditVerifier.verify(dir.resolve("agent-" + i + ".audit"),
                    AuditVerifier.Expected.key(ids.get(i).publicKey()));
            assertThat(r.ok()).as("agent %d: %s", i, r).isTrue();
            String text = java.nio.file.Files.readString(dir.resolve("agent-" + i + ".audit"));
            if (i < N) {
                assertThat(text).contains("\"kind\":\"certificate.rotated\"").contains("\"kind\":\"link.rotated\"")
                        .contains("\"kind\":\"certificate.refused\"");
            }
        }
    }

    /** The new fingerprints of an agent's rotations, in order. */
    private static List<String> rotatedFingerprints(ConcurrentLinkedQueue<Ev> events) {
        return events.stream().filter(e -> e.event() instanceof MeshEvent.CertificateRotated)
                .map(e -> ((MeshEvent.CertificateRotated) e.event()).newFingerprint()).toList();
    }

    /** The fingerprints of agent {@code a} an agent saw on links moved onto a new certificate (its audit). */
    private static Set<String> fingerprintsSeen(ConcurrentLinkedQueue<Entry> log, AgentId a) {
        Set<String> seen = new HashSet<>();
        for (Entry en : log) {
            if (en.kind().equals("link.rotated") && en.fields().get("agent").equals(a.toString())) {
                seen.add(en.fields().get("remote_fingerprint"));
            }
        }
        return seen;
    }

    private static List<Entry> refusals(ConcurrentLinkedQueue<Entry> log, AgentId x) {
        return log.stream().filter(e -> e.kind().equals("certificate.refused")
                && e.fields().get("agent").equals(x.toString())).toList();
    }

    /** Agent {@code i} sends its next numbered broadcast ("B") or unicast to the next agent ("U"). */
    private static void send(RealMesh mesh, Map<String, List<Long>> accepted, long[] next, int i, String kind,
            long tick) {
        int slot = kind.equals("B") ? i : N + i;
        long seq = next[slot];
        byte[] payload = (kind + "|" + i + "|" + seq).getBytes(StandardCharsets.US_ASCII);
        MeshAgent a = mesh.agent(i);
        SendResult r = kind.equals("B") ? a.broadcast(payload) : a.send(mesh.agent((i + 1) % N).id(), payload);
        if (r.accepted()) {
            accepted.computeIfAbsent(kind + "|" + i, k -> new CopyOnWriteArrayList<>()).add(seq);
            next[slot]++;
        } else {
            LOG.info("agent {}: {} {} not accepted at tick {}: {}", i, kind, seq, tick, r.status());
        }
    }

    /** The deliveries at each addressee, per origin and kind: key "at|B|origin" to sequences in arrival order. */
    private static Map<String, List<Long>> received(RealMesh mesh, List<Identity> ids) {
        Map<String, List<Long>> out = new HashMap<>();
        for (RealMesh.Got g : mesh.deliveries) {
            String[] p = new String(g.message().payload(), StandardCharsets.US_ASCII).split("\\|");
            if (p.length != 3) {
                continue;
            }
            assertThat(g.message().origin()).isEqualTo(ids.get(Integer.parseInt(p[1])).agentId());
            out.computeIfAbsent(g.at() + "|" + p[0] + "|" + p[1], k -> new ArrayList<>()).add(Long.parseLong(p[2]));
        }
        return out;
    }

    private static List<String> missing(RealMesh mesh, List<Identity> ids, Map<String, List<Long>> accepted) {
        Map<String, List<Long>> got = received(mesh, ids);
        List<String> missing = new ArrayList<>();
        for (var e : accepted.entrySet()) {
            String[] k = e.getKey().split("\\|");
            int origin = Integer.parseInt(k[1]);
            for (int at = 0; at < N; at++) {
                boolean addressee = k[0].equals("B") ? at != origin : at == (origin + 1) % N;
                if (addressee) {
                    List<Long> g = got.getOrDefault(at + "|" + e.getKey(), List.of());
                    if (!new HashSet<>(g).containsAll(e.getValue())) {
                        missing.add(at + "|" + e.getKey());
                    }
                }
            }
        }
        return missing;
    }

    private static void checkExactlyOnceInOrder(RealMesh mesh, List<Identity> ids, Map<String, List<Long>> accepted) {
        Map<String, List<Long>> got = received(mesh, ids);
        long total = 0;
        long[] late = {0};
        for (var e : accepted.entrySet()) {
            String[] k = e.getKey().split("\\|");
            int origin = Integer.parseInt(k[1]);
            for (int at = 0; at < N; at++) {
                boolean addressee = k[0].equals("B") ? at != origin : at == (origin + 1) % N;
                List<Long> g = got.getOrDefault(at + "|" + e.getKey(), List.of());
                if (addressee) {
                    assertThat(g).as("%s at agent %d: exactly once", e.getKey(), at)
                            .containsExactlyInAnyOrderElementsOf(e.getValue());
                    if (k[0].equals("U")) {
                        if (!g.equals(e.getValue())) {
                            int a = at;
                            System.out.println("DRILL D unicasts " + e.getKey() + " at " + at + " (seq/hops): "
                                    + mesh.deliveries.stream().filter(d -> d.at() == a
                                            && new String(d.message().payload(), StandardCharsets.US_ASCII)
                                                    .startsWith(e.getKey() + "|"))
                                    .map(d -> new String(d.message().payload(), StandardCharsets.US_ASCII)
                                            .substring(e.getKey().length() + 1) + "/" + d.message().hops()).toList());
                        }
                        assertThat(g).as("%s at agent %d: in order", e.getKey(), at)
                                .containsExactlyElementsOf(e.getValue());
                    } else {
                        for (int x = 1; x < g.size(); x++) {
                            if (g.get(x) < g.get(x - 1)) {
                                late[0]++;
                            }
                        }
                    }
                    total += g.size();
                } else {
                    assertThat(g).as("%s at agent %d", e.getKey(), at).isEmpty();
                }
            }
        }
        LOG.info("DRILL D: {} deliveries checked exactly once; broadcasts that arrived after a later one of their origin: {}",
                total, late[0]);
        System.out.printf("DRILL D: %d deliveries exactly once; broadcasts overtaken by a later one: %d%n", total, late[0]);
        assertThat(total).isGreaterThan(500);
    }
}
