package io.jrtc.signaling.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} over HTTP: Prometheus text with connected agents, messages relayed by type, errors by
 * code (every code present, even at zero) and the relay latency histogram, whose count matches the relays.
 */
class MetricsExposePrometheusText {

    private final Servers servers = new Servers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void metricsEndpointCoversAgentsRelaysErrorsAndLatency() throws Exception {
        SignalingServer s = servers.start();
        try (RawWebSocket a = Servers.register(s, "m1"); RawWebSocket b = Servers.register(s, "m2")) {
            a.readJson();
            for (int i = 0; i < 5; i++) {
                a.sendJson("{\"type\":\"offer\",\"to\":\"m2\",\"sdp\":\"v=0\"}");
                b.readJson();
            }
            for (int i = 0; i < 3; i++) {
                b.sendJson("{\"type\":\"candidate\",\"to\":\"m1\",\"candidate\":\"c\"}");
                a.readJson();
            }
            a.sendJson("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}");
            a.readJson();
            a.sendText("garbage");
            a.readJson();

            Servers.Http m = Servers.get(s.boundPort(), "/metrics");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.contentType()).startsWith("text/plain; version=0.0.4");
            String text = m.body();
            assertThat(text).contains("# TYPE jrtc_signaling_agents_connected gauge")
                    .contains("jrtc_signaling_agents_connected 2.0")
                    .contains("jrtc_signaling_messages_relayed_total{type=\"offer\"} 5.0")
                    .contains("jrtc_signaling_messages_relayed_total{type=\"candidate\"} 3.0")
                    .contains("jrtc_signaling_messages_relayed_total{type=\"answer\"} 0.0")
                    .contains("jrtc_signaling_errors_total{code=\"unknown_agent\"} 1.0")
                    .contains("jrtc_signaling_errors_total{code=\"invalid_message\"} 1.0")
                    .contains("jrtc_signaling_relay_latency_seconds_bucket{path=\"local\",le=");
            for (ErrorCode c : ErrorCode.values()) {
                assertThat(text).contains("jrtc_signaling_errors_total{code=\"" + c.wire() + "\"}");
            }
            // latencies are recorded when the write to the target completes: wait for the count to settle
            Servers.await(() -> Servers.metric(s, "jrtc_signaling_relay_latency_seconds_count{path=\"local\"}") >= 8,
                    java.time.Duration.ofSeconds(5), "8 latency samples");
            assertThat(Servers.metric(s, "jrtc_signaling_relay_latency_seconds_count{path=\"local\"}")).isEqualTo(8.0);
            double sum = Servers.metric(s, "jrtc_signaling_relay_latency_seconds_sum{path=\"local\"}");
            assertThat(sum).isGreaterThan(0).isLessThan(8.0);
        }
    }
}
