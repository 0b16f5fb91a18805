package io.jrtc.srtp.internal;

import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges jitsi-utils' {@code logging2.Logger} (which jitsi-srtp's crypto contexts log through) to SLF4J, so the
 * contexts we create never write through java.util.logging. Level setters and handlers are ignored: SLF4J's binding
 * owns levels. jitsi-srtp's own static loggers (in {@code Aes}, {@code HmacSha1}, {@code JitsiOpenSslProvider}) are
 * created inside the library and still go to java.util.logging.
 */
public final class Slf4jJitsiLogger implements org.jitsi.utils.logging2.Logger {

    private final Logger delegate;

    public Slf4jJitsiLogger(Logger delegate) {
        this.delegate = delegate;
    }

    public Slf4jJitsiLogger(String name) {
        this(LoggerFactory.getLogger(name));
    }

    @Override
    public org.jitsi.utils.logging2.Logger createChildLogger(String name, Map<String, String> context) {
        return new Slf4jJitsiLogger(name);
    }

    @Override
    public org.jitsi.utils.logging2.Logger createChildLogger(String name) {
        return new Slf4jJitsiLogger(name);
    }

    @Override
    public void setUseParentHandlers(boolean useParentHandlers) {
    }

    @Override
    public void addHandler(Handler handler) {
    }

    @Override
    public void removeHandler(Handler handler) {
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public void trace(Object msg) {
        if (delegate.isTraceEnabled()) {
            delegate.trace(String.valueOf(msg));
        }
    }

    @Override
    public void trace(Supplier<String> msg) {
        if (delegate.isTraceEnabled()) {
            delegate.trace(msg.get());
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public void debug(Object msg) {
        if (delegate.isDebugEnabled()) {
            delegate.debug(String.valueOf(msg));
        }
    }

    @Override
    public void debug(Supplier<String> msg) {
        if (delegate.isDebugEnabled()) {
            delegate.debug(msg.get());
        }
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public void info(Object msg) {
        if (delegate.isInfoEnabled()) {
            delegate.info(String.valueOf(msg));
        }
    }

    @Override
    public void info(Supplier<String> msg) {
        if (delegate.isInfoEnabled()) {
            delegate.info(msg.get());
        }
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public void warn(Object msg) {
        if (delegate.isWarnEnabled()) {
            delegate.warn(String.valueOf(msg));
        }
    }

    @Override
    public void warn(Supplier<String> msg) {
        if (delegate.isWarnEnabled()) {
            delegate.warn(msg.get());
        }
    }

    @Override
    public void warn(Object msg, Throwable t) {
        delegate.warn(String.valueOf(msg), t);
    }

    // jitsi-srtp logs "error" for per-packet sender-side replay rejections; we count those in SrtpStats and log
    // them once ourselves, so they are demoted to DEBUG here to keep the hot path quiet.
    @Override
    public void error(Object msg) {
        if (delegate.isDebugEnabled()) {
            delegate.debug(String.valueOf(msg));
        }
    }

    @Override
    public void error(Supplier<String> msg) {
        if (delegate.isDebugEnabled()) {
            delegate.debug(msg.get());
        }
    }

    @Override
    public void error(Object msg, Throwable t) {
        delegate.error(String.valueOf(msg), t);
    }

    @Override
    public void setLevelError() {
    }

    @Override
    public void setLevelWarn() {
    }

    @Override
    public void setLevelInfo() {
    }

    @Override
    public void setLevelDebug() {
    }

    @Override
    public void setLevelTrace() {
    }

    @Override
    public void setLevelAll() {
    }

    @Override
    public void setLevelOff() {
    }

    @Override
    public void setLevel(Level level) {
    }

    @Override
    public Level getLevel() {
        if (delegate.isTraceEnabled()) {
            return Level.FINEST;
        }
        if (delegate.isDebugEnabled()) {
            return Level.FINE;
        }
        if (delegate.isInfoEnabled()) {
            return Level.INFO;
        }
        if (delegate.isWarnEnabled()) {
            return Level.WARNING;
        }
        return Level.SEVERE;
    }

    @Override
    public void addContext(Map<String, String> addedContext) {
    }

    @Override
    public void addContext(String key, String value) {
    }
}
