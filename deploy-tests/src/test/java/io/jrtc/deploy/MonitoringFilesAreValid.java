package io.jrtc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static half of deploy/: promtool checks the Prometheus config and the alert rules and runs every rule's unit
 * test; every alert has a test; a broken rule is refused (so the check can fail); the dashboards reference only the
 * provisioned datasource and carry a query in every panel; the systemd units pass systemd-analyze verify; the compose
 * file refers only to files that exist.
 */
class MonitoringFilesAreValid {

    private static final Path REPO = LocalDeployment.repo();
    private static final Path PROM = REPO.resolve("deploy/prometheus");

    record Result(int exit, String output) {
    }

    static Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void promtoolAcceptsConfigAndRulesAndEveryRuleUnitTestPasses() throws Exception {
        Interop.requireOnPath("promtool", "apt-get install prometheus");
        Result config = run(PROM, "promtool", "check", "config", "prometheus.yml");
        assertThat(config.exit()).as(config.output()).isZero();
        Result rules = run(PROM, "promtool", "check", "rules", "alerts.yml");
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 11 rules found");

        List<String> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(PROM.resolve("tests"))) {
            s.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(f -> tests.add("tests/" + f.getFileName()));
        }
        List<String> cmd = new ArrayList<>(List.of("promtool", "test", "rules"));
        cmd.addAll(tests);
        Result unit = run(PROM, cmd.toArray(String[]::new));
        assertThat(unit.exit()).as(unit.output()).isZero();
        assertThat(unit.output().split("SUCCESS", -1).length - 1).as(unit.output()).isEqualTo(tests.size());

