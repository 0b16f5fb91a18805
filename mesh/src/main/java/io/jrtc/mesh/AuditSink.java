package io.jrtc.mesh;

import java.util.Map;

/**
 * Where a mesh agent records its security and topology events: joins and leaves, relay fallbacks, fingerprint and
 * signature failures, replays, revocations and link mode changes. The production implementation is the hash-chained,
 * signed {@code io.jrtc.mesh.audit.AuditLog}; {@link #NONE} records nothing.
 *
 * <p>Called from the mesh agent's event loop; an implementation must not block for long and must not throw (a failure
 * to record is the implementation's to log).
 */
@FunctionalInterface
public interface AuditSink {

    /** Records nothing. */
    AuditSink NONE = (kind, fields) -> { };

    /**
     * Records one event.
     *
     * @param kind   a short stable name in lower case with dots, e.g. {@code link.fallback}, {@code envelope.bad_signature}
     * @param fields details as text (agent ids in hex, reasons, modes); iteration order is kept
     */
    void record(String kind, Map<String, String> fields);
}
