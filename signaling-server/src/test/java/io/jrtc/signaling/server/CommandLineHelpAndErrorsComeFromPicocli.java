package io.jrtc.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SignalingServerMain}'s command line (picocli): every option of the stand-alone server is in the help, the
 * last of a repeated option wins as before, and the process exits 0 on {@code --help} and 2 on a bad option.
 */
class CommandLineHelpAndErrorsComeFromPicocli {

    static final List<String> OPTIONS = List.of("--host", "--port", "--secret", "--secret-file", "--token-max-age",
            "--max-frame-bytes", "--max-agents", "--rate", "--burst", "--max-backlog", "--register-timeout",
            "--candidate-batches", "--idle-timeout", "--ping-interval", "--duplicate-ids", "--redis", "--presence-ttl",
            "--redis-prefix", "--instance-id", "--stun", "--turn", "--turn-secret", "--turn-lifetime", "--tls-cert",
            "--tls-key", "--drain-timeout", "--io-threads");

    @TempDir
    Path dir;

    @Test
    void helpListsEveryOptionWithItsDefaultAndTheDurationFormats() {
        String help = SignalingServerMain.usage();
        for (String o : OPTIONS) {
            assertThat(help).contains(o + " ");
        }
        assertThat(help).contains("Usage: SignalingServerMain", "-h, --help", "(default 8080)", "(default 24h)",
                "Durations: 500ms, 30s, 5m, 24h or ISO-8601 (PT30S).");
    }

    @Test
    void theLastOfARepeatedOptionWinsAndSecretsComeFromFileOrOption() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "from-file\n");
        SignalingServerConfig c = SignalingServerMain.parse(new String[] {"--port", "1", "--port", "2",
                "--secret", "opt", "--secret-file", file.toString(), "--stun", " stun:a:1 ,,stun:b:2", "--stun",
                "stun:c:3", "--duplicate-ids", "TAKEOVER", "--register-timeout", "2d"}, "env", null);
        assertThat(c.port()).isEqualTo(2);
        assertThat(c.secret()).isEqualTo("from-file");
        assertThat(c.stunUrls()).containsExactly("stun:a:1", "stun:b:2", "stun:c:3");
        assertThat(c.duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.TAKE_OVER);
        assertThat(c.registerTimeout()).isEqualTo(Duration.ofDays(2));
        assertThat(SignalingServerMain.parse(new String[] {"--secret-file", file.toString(), "--secret", "opt"},
                null, null).secret()).isEqualTo("opt");
        assertThat(SignalingServerMain.parse(new String[] {"--secret", ""}, "env", null).secret()).isNull();

        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--port"}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--port", "x"}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
        String[] missingFile = {"--secret-file", dir.resolve("none").toString()};
        assertThatThrownBy(() -> SignalingServerMain.parse(missingFile, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read secret file");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"stray"}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray");
    }

    @Test
    void theProcessPrintsHelpWithExitZeroAndRefusesABadOptionWithExitTwo() throws Exception {
        Run help = run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("Usage: SignalingServerMain", "--turn-secret");
        assertThat(help.err).isEmpty();

        Run bad = run("--idle-timeout", "soon");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.out).isEmpty();
        assertThat(bad.err).startsWith("error: ").contains("--idle-timeout", "soon", "Usage: SignalingServerMain");
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
