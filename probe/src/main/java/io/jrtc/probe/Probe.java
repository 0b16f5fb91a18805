package io.jrtc.probe;

import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.probe.internal.Scenario;
import io.jrtc.probe.internal.Scenarios;
import io.jrtc.probe.internal.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scenarios against a {@link ProbeTarget}, in each chosen role, and collects a {@link ProbeReport}. Each
 * scenario gets a fresh connection. With {@code repeats} above 1 each scenario runs that many times; differing
 * verdicts mark the result non-deterministic (the first run's verdict is kept, and the report says the run was not
 * deterministic for the target).
 *
 * <pre>{@code
 * try (ProbeTarget t = ...) {
 *     ProbeReport r = Probe.builder().roles(List.of(Role.OFFERER, Role.ANSWERER)).build().run(t);
 *     r.write(Path.of("probe/reports/werift-offerer"));
 * }
 * }</pre>
 */
public final class Probe {

    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);

    private final List<Role> roles;
    private final List<String> only;
    private final int repeats;
    private final Duration connectTimeout;
    private final Consumer<String> progress;
    private final List<io.jrtc.probe.internal.Fault> faults;

    private Probe(Builder b) {
        this.roles = List.copyOf(b.roles);
        this.only = List.copyOf(b.only);
        this.faults = List.copyOf(b.faults);
        this.repeats = b.repeats;
        this.connectTimeout = b.connectTimeout;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The long-running scenarios (each 30 s or more: consent freshness), as {@link #catalogue()}: not run unless named
     * with {@link Builder#only} ({@code --only}).
     */
    public static List<String[]> longRunningCatalogue() {
        return Scenarios.longRunning().stream().map(s -> new String[] {s.id(), s.clause(), s.description()}).toList();
    }

    /** The ids, clauses and descriptions of every scenario of a default run, in run order. */
    public static List<String[]> catalogue() {
        return Scenarios.all().stream().map(s -> new String[] {s.id(), s.clause(), s.description()}).toList();
    }

    /** Parses {@code --fail-on}: a comma-separated list of verdicts (case-insensitive, {@code -} or {@code _}). */
    public static Set<Verdict> parseFailOn(String spec) {
        Set<Verdict> out = EnumSet.noneOf(Verdict.class);
        for (String s : spec.split(",")) {
            String t = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (!t.isEmpty()) {
                out.add(Verdict.valueOf(t));
            }
        }
        return out;
    }

    /** Runs every selected scenario in every role against {@code target}. */
    public ProbeReport run(ProbeTarget target) {
        String started = Instant.now().toString();
        List<Scenario> scenarios = only.isEmpty() ? Scenarios.all()
                : Scenarios.withLongRunning().stream().filter(s -> only.contains(s.id())).toList();
        List<ScenarioResult> results = new ArrayList<>();
        boolean deterministic = true;
        int total = scenarios.size() * roles.size();
        int done = 0;
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            for (Role role : roles) {
                for (Scenario s : scenarios) {
                    done++;
                    ScenarioResult first = null;
                    boolean same = true;
                    List<String> others = new ArrayList<>();
                    for (int k = 0; k < repeats; k++) {
                        ScenarioResult r = runOne(factory, target, role, s);
                        if (first == null) {
                            first = r;
                        } else {
                            same &= r.verdict() == first.verdict();
                            others.add(r.verdict() + ": " + r.detail());
                        }
                    }
                    if (!same) {
                        first = first.asNonDeterministic(others);
                        deterministic = false;
                    }
                    results.add(first);
                    String line = String.format("[%d/%d] %s %-34s %-16s %s%s", done, total, role.label(), s.id(),
                            s.clause(), first.verdict(), first.nonDeterministic() ? " (non-deterministic)" : "");
                    LOG.info("probe {}: {}", target.name(), line);
                    progress.accept(line);
                }
            }
        }
        String version = Probe.class.getPackage().getImplementationVersion();
        return new ProbeReport(target.name(), "jrtc " + (version == null ? "(development build)" : version), started,
                repeats, repeats > 1 ? deterministic : null, results);
    }

    private ScenarioResult runOne(PeerConnectionFactory factory, ProbeTarget target, Role role, Scenario s) {
        long t0 = System.nanoTime();
        Scenario.Outcome o;
        Session session = null;
        Exception refused = null;
        try {
            session = Session.open(factory, target, role, withExtra(s.faults()), s::configure, s.localSdpRewrite(),
                    s.connectTimeout(connectTimeout));
        } catch (Exception e) {
            LOG.debug("scenario {} ({}): no session", s.id(), role.label(), e);
            refused = e;
        }
        if (session == null) {
            Scenario.Outcome judged = s.notOpened(refused);
            o = judged != null ? judged : new Scenario.Outcome(Verdict.FAIL, "the scenario could not run: " + refused, List.of());
        } else {
            try (Session opened = session) {
                o = s.run(opened);
            } catch (Exception e) {
                LOG.debug("scenario {} ({}) failed to run", s.id(), role.label(), e);
                o = new Scenario.Outcome(Verdict.FAIL, "the scenario could not run: " + e, List.of());
            }
        }
        return new ScenarioResult(s.id(), s.clause(), s.description(), role.label(), o.verdict(), false, o.detail(),
                o.evidence(), (System.nanoTime() - t0) / 1_000_000);
    }

    private List<io.jrtc.probe.internal.Fault> withExtra(List<io.jrtc.probe.internal.Fault> own) {
        if (faults.isEmpty()) {
            return own;
        }
        List<io.jrtc.probe.internal.Fault> all = new ArrayList<>(own);
        all.addAll(faults);
        return all;
    }

    /**
     * Checks a fault in the command line's syntax ({@code drop:COOKIE_ECHO:first}, {@code drop:DATA:every=10:in},
     * {@code delay:DATA:ms=200}; see the module README); returns how it reads in the evidence, or throws an
     * {@link IllegalArgumentException} that says what is wrong.
     */
    public static String checkFault(String spec) {
        return io.jrtc.probe.internal.FaultSpec.parse(spec).name();
    }

    public static final class Builder {
        private List<Role> roles = List.of(Role.OFFERER, Role.ANSWERER);
        private List<String> only = List.of();
        private final List<io.jrtc.probe.internal.Fault> faults = new ArrayList<>();
        private int repeats = 1;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Consumer<String> progress = line -> { };

        /** jrtc's roles to run in (both by default). */
        public Builder roles(List<Role> v) {
            roles = List.copyOf(v);
            return this;
        }

        /** Only these scenario ids (all when empty). */
        public Builder only(List<String> ids) {
            for (String id : ids) {
                if (Scenarios.withLongRunning().stream().noneMatch(s -> s.id().equals(id))) {
                    throw new IllegalArgumentException("no scenario " + id);
                }
            }
            only = List.copyOf(ids);
            return this;
        }

        /**
         * Faults (the syntax of {@link #checkFault}) added to every scenario's own, on each of its connections: they
         * show how the target recovers, and may change verdicts.
         */
        public Builder faults(List<String> specs) {
            for (String f : specs) {
                faults.add(io.jrtc.probe.internal.FaultSpec.parse(f));
            }
            return this;
        }

        /** Runs of each scenario (1 by default); above 1 the report says whether the verdicts were deterministic. */
        public Builder repeats(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("repeats must be at least 1");
            }
            repeats = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** Receives one progress line per scenario (the CLI prints them); the library also logs them (INFO). */
        public Builder progress(Consumer<String> v) {
            progress = Objects.requireNonNull(v);
            return this;
        }

        public Probe build() {
            return new Probe(this);
        }
    }
}
