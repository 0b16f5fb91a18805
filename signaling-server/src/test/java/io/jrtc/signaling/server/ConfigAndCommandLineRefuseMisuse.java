package io.jrtc.signaling.server;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults are safe (loopback, open with a warning, 64 KiB frames), bad settings fail fast, options parse. */
class ConfigAndCommandLineRefuseMisuse {

    @Test
    void defaultsAreSafe() {
        SignalingServerConfig c = SignalingServerConfig.builder().build();
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(c.duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.REFUSE);
        assertThat(c.redisUri()).isNull();
        assertThat(c.tls()).isFalse();
        assertThat(c.candidateBatches()).as("batches are on by default").isTrue();
    }

    @Test
    void badSettingsFailAtBuild() {
        assertThatThrownBy(() -> SignalingServerConfig.builder().port(70000).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalingServerConfig.builder().secret("").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalingServerConfig.builder().maxFrameBytes(10).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalingServerConfig.builder().rateLimit(0, 1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalingServerConfig.builder().pingInterval(Duration.ofSeconds(90)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignalingServerConfig.builder().tls(java.nio.file.Path.of("c.pem"), null).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignalingServer(SignalingServerConfig.builder().build()).boundPort())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void secretsAreRedactedInToString() {
        String s = SignalingServerConfig.builder().secret("hunter2").turnSecret("turn-hunter2")
                .redisUri("redis://user:pass@127.0.0.1:6379").build().toString();
        assertThat(s).doesNotContain("hunter2").doesNotContain("pass@").contains("hmac-token");
    }

    @Test
    void commandLineOptionsMapToTheConfig() {
        SignalingServerConfig c = SignalingServerMain.parse(new String[] {
                "--host", "127.0.0.2", "--port", "9443", "--secret", "s", "--token-max-age", "2h",
                "--max-frame-bytes", "32768", "--max-agents", "50", "--rate", "20", "--burst", "40",
                "--idle-timeout", "30s", "--ping-interval", "10s", "--duplicate-ids", "take-over",
                "--redis", "redis://127.0.0.1:6379", "--presence-ttl", "5000ms", "--redis-prefix", "x:",
                "--instance-id", "i1", "--stun", "stun:a:3478,stun:b:3478", "--turn", "turn:c:3478",
                "--turn-secret", "ts", "--turn-lifetime", "PT1H", "--drain-timeout", "3s", "--io-threads", "2"},
                null, null);
        assertThat(c.bindHost()).isEqualTo("127.0.0.2");
        assertThat(c.port()).isEqualTo(9443);
        assertThat(c.secret()).isEqualTo("s");
        assertThat(c.tokenMaxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(c.maxFrameBytes()).isEqualTo(32768);
        assertThat(c.maxAgents()).isEqualTo(50);
        assertThat(c.messagesPerSecond()).isEqualTo(20.0);
        assertThat(c.messageBurst()).isEqualTo(40);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.TAKE_OVER);
        assertThat(c.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.presenceTtl()).isEqualTo(Duration.ofMillis(5000));
        assertThat(c.stunUrls()).isEqualTo(List.of("stun:a:3478", "stun:b:3478"));
        assertThat(c.turnUrls()).isEqualTo(List.of("turn:c:3478"));
        assertThat(c.turnSecret()).isEqualTo("ts");
        assertThat(c.turnCredentialLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.ioThreads()).isEqualTo(2);
        SignalingServerConfig env = SignalingServerMain.parse(new String[0], "from-env", "turn-env");
        assertThat(env.secret()).isEqualTo("from-env");
        assertThat(env.port()).isEqualTo(8080);
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--bogus", "1"}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--idle-timeout", "soon"}, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SignalingServerMain.parse(new String[] {"--candidate-batches", "off"}, null, null).candidateBatches())
                .isFalse();
        assertThat(SignalingServerMain.parse(new String[] {"--candidate-batches", "on"}, null, null).candidateBatches())
                .isTrue();
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--candidate-batches", "maybe"}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--candidate-batches");
    }
}
