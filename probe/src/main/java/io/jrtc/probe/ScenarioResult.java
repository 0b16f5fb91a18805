package io.jrtc.probe;

import java.util.List;

/**
 * What one scenario found in one role.
 *
 * @param id               the scenario's id, e.g. {@code dcep-channel-types-remote}
 * @param clause           the RFC clause it checks, e.g. {@code RFC 8832 §5.1}
 * @param description      what the scenario does and what passes
 * @param role             {@code offerer} when jrtc made the offer, {@code answerer} when the target did
 * @param verdict          the verdict
 * @param nonDeterministic true when repeated runs against this target gave different verdicts
 * @param detail           one sentence: why this verdict
 * @param evidence         the relevant packets, decoded
 * @param millis           how long the scenario took
 */
public record ScenarioResult(String id, String clause, String description, String role, Verdict verdict,
        boolean nonDeterministic, String detail, List<Evidence> evidence, long millis) {

    public ScenarioResult {
        evidence = List.copyOf(evidence);
    }

    /** This result, marked as non-deterministic, with a note naming what the other runs found. */
    public ScenarioResult asNonDeterministic(List<String> otherRuns) {
        List<Evidence> ev = new java.util.ArrayList<>();
        for (String o : otherRuns) {
            ev.add(Evidence.note("another run: " + o));
        }
        ev.addAll(evidence);
        return new ScenarioResult(id, clause, description, role, verdict, true, detail, ev, millis);
    }
}
