package io.jrtc.testkit.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The one gate for every test that needs something outside the JVM: a real peer (Chromium, Firefox, werift on node,
 * Pion, coturn, Redis, OpenSSL, tcpdump) or a privilege (root, {@code ip netns}).
 *
 * <p>By default a missing requirement <em>skips</em> the test (a JUnit assumption) with its reason, so a developer
 * without the peers still runs every other test. With {@code JRTC_REQUIRE_INTEROP=1} in the environment (or
 * {@code -Djrtc.requireInterop=true} in the test JVM), as CI sets it, a missing requirement <em>fails</em> the test
 * instead: an interop test that cannot run is then a broken build, never a silent pass.
 *
 * <p>Use it instead of {@code Assumptions.assumeTrue} for anything environmental:
 * <pre>{@code
 * Interop.require("chromium", RemotePeer.unavailableReason(RemotePeer.Kind.CHROMIUM)); // null reason = available
 * Interop.requireExecutable("tcpdump", Path.of("/usr/bin/tcpdump"), "apt-get install tcpdump");
 * Interop.requireOnPath("go", "apt-get install golang-go");
 * }</pre>
 * Keep plain assumptions only for conditions that are not about the machine's peers or privileges.
 */
public final class Interop {

    /** The environment variable that turns a missing peer or privilege into a failure. */
    public static final String SWITCH = "JRTC_REQUIRE_INTEROP";
    /** The system property with the same effect, for a single run ({@code -Djrtc.requireInterop=true}). */
    public static final String PROPERTY = "jrtc.requireInterop";

    private Interop() {
    }

    /** Whether a missing requirement fails (CI) rather than skips (a developer's machine). */
    public static boolean required() {
        return isOn(System.getenv(SWITCH)) || isOn(System.getProperty(PROPERTY));
    }

    private static boolean isOn(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes");
    }

    /**
     * Requires {@code what}; {@code unavailableReason} says why it cannot be had here, or is null when it can.
     * Skips the calling test with that reason, or fails it when {@link #required()}.
     */
    public static void require(String what, String unavailableReason) {
        if (unavailableReason == null) {
            return;
        }
        String message = what + " unavailable: " + unavailableReason;
        if (required()) {
            throw new AssertionFailedError(message + " (" + SWITCH + "=1 makes a missing interop peer or privilege a failure)");
        }
        Assumptions.abort(message + " (skipped; with " + SWITCH + "=1 this fails)");
    }

    /** Requires {@code what} when {@code available} is false, with {@code reasonIfMissing} as the reason. */
    public static void require(String what, boolean available, String reasonIfMissing) {
        require(what, available ? null : reasonIfMissing);
    }

    /** Requires an executable file, e.g. {@code /usr/bin/turnserver}; {@code install} says how to get it. */
    public static void requireExecutable(String what, Path executable, String install) {
        require(what, Files.isExecutable(executable), executable + " is not installed (" + install + ")");
    }

    /** Requires {@code exe} somewhere on the PATH; {@code install} says how to get it. */
    public static void requireOnPath(String exe, String install) {
        require(exe, onPath(exe) != null, exe + " is not on the PATH (" + install + ")");
    }

    /** Requires root and iproute2, for a {@link PrivateNetwork}. */
    public static void requirePrivateNetwork() {
        require("private network namespace", PrivateNetwork.unavailableReason());
    }

    /** Requires a {@link PrivateNetwork} and the peer of {@code kind}. */
    public static void requirePeer(RemotePeer.Kind kind) {
        require(kind.name().toLowerCase(Locale.ROOT), RemotePeer.unavailableReason(kind));
    }

    /** The first {@code exe} on the PATH, or null. */
    public static Path onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return Path.of(dir, exe);
            }
        }
        return null;
    }
}
