package io.jrtc.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a probe run found: one {@link ScenarioResult} per scenario and role. Written as one JSON file and one
 * self-contained HTML file (no scripts, no external resources).
 *
 * @param target        the target's name
 * @param jrtcVersion   the probing jrtc's version
 * @param startedAt     ISO-8601 instant the run started
 * @param repeats       how many times each scenario ran (the verdicts of repeats are compared)
 * @param deterministic true when every repeat gave the same verdict; null when each scenario ran once (unknown)
 * @param results       the results, in run order
 */
public record ProbeReport(String target, String jrtcVersion, String startedAt, int repeats, Boolean deterministic,
        List<ScenarioResult> results) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ProbeReport {
        results = List.copyOf(results);
    }

    /** The results of one scenario (all roles). */
    public List<ScenarioResult> results(String scenarioId) {
        return results.stream().filter(r -> r.id().equals(scenarioId)).toList();
    }

    /** How many results have each verdict. */
    public Map<Verdict, Integer> counts() {
        Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            m.put(v, 0);
        }
        for (ScenarioResult r : results) {
            m.merge(r.verdict(), 1, Integer::sum);
        }
        return m;
    }

    /** The exit code for {@code --fail-on}: 1 when any result's verdict is in {@code failOn}, else 0. */
    public int exitCode(Set<Verdict> failOn) {
        return results.stream().anyMatch(r -> failOn.contains(r.verdict())) ? 1 : 0;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ProbeReport fromJson(String json) throws IOException {
        return JSON.readValue(json, ProbeReport.class);
    }

    /** Writes {@code <base>.json} and {@code <base>.html}. */
    public void write(Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(Path.of(base + ".json"), toJson() + "\n", StandardCharsets.UTF_8);
        Files.writeString(Path.of(base + ".html"), toHtml(), StandardCharsets.UTF_8);
    }

    public String toHtml() {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jrtc probe: ")
                .append(esc(target)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}")
                .append("td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}")
                .append(".PASS{background:#d8f5d8}.FAIL{background:#f8d0d0}.DEVIATION{background:#fbeec0}")
                .append(".NOT_APPLICABLE{background:#e6e6e6}pre{margin:0;font-size:12px;white-space:pre-wrap}")
                .append("</style></head><body>\n<h1>jrtc probe: ").append(esc(target)).append("</h1>\n<p>")
                .append(esc(jrtcVersion)).append(", started ").append(esc(startedAt)).append(", ").append(repeats)
                .append(repeats == 1 ? " run" : " runs").append(" per scenario; deterministic: ")
                .append(deterministic == null ? "unknown (one run)" : deterministic ? "yes" : "no").append("; ")
                .append(esc(counts().toString())).append("</p>\n<table>\n<tr><th>scenario</th><th>clause</th><th>role</th>")
                .append("<th>verdict</th><th>evidence</th></tr>\n");
        for (ScenarioResult r : results) {
            h.append("<tr><td><b>").append(esc(r.id())).append("</b><br>").append(esc(r.description()))
                    .append("</td><td>").append(esc(r.clause())).append("</td><td>").append(esc(r.role()))
                    .append("</td><td class=\"").append(r.verdict()).append("\">").append(r.verdict())
                    .append(r.nonDeterministic() ? " (non-deterministic)" : "").append("</td><td>")
                    .append(esc(r.detail())).append("<pre>");
            for (Evidence e : r.evidence()) {
                h.append(esc(e.toString())).append('\n');
            }
            h.append("</pre></td></tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