        // Every alert is exercised by at least one unit test.
        Set<String> alerts = names(Files.readString(PROM.resolve("alerts.yml")), "- alert: (\\w+)");
        Set<String> tested = new TreeSet<>();
        for (String t : tests) {
            tested.addAll(names(Files.readString(PROM.resolve(t)), "alertname: (\\w+)"));
        }
        assertThat(alerts).hasSize(11);
        assertThat(tested).containsAll(alerts);
    }

    @Test
    void promtoolRefusesABrokenRuleAndAFailingExpectation(@TempDir Path tmp) throws Exception {
        Interop.requireOnPath("promtool", "apt-get install prometheus");
        Files.writeString(tmp.resolve("bad.yml"), "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(up[\n");
        assertThat(run(tmp, "promtool", "check", "rules", "bad.yml").exit()).isNotZero();
        Files.copy(PROM.resolve("alerts.yml"), tmp.resolve("alerts.yml"));
        // The instance-down test, expecting the alert while the instance is still up: must fail.
        Files.writeString(tmp.resolve("wrong.yml"), """
                rule_files: [alerts.yml]
                tests:
                  - interval: 5s
                    input_series:
                      - series: 'up{job="signaling",instance="signaling-1:8080"}'
                        values: '1x20'
                    alert_rule_test:
                      - eval_time: 60s
                        alertname: SignalingInstanceDown
                        exp_alerts:
                          - exp_labels: {severity: page, job: signaling, instance: "signaling-1:8080"}
                """);
        assertThat(run(tmp, "promtool", "test", "rules", "wrong.yml").exit()).isNotZero();
    }

    @Test
    void dashboardsUseTheProvisionedDatasourceAndEveryPanelHasAQuery() throws Exception {
        String datasources = Files.readString(REPO.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources).contains("uid: prometheus").contains("url: http://prometheus:9090");
        ObjectMapper json = new ObjectMapper();
        Set<String> uids = new TreeSet<>();
        try (Stream<Path> s = Files.list(REPO.resolve("deploy/grafana/dashboards"))) {
            for (Path f : s.sorted().toList()) {
                JsonNode dash = json.readTree(Files.readString(f));
                assertThat(uids.add(dash.get("uid").asText())).as("unique uid in %s", f).isTrue();
                assertThat(dash.get("panels")).as("panels of %s", f).isNotEmpty();
                Set<Integer> ids = new TreeSet<>();
                for (JsonNode panel : dash.get("panels")) {
                    assertThat(ids.add(panel.get("id").asInt())).isTrue();
                    assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("prometheus");
                    assertThat(panel.get("targets")).as("targets of %s", panel.get("title")).isNotEmpty();
                    for (JsonNode t : panel.get("targets")) {
                        assertThat(t.get("expr").asText()).isNotBlank();
                    }
                }
            }
        }
        assertThat(uids).containsExactly("jrtc-mesh", "jrtc-signaling", "jrtc-turn");
    }

    @Test
    void systemdUnitsPassVerify(@TempDir Path tmp) throws Exception {
        Interop.requireOnPath("systemd-analyze", "apt-get install systemd");
        for (String unit : List.of("jrtc-signaling.service", "jrtc-echo@.service", "jrtc-mesh@.service")) {
            // A template unit is verified as one instance of it.
            String name = unit.replace("@.", "@drill.");
            Files.copy(REPO.resolve("deploy/systemd").resolve(unit), tmp.resolve(name));
            Result r = run(tmp, "systemd-analyze", "verify", "--man=no", tmp.resolve(name).toString());
            // /usr/bin/java may be missing where Java lives elsewhere; that is the only complaint allowed.
            String complaints = r.output().lines().filter(l -> !l.contains("/usr/bin/java")).reduce("", (a, b) -> a + b + "\n");
            assertThat(complaints).as("systemd-analyze verify %s", unit).isBlank();
        }
        Files.writeString(tmp.resolve("broken.service"), "[Service]\nExecStart=relative/path\nTypo=1\n");
        assertThat(run(tmp, "systemd-analyze", "verify", "--man=no", tmp.resolve("broken.service").toString()).output())
                .as("verify can complain").isNotBlank();
    }

    @Test
    void composeFileMountsOnlyFilesThatExist() throws Exception {
        String compose = Files.readString(REPO.resolve("deploy/compose.yaml"));
        Matcher m = Pattern.compile("\\./([A-Za-z0-9_./-]+):/").matcher(compose);
        int mounts = 0;
        while (m.find()) {
            mounts++;
            Path p = REPO.resolve("deploy").resolve(m.group(1));
            if (!m.group(1).startsWith("tls")) { // the operator's certificate, not shipped
                assertThat(p).as("mounted by compose").exists();
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(6);
        for (String service : List.of("redis:", "coturn:", "signaling-1:", "signaling-2:", "nginx:", "prometheus:", "grafana:",
                "mesh-1:", "mesh-2:", "mesh-3:")) {
            assertThat(compose).contains("\n  " + service);
        }
        // the mesh agents run with the same options as deploy/local/up's
        Matcher degree = Pattern.compile("--degree (\\d+)").matcher(Files.readString(REPO.resolve("deploy/local/lib.sh")));
        assertThat(degree.find()).as("lib.sh starts mesh agents with a --degree").isTrue();
        for (int i = 1; i <= 3; i++) {
            assertThat(compose).containsPattern("\"--id\", \"mesh-" + i + "\", \"--degree\", \"" + degree.group(1) + "\",\\s+"
                    + "\"--key\", \"/var/lib/jrtc/mesh/mesh-" + i + ".key\"");
            // mesh-N's metrics port is 9463+N in compose, in Prometheus's mesh job and in deploy/local/lib.sh
            assertThat(compose).contains("\"--id\", \"mesh-" + i + "\"").contains("\"--metrics-port\", \"" + (9463 + i) + "\"");
            assertThat(Files.readString(PROM.resolve("prometheus.yml"))).contains("'mesh-" + i + ":" + (9463 + i) + "'");
        }
        assertThat(Files.readString(REPO.resolve("deploy/local/lib.sh"))).contains("mesh_metrics_port() { echo $((9463 + ${1#mesh-})); }");
        assertThat(Files.readString(REPO.resolve("deploy/docker/Dockerfile"))).contains("USER jrtc").contains("-jre");
    }

    private static Set<String> names(String text, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
