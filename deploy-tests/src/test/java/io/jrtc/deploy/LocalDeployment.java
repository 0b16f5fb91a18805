package io.jrtc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment made by {@code deploy/local/up} (a private network namespace with coturn, Redis, two signaling
 * instances, nginx, Prometheus and, when asked for, mesh agents), driven from the test: its addresses, secrets,
 * services, Prometheus and the mesh agents' consoles. The signaling instances and mesh agents run from this test JVM's
 * class path ({@code SignalingServerMain}, {@code Main mesh}), so no packaged jar is needed. Closing it runs
 * {@code deploy/local/down}.
 */
final class LocalDeployment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDeployment.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path repo;
    final Path state;
    final Map<String, String> env = new HashMap<>();
    /** The environment of every deploy/local script call: how a signaling instance starts. */
    private final Map<String, String> scriptEnv = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private LocalDeployment(Path repo, Path state) {
        this.repo = repo;
        this.state = state;
    }

    /** The repository root (the directory holding deploy/). */
    static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("deploy/local"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("deploy/local not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Skips (or, in CI, fails) unless root, iproute2 and the Debian packages the runner uses are here. */
    static void requireTools() {
        Interop.requirePrivateNetwork();
        for (String exe : List.of("nginx", "prometheus", "redis-server", "redis-cli", "turnserver", "openssl", "curl")) {
            Interop.requireOnPath(exe, "apt-get install nginx prometheus redis-server coturn openssl curl");
        }
    }

    /** A deployment without mesh agents (the failover drills: nothing but signaling to measure). */
    static LocalDeployment up() throws IOException, InterruptedException {
        return up(0);
    }

    /** A deployment with {@code meshAgents} mesh agents, {@code mesh-1} … ({@code JRTC_MESH_AGENTS}). */
    static LocalDeployment up(int meshAgents) throws IOException, InterruptedException {
        Path repo = repo();
        Path state = Files.createTempDirectory("jrtc-deploy-");
        LocalDeployment d = new LocalDeployment(repo, state);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        d.scriptEnv.putAll(Map.of(
                "JRTC_SIGNALING_CMD", java + " -Xmx256m -XX:TieredStopAtLevel=1 io.jrtc.signaling.server.SignalingServerMain",
                "JRTC_MESH_CMD", java + " -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC io.jrtc.cli.Main mesh",
                "JRTC_MESH_AGENTS", Integer.toString(meshAgents),
                "CLASSPATH", cp));
        try {
            d.script(Duration.ofSeconds(150), "up", state.toString());
            for (String line : Files.readAllLines(state.resolve("env"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    d.env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** Runs deploy/local/NAME with args; fails with its output when it exits non-zero. */
    String script(Duration timeout, String name, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("deploy/local").resolve(name).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(scriptEnv);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("deploy/local/" + name + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("deploy/local/" + name + " " + String.join(" ", args) + " exited " + p.exitValue()
                    + ":\n" + text + logs());
        }
        return text;
    }

    /** stop, kill or start one service (redis, coturn, signaling-1, signaling-2, nginx, prometheus). */
    void service(String action, String name) throws IOException, InterruptedException {
        script(Duration.ofSeconds(90), "service", state.toString(), action, name);
    }

    /** The mesh agents' names, {@code mesh-1} … {@code mesh-N}. */
    List<String> meshAgents() {
        int n = Integer.parseInt(env.getOrDefault("MESH_AGENTS", "0"));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("mesh-" + i);
        }
        return names;
    }

    /** What a mesh agent printed on its standard output so far (its console). */
    String meshOut(String agent) {
        try {
            return Files.readString(state.resolve(agent + ".out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Types one line into a mesh agent ({@code deploy/local/service STATE type NAME LINE}). */
    void type(String agent, String line) throws IOException, InterruptedException {
        script(Duration.ofSeconds(20), "service", state.toString(), "type", agent, line);
    }

    String nsAddress() {
        return env.get("NS_ADDR");
    }

    InetAddress hostAddress() throws IOException {
        return InetAddress.getByName(env.get("HOST_ADDR"));
    }

    URI signalingUri() {
        return URI.create(env.get("SIGNALING_URL"));
    }

    String signalingSecret() {
        return env.get("SIGNALING_SECRET");
    }

    /** Trusts the self-signed certificate that up made for nginx. */
    TrustManagerFactory trust() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(state.resolve("tls/cert.pem"))) {
            ks.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    /** GETs a URL from inside the namespace (curl); the service names resolve there. */
    String curlInside(String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", env.get("NETNS"), "curl", "-fsS", "--max-time", "3", url)
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("curl " + url + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The number of agents registered on one instance, from its /health. */
    int agentsOn(String instance) throws IOException, InterruptedException {
        return JSON.readTree(curlInside("http://" + instance + ":8080/health")).get("agents").asInt();
    }

    /** A Prometheus HTTP API call ({@code /api/v1/...}); returns {@code data}. */
    JsonNode prometheus(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(env.get("PROMETHEUS_URL") + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
            throw new IOException("Prometheus " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return root.get("data");
    }

    /** An instant PromQL query; returns the result vector. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return prometheus("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    /** The tails of the services' logs, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(state)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                b.append("\n--- ").append(f.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e.getMessage()).append(')');
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(state.resolve("env"))) {
                script(Duration.ofSeconds(90), "down", state.toString());
            }
            try (var walk = Files.walk(state)) { // logs, Prometheus data, the certificate: nothing to keep
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            LOG.warn("deploy/local/down failed for {}: {}", state, e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
