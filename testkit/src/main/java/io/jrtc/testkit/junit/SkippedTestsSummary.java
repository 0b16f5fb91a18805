package io.jrtc.testkit.junit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, when a module's test run ends, one line per skipped test or container with its reason:
 * {@code SKIPPED <class>#<method>: <reason>}. A test is skipped when it is disabled or when an assumption aborts it
 * (typically {@link io.jrtc.testkit.interop.Interop#require} without {@code JRTC_REQUIRE_INTEROP=1}).
 *
 * <p>Registered through {@code META-INF/services}, so it runs wherever testkit is on the test class path. It writes
 * to the process's own standard error, not {@code System.err}: Surefire captures {@code System.out/err} into each
 * class's {@code -output.txt} file, but passes a forked JVM's native standard error through to Maven's console, which
 * is where a skip must be seen.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        lines.add(name(id) + ": " + reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            lines.add(name(id) + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            text.append("SKIPPED ").append(l).append(System.lineSeparator());
        }
        lines.clear();
        // Not closed: closing would close the process's file descriptor 2.
        PrintStream nativeErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        nativeErr.print(text);
        nativeErr.flush();
    }

    private static String name(TestIdentifier id) {
        TestSource source = id.getSource().orElse(null);
        if (source instanceof MethodSource m) {
            String method = m.getMethodName();
            String display = id.getDisplayName();
            // A parameterized or repeated invocation: keep its display name ("[1] udp") after the method's.
            return m.getClassName() + "#" + method + (display.startsWith(method + "(") ? "" : " " + display);
        }
        if (source instanceof ClassSource c) {
            return c.getClassName();
        }
        return id.getDisplayName();
    }
}
