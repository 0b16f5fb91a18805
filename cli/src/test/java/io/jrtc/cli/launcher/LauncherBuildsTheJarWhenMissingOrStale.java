package io.jrtc.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's build logic, in a scratch copy of the repository layout with a stand-in {@code mvn} on the PATH (it
 * records its arguments and "builds" by copying the real jar): a missing jar is built first with one line saying so;
 * a fresh jar is run as is; a source newer than the jar triggers a rebuild; {@code JRTC_NO_BUILD=1} skips it; a failed
 * build exits 1. Also: a JDK 21+ is found even when {@code JAVA_HOME} names an older one, and {@code JRTC_JAVA_OPTS}
 * reaches the JVM.
 */
class LauncherBuildsTheJarWhenMissingOrStale {

    @TempDir
    Path tmp;
    private Path root;
    private Path script;
    private Path log;
    private Map<String, String> env;

    @BeforeEach
    void scratchRepository() throws Exception {
        root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Launcher.SCRIPT, root.resolve("jrtc"));
        Files.copy(Launcher.ROOT.resolve("scripts/java-home.sh"), root.resolve("scripts/java-home.sh"));
        script = root.resolve("jrtc");
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("mod/src/main/java"));
        Files.writeString(root.resolve("mod/pom.xml"), "<project/>");
        Files.writeString(root.resolve("mod/src/main/java/A.java"), "class A {}");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, """
                #!/usr/bin/env bash
                echo "$PWD|$*" >> "$STUB_LOG"
                if [ -n "${STUB_FAIL:-}" ]; then echo "stub build failed" >&2; exit 1; fi
                mkdir -p cli/target && cp "$REAL_JAR" cli/target/jrtc.jar
                """);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = tmp.resolve("mvn.log");
        env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("STUB_LOG", log.toString());
        env.put("REAL_JAR", Launcher.JAR.toString());
        env.put("JRTC_CDS", "0"); // the class-data cache has its own test below (its training run takes a while)
    }

    private List<String> builds() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void buildsWhenMissingRunsWhenFreshRebuildsWhenStale() throws Exception {
        Launcher.Result first = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(first.code()).as("%s", first).isZero();
        assertThat(first.err()).contains("jrtc: building cli/target/jrtc.jar (mvn -B -q -DskipTests -pl cli -am package");
        assertThat(first.out()).startsWith("jrtc 0.1.0-SNAPSHOT");
        assertThat(builds()).containsExactly(root.toRealPath() + "|-B -q -DskipTests -pl cli -am package");

        Launcher.Result fresh = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(fresh.code()).isZero();
        assertThat(fresh.err()).doesNotContain("building");
        assertThat(builds()).hasSize(1);

        Files.setLastModifiedTime(root.resolve("mod/src/main/java/A.java"), FileTime.from(Instant.now().plusSeconds(120)));
        Map<String, String> noBuild = new HashMap<>(env);
        noBuild.put("JRTC_NO_BUILD", "1");
        Launcher.Result skipped = Launcher.run(script, noBuild, Duration.ofSeconds(60), "--version");
        assertThat(skipped.code()).isZero();
        assertThat(builds()).as("JRTC_NO_BUILD=1 never builds").hasSize(1);

        Launcher.Result stale = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(stale.code()).isZero();
        assertThat(stale.err()).contains("jrtc: building");
        assertThat(builds()).hasSize(2);
    }

    @Test
    void theClassDataCacheIsTrainedOnceAndThenUsed() throws Exception {
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(Launcher.JAR, root.resolve("cli/target/jrtc.jar"));
        env.remove("JRTC_CDS");
        env.put("JRTC_NO_BUILD", "1");
        env.put("JRTC_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Launcher.Result first = Launcher.run(script, env, Duration.ofSeconds(300), "--version");
        assertThat(first.code()).as("%s", first).isZero();
        assertThat(first.err()).contains("jrtc: making the class-data cache cli/target/jrtc.");
        Path aot = root.resolve("cli/target/jrtc.aot");
        Path jsa = root.resolve("cli/target/jrtc.jsa");
        assertThat(Files.exists(aot) || Files.exists(jsa)).as("a cache file beside the jar").isTrue();
        assertThat(first.out()).containsAnyOf("-XX:AOTCache=", "-XX:SharedArchiveFile=")
                .containsAnyOf("cli/target/jrtc.aot", "cli/target/jrtc.jsa");

        Launcher.Result second = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(second.code()).as("%s", second).isZero();
        assertThat(second.err()).doesNotContain("making the class-data cache");
        assertThat(second.out()).containsAnyOf("-XX:AOTCache=", "-XX:SharedArchiveFile=").contains("jrtc 0.1.0-SNAPSHOT");

        env.put("JRTC_CDS", "0");
        Launcher.Result off = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(off.out()).doesNotContain("-XX:AOTCache=").doesNotContain("-XX:SharedArchiveFile=");
    }

    @Test
    void aFailedBuildExitsOne() throws Exception {
        env.put("STUB_FAIL", "1");
        Launcher.Result r = Launcher.run(script, env, Duration.ofSeconds(60), "--help");
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("stub build failed", "jrtc: the build failed");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void findsAJdk21EvenWhenJavaHomeIsOlderAndPassesJavaOptions() throws Exception {
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(Launcher.JAR, root.resolve("cli/target/jrtc.jar"));
        env.put("JRTC_NO_BUILD", "1");
        env.put("JRTC_JAVA_OPTS", "-Djrtc.launcher.check=passed -XshowSettings:properties");
        Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        if (Files.isExecutable(old.resolve("bin/java"))) {
            env.put("JAVA_HOME", old.toString());
        }
        Launcher.Result r = Launcher.run(script, env, Duration.ofSeconds(60), "--version");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.err()).contains("jrtc.launcher.check = passed");
        String javaLine = r.out().lines().filter(l -> l.startsWith("Java ")).findFirst().orElseThrow();
        int major = Integer.parseInt(javaLine.substring(5).split("[.+ ]")[0]);
        assertThat(major).as(javaLine).isGreaterThanOrEqualTo(21);
    }
}
