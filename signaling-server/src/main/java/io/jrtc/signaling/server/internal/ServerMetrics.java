package io.jrtc.signaling.server.internal;

import io.jrtc.signaling.server.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The server's meters, exposed at {@code /metrics} in the Prometheus text format:
 * <ul>
 *   <li>{@code jrtc_signaling_agents_connected} (gauge): agents registered on this instance;</li>
 *   <li>{@code jrtc_signaling_connections_open} (gauge): open WebSocket connections;</li>
 *   <li>{@code jrtc_signaling_messages_relayed_total{type}}: relayed offer/answer/candidate/bye/candidates (a
 *       batch counts once); {@code jrtc_signaling_batched_candidates_total}: candidates inside batches;
 *       {@code jrtc_signaling_unrolled_batches_total}: batches delivered as single candidates;</li>
 *   <li>{@code jrtc_signaling_errors_total{code}}: every error sent or counted, by protocol code;</li>
 *   <li>{@code jrtc_signaling_relay_latency_seconds{path}} (histogram): from frame receipt to the write to the
 *       target's socket completing ({@code path="local"}) or to Redis acknowledging the publish
 *       ({@code path="redis"});</li>
 *   <li>{@code jrtc_signaling_registrations_total}, {@code jrtc_signaling_presence_events_total{event}};
 *       {@code jrtc_signaling_presence_repaired_total{event}} (with Redis): joins and leaves this instance missed
 *       on its subscription and announced late, from a snapshot;</li>
 *   <li>{@code jrtc_signaling_shaped_messages_total}, {@code jrtc_signaling_read_pauses_total} (soft limit) and
 *       {@code jrtc_signaling_register_timeouts_total}. No meter has a label with unbounded values.</li>
 *   <li>{@code jrtc_signaling_backbone_up} (gauge, with Redis only): 1 while both Redis connections are up;</li>
 *   <li>{@code jrtc_signaling_tls_certificate_expiry_timestamp_seconds} (gauge, with TLS only): the server
 *       certificate's notAfter, in Unix seconds.</li>
 * </ul>
 * Thread-safe (Micrometer meters are).
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter offers;
    private final Counter answers;
    private final Counter candidates;
    private final Counter byes;
    private final Counter batches;
    private final Counter batchedCandidates;
    private final Counter unrolledBatches;
    private final Timer localLatency;
    private final Timer redisLatency;
    private final Counter registrations;
    private final Counter joined;
    private final Counter left;
    private final Counter repairedJoined;
    private final Counter repairedLeft;
    private final Counter shaped;
    private final Counter readPauses;
    private final Counter registerTimeouts;

    public ServerMetrics(Supplier<Number> agents, Supplier<Number> connections) {
        for (ErrorCode c : ErrorCode.values()) {
            errors.put(c, Counter.builder("jrtc.signaling.errors").tag("code", c.wire())
                    .description("Errors by protocol error code").register(registry));
        }
        offers = relayedCounter("offer");
        answers = relayedCounter("answer");
        candidates = relayedCounter("candidate");
        byes = relayedCounter("bye");
        batches = relayedCounter("candidates");
        batchedCandidates = Counter.builder("jrtc.signaling.batched.candidates")
                .description("Candidates relayed inside candidates batches (each batch counts once in"
                        + " messages_relayed and against its sender's rate limit)").register(registry);
        unrolledBatches = Counter.builder("jrtc.signaling.unrolled.batches")
                .description("Batches delivered as single candidate messages to a recipient without the feature")
                .register(registry);
        localLatency = latency("local");
        redisLatency = latency("redis");
        registrations = Counter.builder("jrtc.signaling.registrations")
                .description("Successful registrations").register(registry);
        joined = Counter.builder("jrtc.signaling.presence.events").tag("event", "joined").register(registry);
        left = Counter.builder("jrtc.signaling.presence.events").tag("event", "left").register(registry);
        repairedJoined = Counter.builder("jrtc.signaling.presence.repaired")
                .description("Presence events missed on the Redis subscription and announced late").tag("event", "joined")
                .register(registry);
        repairedLeft = Counter.builder("jrtc.signaling.presence.repaired")
                .description("Presence events missed on the Redis subscription and announced late").tag("event", "left")
                .register(registry);
        shaped = Counter.builder("jrtc.signaling.shaped.messages")
                .description("Messages over the soft rate limit, held and handled late instead of refused")
                .register(registry);
        readPauses = Counter.builder("jrtc.signaling.read.pauses")
                .description("Times a connection's reads were paused to slow its sender down").register(registry);
        registerTimeouts = Counter.builder("jrtc.signaling.register.timeouts")
                .description("Connections closed for not registering in time").register(registry);
        Gauge.builder("jrtc.signaling.agents.connected", agents)
                .description("Agents registered on this instance").register(registry);
        Gauge.builder("jrtc.signaling.connections.open", connections)
                .description("Open WebSocket connections").register(registry);
    }

    private Counter relayedCounter(String type) {
        return Counter.builder("jrtc.signaling.messages.relayed").tag("type", type)
                .description("Messages relayed, by type").register(registry);
    }

    private Timer latency(String path) {
        return Timer.builder("jrtc.signaling.relay.latency").tag("path", path)
                .description("Relay latency inside the server")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** Registers {@code jrtc_signaling_backbone_up}: 1 while {@code up} says the Redis backbone is connected. */
    public void backbone(BooleanSupplier up) {
        Gauge.builder("jrtc.signaling.backbone.up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the Redis backbone connections are up, else 0").register(registry);
    }

    /** Registers {@code jrtc_signaling_tls_certificate_expiry_timestamp_seconds} with the certificate's notAfter. */
    public void tlsCertificateExpiry(long notAfterEpochSeconds) {
        Gauge.builder("jrtc.signaling.tls.certificate.expiry.timestamp", () -> notAfterEpochSeconds)
                .baseUnit("seconds")
                .description("notAfter of the served TLS certificate, Unix seconds").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    public double errorCount(ErrorCode code) {
        return errors.get(code).count();
    }

    public void relayed(String type) {
        switch (type) {
            case "offer" -> offers.increment();
            case "answer" -> answers.increment();
            case "candidate" -> candidates.increment();
            case "bye" -> byes.increment();
            case "candidates" -> batches.increment();
            default -> throw new IllegalArgumentException(type);
        }
    }

    public void batchedCandidates(int n) {
        batchedCandidates.increment(n);
    }

    public void unrolledBatch() {
        unrolledBatches.increment();
    }

    public void localLatency(long nanos) {
        localLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void redisLatency(long nanos) {
        redisLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void shaped() {
        shaped.increment();
    }

    public void readPaused() {
        readPauses.increment();
    }

    public void registerTimeout() {
        registerTimeouts.increment();
    }

    public double shapedCount() {
        return shaped.count();
    }

    public void registered() {
        registrations.increment();
    }

    public void presence(boolean isJoin) {
        (isJoin ? joined : left).increment();
    }

    public void presenceRepaired(int joins, int leaves) {
        repairedJoined.increment(joins);
        repairedLeft.increment(leaves);
    }

    public String scrape(String acceptHeader) {
        return registry.scrape(acceptHeader == null ? "text/plain" : acceptHeader);
    }
}
