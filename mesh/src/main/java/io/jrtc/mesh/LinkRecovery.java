package io.jrtc.mesh;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the link edge opens and repairs one link, as a sans-IO state machine: events and time in, {@link Action}s with
 * deadlines out, each carrying a reason for the audit log. It decides; the edge does (PeerConnections, ICE
 * restarts, TURN), and reports back what happened.
 *
 * <p><b>Opening</b> ({@link #connect}), by {@link Strategy}:
 * <ul>
 *   <li>{@code DIRECT_THEN_RELAY} (default): a direct attempt (all candidates); if it is not up within
 *       {@link Config#directTimeoutNanos} (5 s) or fails first, it is cancelled and a relay-only attempt (TURN
 *       candidates only) follows, marked {@link Action#fallback()};</li>
 *   <li>{@code RELAY_ONLY}: relay-only attempts only;</li>
 *   <li>{@code RACE}: direct and relay attempts at once; when the first is up, the other gets
 *       {@link Config#raceGraceNanos} to come up too, then the better one is kept (direct unless the relay's RTT is
 *       lower by more than {@link Config#raceMarginNanos}; an unknown RTT keeps direct) and the other cancelled.</li>
 * </ul>
 * An opening that fails on every path ends in {@link Kind#GIVE_UP}: the edge answers the overlay core with
 * {@code linkFailed}, and the core's own retry list takes over.
 *
 * <p><b>Repair</b> of a link that was up and failed ({@link #linkFailed}): first an ICE restart on the same
 * connection, which must be up again within {@link Config#iceRestartTimeoutNanos}; if it is not, the connection is
 * rebuilt (a new PeerConnection, opened as above; relay-only at once when the link was relayed) after a backoff of
 * 1 s doubling to 30 s, each delay shortened by a random fraction up to {@link Config#jitter} (seeded); after
 * {@link Config#maxRebuilds} failed rebuilds, {@link Kind#GIVE_UP}: the edge reports {@code linkDown} and the core
 * replaces the neighbour from its passive view. Only the side that opened the link repairs it; the side that
 * {@link #accepted} it waits (up to {@link Config#acceptorWaitNanos()}) for the opener's restart or rebuild.
 *
 * <p>For metrics: every opening, rebuild or restart ends in exactly one of {@link Kind#USE} (result connected, mode
 * the path), {@link Kind#WAIT} or {@link Kind#GIVE_UP} (result failed).
 *
 * <p>Single-threaded; never reads a clock. Events for a path with no attempt in flight are ignored (the edge closes
 * a connection it was told to cancel).
 */
public final class LinkRecovery {

    /** A path: direct (every ICE candidate) or relay-only (TURN candidates only). */
    public enum Path {
        DIRECT, RELAY;

        /** The label value of {@code mode} in {@code jrtc_mesh_link_attempts_total}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Strategy { DIRECT_THEN_RELAY, RELAY_ONLY, RACE }

    public enum Kind {
        /** Open a new connection to the remote over {@code path}; it must be up by {@code deadline}. */
        CONNECT,
        /** Restart ICE on the current connection; it must be up again by {@code deadline}. */
        RESTART_ICE,
        /** Close the attempt over {@code path} (timed out, failed, or lost a race). */
        CANCEL,
        /** The link is up over {@code path}: use it (report {@code linkUp} to the core when new). */
        USE,
        /** The repair attempt failed; the next rebuild starts at {@code deadline}. Nothing to do meanwhile. */
        WAIT,
        /** No more attempts: report the link failed or down to the core, which replaces it. */
        GIVE_UP
    }

    /**
     * One decision. {@code path} is null for kinds without one; {@code deadline} is when the attempt must be up, or
     * when the wait ends ({@link DatagramCore#NO_TIMEOUT} when none); {@code attempt} counts rebuilds since the link
     * was last up (0 for the opening and ICE restarts); {@code fallback} marks a relay-only attempt made because
     * direct did not come up.
     */
    public record Action(Kind kind, Path path, long deadline, int attempt, boolean fallback, String reason) {
    }

    /** The machine's state. */
    public enum State { IDLE, CONNECTING, UP, RESTARTING, WAITING, ACCEPTOR_WAITING, GAVE_UP, CLOSED }

    /**
     * @param strategy              how a connection is opened
     * @param directTimeoutNanos    a direct attempt not up by then falls back to relay (default 5 s)
     * @param relayTimeoutNanos     a relay-only (or racing) attempt not up by then has failed (default 10 s)
     * @param iceRestartTimeoutNanos an ICE restart not up by then has failed (default 5 s)
     * @param backoffInitialNanos   first rebuild delay (default 1 s)
     * @param backoffMaxNanos       cap of the doubling (default 30 s)
     * @param jitter                each delay is shortened by a uniform random fraction in [0, jitter) (default 0.25)
     * @param maxRebuilds           rebuilds tried before giving up (default 5)
     * @param raceGraceNanos        race: how long the second path may take after the first is up (default 500 ms)
     * @param raceMarginNanos       race: relay is kept only when its RTT is lower than direct's by more (default 10 ms)
     */
    public record Config(Strategy strategy, long directTimeoutNanos, long relayTimeoutNanos,
                         long iceRestartTimeoutNanos, long backoffInitialNanos, long backoffMaxNanos, double jitter,
                         int maxRebuilds, long raceGraceNanos, long raceMarginNanos) {

        public Config {
            if (strategy == null || directTimeoutNanos <= 0 || relayTimeoutNanos <= 0 || iceRestartTimeoutNanos <= 0
                    || backoffInitialNanos <= 0 || backoffMaxNanos < backoffInitialNanos || !(jitter >= 0 && jitter < 1)
                    || maxRebuilds < 0 || raceGraceNanos < 0 || raceMarginNanos < 0) {
                throw new IllegalArgumentException("bad link recovery config");
            }
        }

        public static Config defaults() {
            return new Config(Strategy.DIRECT_THEN_RELAY, 5_000_000_000L, 10_000_000_000L, 5_000_000_000L,
                    1_000_000_000L, 30_000_000_000L, 0.25, 5, 500_000_000L, 10_000_000L);
        }

        public Config withStrategy(Strategy s) {
            return new Config(s, directTimeoutNanos, relayTimeoutNanos, iceRestartTimeoutNanos, backoffInitialNanos,
                    backoffMaxNanos, jitter, maxRebuilds, raceGraceNanos, raceMarginNanos);
        }

        public Config withDirectTimeout(Duration d) {
            return new Config(strategy, d.toNanos(), relayTimeoutNanos, iceRestartTimeoutNanos, backoffInitialNanos,
                    backoffMaxNanos, jitter, maxRebuilds, raceGraceNanos, raceMarginNanos);
        }

        public Config withMaxRebuilds(int n) {
            return new Config(strategy, directTimeoutNanos, relayTimeoutNanos, iceRestartTimeoutNanos,
                    backoffInitialNanos, backoffMaxNanos, jitter, n, raceGraceNanos, raceMarginNanos);
        }

        /** The nominal (unjittered) delay before rebuild {@code n} (0-based): initial doubling, capped. */
        public long nominalBackoff(int n) {
            long d = backoffInitialNanos;
            for (int i = 0; i < n && d < backoffMaxNanos; i++) {
                d *= 2;
            }
            return Math.min(d, backoffMaxNanos);
        }

        /**
         * The longest a repair by the opener can take: the ICE restart, then every rebuild's nominal backoff and its
         * slowest opening. The accepting side waits this long for the opener before giving up.
         */
        public long acceptorWaitNanos() {
            long opening = switch (strategy) {
                case DIRECT_THEN_RELAY -> directTimeoutNanos + relayTimeoutNanos;
                case RELAY_ONLY, RACE -> relayTimeoutNanos + raceGraceNanos;
            };
            long total = iceRestartTimeoutNanos;
            for (int i = 0; i < maxRebuilds; i++) {
                total += nominalBackoff(i) + opening;
            }
            return total;
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private final ArrayDeque<Action> actions = new ArrayDeque<>();
    /** One timer per path: it runs while an attempt over that path is in flight, which must be up before it expires. */
    private final Map<Path, Timer> attempts = new EnumMap<>(Map.of(
            Path.DIRECT, timer("direct-attempt"), Path.RELAY, timer("relay-attempt")));
    /** RESTARTING: the ICE restart must be up before it expires. */
    private final Timer iceRestart = timer("ice-restart");
    /** ACCEPTOR_WAITING: the opener must have repaired the link before it expires. */
    private final Timer acceptorWait = timer("acceptor-wait");
    /** WAITING: the next rebuild starts when it expires. */
    private final Timer rebuildBackoff = timer("rebuild-backoff");
    /** CONNECTING, racing: runs once one path is up; the race ends when it expires. */
    private final Timer raceGrace = timer("race-grace");
    /** Race: paths up, with their RTT (-1 unknown). */
    private final Map<Path, Long> raceUp = new EnumMap<>(Path.class);
    private State state = State.IDLE;
    private long now;
    private long procedureStart;
    private int rebuilds;
    private boolean acceptor; // the remote opened the link: it repairs, this side waits
    private boolean opened; // the link was up at least once (repairs rebuild; a failed opening gives up)
    private Path current;

    /** A machine for one link; {@code seed} drives the backoff jitter (same seed, same schedule). */
    public LinkRecovery(Config config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    public State state() {
        return state;
    }

    /** The path the link is up over, or null. */
    public Path path() {
        return state == State.UP ? current : null;
    }

    private void advance(long t) {
        if (t > now) {
            now = t;
        }
    }

    /** Opens the link (this side initiates): the first attempts follow. Only from IDLE. */
    public void connect(long nowNanos) {
        advance(nowNanos);
        if (state != State.IDLE) {
            throw new IllegalStateException("connect in state " + state);
        }
        open("opening");
    }

    /** The remote opened this link and it is up over {@code path}: this side never restarts or rebuilds it. */
    public void accepted(long nowNanos, Path path) {
        advance(nowNanos);
        if (state != State.IDLE) {
            throw new IllegalStateException("accepted in state " + state);
        }
        acceptor = true;
        opened = true;
        current = path;
        state = State.UP;
        emit(Kind.USE, path, DatagramCore.NO_TIMEOUT, false, "accepted from the remote over " + path.label());
    }

    /** An attempt (or the ICE restart) over {@code path} is up, with its RTT in nanoseconds (-1 unknown). */
    public void up(long nowNanos, Path path, long rttNanos) {
        advance(nowNanos);
        switch (state) {
            case RESTARTING -> {
                if (path == current) {
                    done(path, "ICE restart repaired the link over " + path.label() + " in " + ms(now - procedureStart));
                }
            }
            case ACCEPTOR_WAITING -> done(path, "the remote repaired the link over " + path.label() + " after "
                    + ms(now - procedureStart));
            case CONNECTING -> {
                if (!stopAttempt(path)) {
                    return;
                }
                if (config.strategy() != Strategy.RACE) {
                    done(path, what() + " up over " + path.label() + " in " + ms(now - procedureStart));
                    return;
                }
                raceUp.put(path, rttNanos);
                if (!anyInFlight()) {
                    finishRace();
                } else if (raceUp.size() == 1) {
                    raceGrace.start(now, config.raceGraceNanos()); // the other path gets a grace period
                }
            }
            default -> {
            }
        }
    }

    /** The attempt (or the ICE restart) over {@code path} failed for good (ICE failed). */
    public void attemptFailed(long nowNanos, Path path) {
        advance(nowNanos);
        if (state == State.RESTARTING && path == current) {
            procedureFailed("ICE restart over " + path.label() + " failed after " + ms(now - procedureStart));
        } else if (state == State.CONNECTING && stopAttempt(path)) {
            pathFailed(path, path.label() + " attempt failed after " + ms(now - procedureStart));
        } else if (state == State.CONNECTING && raceUp.remove(path) != null) {
            // a racing path that came up and then failed is out of the race
            String why = path.label() + " failed after coming up";
            if (!raceUp.isEmpty() && !anyInFlight()) {
                finishRace();
            } else if (raceUp.isEmpty() && anyInFlight()) {
                raceGrace.stop(); // no grace period any more: the attempts' own deadlines count again
            } else if (raceUp.isEmpty()) {
                procedureFailed(what() + " failed: " + why);
            }
        }
    }

    /** The link that was up failed (ICE failed, or disconnected past the edge's patience). */
    public void linkFailed(long nowNanos) {
        advance(nowNanos);
        if (state != State.UP) {
            return;
        }
        procedureStart = now;
        if (acceptor) {
            state = State.ACCEPTOR_WAITING;
            acceptorWait.start(now, config.acceptorWaitNanos());
            return;
        }
        state = State.RESTARTING;
        iceRestart.start(now, config.iceRestartTimeoutNanos());
        emit(Kind.RESTART_ICE, current, iceRestart.deadline(), false, "link over " + current.label()
                + " failed: ICE restart");
    }

    /** The link is no longer wanted (closed by either side): nothing more is decided. */
    public void close(long nowNanos) {
        advance(nowNanos);
        for (Path p : Path.values()) {
            if (attempts.get(p).isRunning()) {
                emit(Kind.CANCEL, p, DatagramCore.NO_TIMEOUT, false, "link closed");
            }
        }
        stopTimers();
        raceUp.clear();
        state = State.CLOSED;
    }

    public void handleTimeout(long nowNanos) {
        advance(nowNanos);
        if (now < deadline()) {
            return;
        }
        switch (state) {
            case RESTARTING -> procedureFailed("ICE restart over " + current.label() + " not up within "
                    + ms(config.iceRestartTimeoutNanos()));
            case ACCEPTOR_WAITING -> giveUp("the remote did not repair the link within "
                    + ms(config.acceptorWaitNanos()));
            case WAITING -> {
                rebuilds++;
                open("rebuild " + rebuilds + " of " + config.maxRebuilds());
            }
            case CONNECTING -> {
                if (config.strategy() == Strategy.RACE && !raceUp.isEmpty()) {
                    finishRace();
                    return;
                }
                for (Path p : Path.values()) {
                    if (attempts.get(p).expired(now)) {
                        stopAttempt(p);
                        emit(Kind.CANCEL, p, DatagramCore.NO_TIMEOUT, false, p.label() + " attempt not up within "
                                + ms(now - procedureStart));
                        if (state == State.CONNECTING) {
                            pathFailed(p, p.label() + " not up within " + ms(now - procedureStart));
                        }
                    }
                }
            }
            default -> {
            }
        }
    }

    public long pollTimeout() {
        return deadline();
    }

    /** The next decision, or null. */
    public Action pollAction() {
        return actions.poll();
    }

    // ---- internals ----

    private static Timer timer(String name) {
        return new Timer(name, Timer.Backoff.FIXED, Long.MAX_VALUE, Timer.UNLIMITED);
    }

    /** The deadline of the timer the current state waits on, or {@link DatagramCore#NO_TIMEOUT}. */
    private long deadline() {
        return switch (state) {
            case RESTARTING -> iceRestart.deadline();
            case ACCEPTOR_WAITING -> acceptorWait.deadline();
            case WAITING -> rebuildBackoff.deadline();
            case CONNECTING -> raceGrace.isRunning() ? raceGrace.deadline() : minDeadline();
            default -> DatagramCore.NO_TIMEOUT;
        };
    }

    private boolean anyInFlight() {
        return attempts.get(Path.DIRECT).isRunning() || attempts.get(Path.RELAY).isRunning();
    }

    /** Ends the attempt over {@code p}; false if none was in flight. */
    private boolean stopAttempt(Path p) {
        Timer t = attempts.get(p);
        boolean running = t.isRunning();
        t.stop();
        return running;
    }

    /** On every change of state: only the new state's timers may run. */
    private void stopTimers() {
        for (Timer t : attempts.values()) {
            t.stop();
        }
        iceRestart.stop();
        acceptorWait.stop();
        rebuildBackoff.stop();
        raceGrace.stop();
    }

    private String what() {
        return rebuilds == 0 ? "opening" : "rebuild " + rebuilds;
    }

    private void open(String what) {
        state = State.CONNECTING;
        procedureStart = now;
        stopTimers();
        raceUp.clear();
        switch (config.strategy()) {
            case RELAY_ONLY -> attempt(Path.RELAY, config.relayTimeoutNanos(), false, what + ": relay-only by configuration");
            case RACE -> {
                attempt(Path.DIRECT, config.relayTimeoutNanos(), false, what + ": racing direct and relay");
                attempt(Path.RELAY, config.relayTimeoutNanos(), false, what + ": racing direct and relay");
            }
            case DIRECT_THEN_RELAY -> {
                if (rebuilds > 0 && current == Path.RELAY) {
                    attempt(Path.RELAY, config.relayTimeoutNanos(), false, what + ": relay-only, the link was relayed");
                } else {
                    attempt(Path.DIRECT, config.directTimeoutNanos(), false, what + ": direct first");
                }
            }
        }
    }

    private void attempt(Path p, long timeout, boolean fallback, String reason) {
        Timer t = attempts.get(p);
        t.start(now, timeout);
        emit(Kind.CONNECT, p, t.deadline(), fallback, reason);
    }

    /** The earliest deadline of the attempts in flight, or {@link DatagramCore#NO_TIMEOUT}. */
    private long minDeadline() {
        return Math.min(attempts.get(Path.DIRECT).deadline(), attempts.get(Path.RELAY).deadline());
    }

    /** One path of the current opening failed (already removed from the attempts in flight). */
    private void pathFailed(Path p, String why) {
        if (p == Path.DIRECT && config.strategy() == Strategy.DIRECT_THEN_RELAY) {
            attempt(Path.RELAY, config.relayTimeoutNanos(), true, why + ": falling back to relay-only (TURN)");
            return;
        }
        if (anyInFlight()) {
            return; // the race goes on over the other path, until its attempt's deadline
        }
        if (!raceUp.isEmpty()) {
            finishRace();
            return;
        }
        procedureFailed(what() + " failed: " + why);
    }

    private void finishRace() {
        Long direct = raceUp.get(Path.DIRECT);
        Long relay = raceUp.get(Path.RELAY);
        Path keep;
        String why;
        if (direct != null && relay != null) {
            boolean relayBetter = direct >= 0 && relay >= 0 && relay + config.raceMarginNanos() < direct;
            keep = relayBetter ? Path.RELAY : Path.DIRECT;
            why = "race: both up, direct rtt " + rtt(direct) + ", relay rtt " + rtt(relay) + ": keeping " + keep.label();
        } else {
            keep = direct != null ? Path.DIRECT : Path.RELAY;
            why = "race: only " + keep.label() + " up within the grace period";
        }
        for (Path p : Path.values()) {
            if (p != keep && (raceUp.containsKey(p) || attempts.get(p).isRunning())) {
                emit(Kind.CANCEL, p, DatagramCore.NO_TIMEOUT, false, why);
            }
        }
        stopTimers();
        raceUp.clear();
        done(keep, what() + " up over " + keep.label() + " in " + ms(now - procedureStart) + "; " + why);
    }

    private void done(Path p, String reason) {
        current = p;
        opened = true;
        rebuilds = 0;
        state = State.UP;
        stopTimers();
        emit(Kind.USE, p, DatagramCore.NO_TIMEOUT, false, reason);
    }

    private void procedureFailed(String why) {
        stopTimers();
        raceUp.clear();
        if (!opened) {
            giveUp(why + "; the overlay's retry list takes over");
            return;
        }
        if (rebuilds >= config.maxRebuilds()) {
            giveUp(why + "; " + config.maxRebuilds() + " rebuilds failed: replace from the passive view");
            return;
        }
        long nominal = config.nominalBackoff(rebuilds);
        long delay = nominal - (long) (nominal * config.jitter() * random.nextDouble());
        state = State.WAITING;
        rebuildBackoff.start(now, delay);
        emit(Kind.WAIT, null, rebuildBackoff.deadline(), false, why + "; rebuild " + (rebuilds + 1) + " of " + config.maxRebuilds()
                + " in " + ms(delay) + " (backoff " + ms(nominal) + " less jitter)");
    }

    private void giveUp(String why) {
        state = State.GAVE_UP;
        stopTimers();
        emit(Kind.GIVE_UP, null, DatagramCore.NO_TIMEOUT, false, why);
    }

    private void emit(Kind k, Path p, long d, boolean fallback, String reason) {
        actions.add(new Action(k, p, d, rebuilds, fallback, reason));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    private static String rtt(long nanos) {
        return nanos < 0 ? "unknown" : ms(nanos);
    }
}
