package io.jrtc.ice;

/** How the controlling agent nominates (RFC 8445 §8.1.1; aggressive nomination from RFC 5245 §8.1.1.2). */
public enum NominationMode {
    /** Check first, then repeat a check with USE-CANDIDATE on the chosen valid pair. */
    REGULAR,
    /** Every check carries USE-CANDIDATE; the highest-priority pair that succeeds is selected. */
    AGGRESSIVE
}
