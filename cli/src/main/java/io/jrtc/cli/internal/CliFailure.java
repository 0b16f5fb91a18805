package io.jrtc.cli.internal;

/** A runtime failure of a command, reported as one line and exit code 1. */
public final class CliFailure extends RuntimeException {

    public CliFailure(String message) {
        super(message);
    }

    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
