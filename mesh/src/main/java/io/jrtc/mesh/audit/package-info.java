/**
 * The agent's audit trail: {@link io.jrtc.mesh.audit.AuditLog}, an append-only, hash-chained log of JSON lines with
 * Ed25519-signed checkpoints, and {@link io.jrtc.mesh.audit.AuditVerifier}, which checks one. The format and what a
 * verification proves are in mesh/README.md, "Audit trail".
 */
package io.jrtc.mesh.audit;
