package io.jrtc.probe.internal;

import io.jrtc.peer.RtcConfiguration;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One scenario: an RFC clause, what jrtc does to the target, and how the verdict is reached. A scenario gets a fresh
 * {@link Session}; {@link #faults()} are installed in its tap before the connection is made.
 */
public abstract class Scenario {

    /** A scenario's verdict, the sentence that explains it, and its evidence. */
    public record Outcome(Verdict verdict, String detail, List<Evidence> evidence) {
    }

    public abstract String id();

    public abstract String clause();

    public abstract String description();

    /** Faults to install before connecting (none by default). */
    public List<Fault> faults() {
        return List.of();
    }

    /** Adjusts jrtc's configuration for this scenario's connection (nothing by default). */
    public void configure(RtcConfiguration.Builder config) {
    }

    /**
     * What the target is told instead of jrtc's own session description (unchanged by default): applied by the route
     * to each description of jrtc's before the target gets it.
     */
    public UnaryOperator<String> localSdpRewrite() {
        return UnaryOperator.identity();
    }

    /**
     * How long the connection may take to come up (the probe's connect timeout by default). A scenario that expects
     * the target to refuse the connection shortens it, so that it does not wait the full timeout for nothing.
     */
    public java.time.Duration connectTimeout(java.time.Duration probeDefault) {
        return probeDefault;
    }

    /**
     * The outcome when no session could be made at all ({@code e}: the target refused jrtc's description, or gave no
     * answer within {@link #connectTimeout}), or null (by default) for a FAIL saying the scenario could not run.
     */
    public Outcome notOpened(Exception e) {
        return null;
    }

    /** Runs against the connected session. */
    public abstract Outcome run(Session s) throws Exception;

    // ---- helpers for subclasses

    protected static Outcome outcome(Verdict v, String detail, List<Evidence> evidence) {
        return new Outcome(v, detail, evidence);
    }

    /** The packets seen in the session that match, as evidence (at most {@code max}, the first ones). */
    protected static List<Evidence> evidence(Session s, Predicate<ProbeTap.Seen> match, int max) {
        List<Evidence> out = new ArrayList<>();
        for (ProbeTap.Seen p : s.tap.seen()) {
            if (p.packet() != null && match.test(p)) {
                if (out.size() == max) {
                    out.add(Evidence.note("(more packets left out)"));
                    break;
                }
                out.add(toEvidence(p));
            }
        }
        return out;
    }

    /** The datagrams seen in the session that match, as evidence (at most {@code max}, the first ones). */
    protected static List<Evidence> wireEvidence(Session s, Predicate<ProbeTap.WireSeen> match, int max) {
        List<Evidence> out = new ArrayList<>();
        for (ProbeTap.WireSeen p : s.tap.wire()) {
            if (match.test(p)) {
                if (out.size() == max) {
                    out.add(Evidence.note("(more datagrams left out)"));
                    break;
                }
                out.add(toEvidence(p));
            }
        }
        return out;
    }

    protected static Evidence toEvidence(ProbeTap.WireSeen p) {
        return new Evidence(p.atMillis(), direction(p.inbound(), p.fault()), p.datagram().decoded());
    }

    private static String direction(boolean inbound, String fault) {
        String dir = inbound ? "in" : "out";
        if (fault == null) {
            return dir;
        }
        return (fault.startsWith("rewrite") ? "rewritten-" : fault.startsWith("drop") ? "dropped-"
                : fault.startsWith("duplicate") ? "duplicated-" : fault.startsWith("inject") ? "injected-" : "delayed-") + dir;
    }

    protected static Evidence toEvidence(ProbeTap.Seen p) {
        String dir = p.inbound() ? "in" : "out";
        if (p.fault() != null) {
            dir = (p.fault().startsWith("rewrite") ? "rewritten-" : p.fault().startsWith("drop") ? "dropped-"
                    : p.fault().startsWith("duplicate") ? "duplicated-" : "delayed-") + dir;
        }
        return new Evidence(p.atMillis(), dir, p.decoded());
    }
}
