package io.jrtc.probe;

/**
 * A scenario's verdict.
 * <ul>
 *   <li>{@link #PASS}: the target did what the clause requires.</li>
 *   <li>{@link #FAIL}: the target broke a requirement of the clause (a MUST, or the wire format).</li>
 *   <li>{@link #DEVIATION}: legal but different from what the clause recommends or what other stacks do, in a way that
 *       matters for interoperability (a small receive window, a missing report).</li>
 *   <li>{@link #NOT_APPLICABLE}: the scenario could not be run against this target (it needs the target to open
 *       channels on command, say) or does not apply in this role.</li>
 * </ul>
 */
public enum Verdict {
    PASS, FAIL, DEVIATION, NOT_APPLICABLE
}
