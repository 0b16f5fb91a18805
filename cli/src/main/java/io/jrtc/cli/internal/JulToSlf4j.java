package io.jrtc.cli.internal;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} records (ice4j's and jitsi-utils' logging) to SLF4J, so the command's log is one
 * stream, one line per event, under one level setting.
 */
public final class JulToSlf4j extends Handler {

    private final Formatter formatter = new SimpleFormatter();

    /** Replaces the JUL root handlers with this bridge; {@code level} is the finest JUL level passed on. */
    public static void install(Level level) {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        JulToSlf4j bridge = new JulToSlf4j();
        bridge.setLevel(level);
        root.addHandler(bridge);
        root.setLevel(level);
    }

    @Override
    public void publish(LogRecord r) {
        if (r == null || !isLoggable(r)) {
            return;
        }
        if ("java.lang.Runtime".equals(r.getLoggerName()) && r.getLevel().intValue() < Level.INFO.intValue()) {
            return; // the JDK's "Runtime.exit() called" debug record, with a stack trace, on every exit
        }
        Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
        String msg = formatter.formatMessage(r);
        Throwable t = r.getThrown();
        int v = r.getLevel().intValue();
        if (v >= Level.SEVERE.intValue()) {
            log.error(msg, t);
        } else if (v >= Level.WARNING.intValue()) {
            log.warn(msg, t);
        } else if (v >= Level.INFO.intValue()) {
            log.info(msg, t);
        } else if (v >= Level.FINE.intValue()) {
            log.debug(msg, t);
        } else {
            log.trace(msg, t);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
