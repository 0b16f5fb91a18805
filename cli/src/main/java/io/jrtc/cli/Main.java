package io.jrtc.cli;

import io.jrtc.cli.internal.CliFailure;
import io.jrtc.cli.internal.JrtcCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * The {@code jrtc} command line: {@code signaling}, {@code echo}, {@code agent}, {@code demo}, {@code sctp-demo}. Exit
 * codes: 0 success (and {@code --help}), 1 runtime failure, 2 usage error.
 *
 * <p>This class holds no logger: {@link #main} configures SLF4J's simple logger (level from {@code --verbose}) before
 * anything creates one.
 */
public final class Main {

    /**
     * Held so that its level stays set: the JDK logs "Runtime.exit() called", with a stack trace, at debug level
     * through this logger on every exit, which {@code -vv} would otherwise print.
     */
    private static final java.util.logging.Logger JDK_RUNTIME = java.util.logging.Logger.getLogger("java.lang.Runtime");

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(args);
        int v = verbosity(args);
        bridgeJavaUtilLogging(v >= 2 ? Level.ALL : v == 1 ? Level.FINE : Level.WARNING);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line in this JVM, printing to {@code out} and {@code err}; returns the exit code. Long-running
     * commands ({@code signaling}, {@code echo}, {@code demo --stay}) return only after SIGINT/SIGTERM.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = verbosity(args) > 0;
        CommandLine cl = new CommandLine(new JrtcCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String what = commandLine.getCommandName();
            if (ex instanceof CliFailure || ex instanceof ClientAgent.AgentException || ex instanceof TimeoutException) {
                commandLine.getErr().println("jrtc " + what + ": " + ex.getMessage());
            } else {
                commandLine.getErr().println("jrtc " + what + ": failed: " + ex);
            }
            if (verbose && ex.getCause() != null || verbose && !(ex instanceof CliFailure)) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** How many times {@code -v}/{@code --verbose} appears ({@code -vv} counts twice). */
    static int verbosity(String[] args) {
        int n = 0;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--verbose")) {
                n++;
            } else if (a.matches("-v+")) {
                n += a.length() - 1;
            }
        }
        return n;
    }

    /**
     * SLF4J simple logger settings, unless given with {@code -D}: level info (warn for the demos, whose product is their
     * figures on standard output; debug with {@code -v}, trace with {@code -vv}), one line per event on standard error
     * with the time and the short logger name. ice4j's and jitsi-utils' {@code java.util.logging} output is bridged to SLF4J
     * (warnings only unless verbose: their INFO lines are start-up chatter).
     */
    static void configureLogging(String[] args) {
        int v = verbosity(args);
        boolean demo = false;
        for (String a : args) {
            if (!a.startsWith("-")) {
                demo = a.equals("demo") || a.equals("sctp-demo");
                break;
            }
        }
        String level = v >= 2 ? "trace" : v == 1 ? "debug" : demo ? "warn" : "info";
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", v > 0 ? "true" : "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.log.io.netty", v >= 2 ? "debug" : "warn");
        if (demo && v == 0) {
            // PeerConnection logs an ordinary local close of its SCTP association at WARN; in the demos, whose every
            // connection ends that way, that would read as a failure. A real failure still fails the demo's result.
            setDefault("org.slf4j.simpleLogger.log.io.jrtc.peer.PeerConnection", "error");
        }
        setDefault("org.slf4j.simpleLogger.log.org.ice4j", v > 0 ? "debug" : "warn");
        setDefault("org.slf4j.simpleLogger.log.org.jitsi", v > 0 ? "debug" : "warn");
    }

    /**
     * Replaces the {@code java.util.logging} root handlers with SLF4J's bridge, so ice4j's and jitsi-utils' records
     * join the command's one log stream; {@code level} is the finest JUL level passed on.
     */
    static void bridgeJavaUtilLogging(Level level) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        LogManager.getLogManager().getLogger("").setLevel(level);
        JDK_RUNTIME.setLevel(Level.INFO);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
