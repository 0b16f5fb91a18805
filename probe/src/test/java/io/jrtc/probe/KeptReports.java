package io.jrtc.probe;

import java.nio.file.Path;

/**
 * Where the probe tests write their reports: {@code target/probe-reports/} on every run, so that {@code mvn test}
 * leaves the source tree alone; with {@code -Djrtc.probe.keepReports=true} the kept reports under {@code reports/}
 * are refreshed instead (see the module README).
 */
final class KeptReports {

    /** The system property that makes the tests refresh {@code probe/reports/}. */
    static final String PROPERTY = "jrtc.probe.keepReports";

    private KeptReports() {
    }

    /** The base path (without {@code .json} / {@code .html}) of report {@code name}. */
    static Path base(String name) {
        return Boolean.getBoolean(PROPERTY) ? Path.of("reports", name) : scratch(name);
    }

    /** The base path of a report that is never kept (a run of only some scenarios). */
    static Path scratch(String name) {
        return Path.of("target", "probe-reports", name);
    }
}
