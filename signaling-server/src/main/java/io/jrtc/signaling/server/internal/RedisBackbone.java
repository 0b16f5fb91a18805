package io.jrtc.signaling.server.internal;

import io.jrtc.signaling.server.DuplicateIdPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared backbone that turns several server instances into one signaling space (Lettuce, async API
 * only, so nothing here blocks a Netty event loop except {@link #start()} and {@link #close()}, which run on
 * the caller's thread).
 *
 * <p>Redis layout, all under the configured prefix {@code P} (default {@code jrtc:sig:}):
 * <ul>
 *   <li>{@code P agent:<id>} = owning instance id, with a PX TTL refreshed by each instance's heartbeat;</li>
 *   <li>{@code P presence} = sorted set, member agent id, score = expiry in Redis server milliseconds;</li>
 *   <li>channel {@code P inst:<instance>}: relayed messages ({@code relay}; {@code relayb} for a candidates
 *       batch, which the delivering instance unrolls if its recipient needs single candidates), errors and
 *       take-over kicks for that instance;</li>
 *   <li>{@code P presence:seq} = the number of the last presence event, started from Redis's clock in microseconds
 *       whenever the key is missing (a Redis that restarted empty numbers on from above every number it gave
 *       before);</li>
 *   <li>channel {@code P presence}: {@code joined}/{@code left} events for every instance, each with its number. A
 *       claim returns the number of the last event it saw with its list of live agents, so an instance drops the
 *       events already reflected in that list instead of announcing an agent twice.</li>
 * </ul>
 * Every multi-step change is one Lua script, so it is atomic; scripts read the clock with {@code TIME}, so
 * all instances share Redis's clock. Scripts touch keys derived from arguments: this needs a single Redis
 * (or primary/replica), not Redis Cluster.
 */
public final class RedisBackbone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBackbone.class);

    /** Receives what other instances send to this one. Called on Lettuce threads. */
    public interface Listener {
        /**
         * {@code seq}: the event's number; {@link Long#MAX_VALUE} when the sender did not number it (an older
         * instance).
         */
        void onPresence(boolean joined, String agentId, long seq);

        /** {@code batch}: the payload is a {@code candidates} batch (envelope {@code relayb}, revision 3). */
        void onRelay(String to, String from, String originInstance, String payload, boolean batch);

        void onError(String toAgent, String payload);

        void onKick(String agentId, String newOwner);

        /**
         * The presence channel's subscription is confirmed: {@code again} false the first time, true after Lettuce
         * reconnected and subscribed again (events published in between were lost for this instance).
         */
        default void onSubscribed(boolean again) {
        }
    }

    /** The live agents once every presence event up to {@code seq} had happened (see {@link #presenceSnapshot()}). */
    public record PresenceSnapshot(long seq, List<String> live) {
    }

    /**
     * The outcome of a registration claim. {@code presenceSeq}: the number of the last presence event that
     * {@code liveAgents} already reflects (0 when there has been none).
     */
    public record Claim(boolean ok, String previousOwner, List<String> liveAgents, long presenceSeq) {
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * Numbers the next presence event. A missing counter starts at Redis's clock in microseconds, kept as a string
     * (Lua's numbers would print it as {@code 1.7e+15}).
     */
    private static final String NEXT_SEQ = """
            local function nextseq(k)
              if redis.call('EXISTS', k) == 0 then
                local t = redis.call('TIME')
                redis.call('SET', k, t[1] .. string.format('%06d', tonumber(t[2])))
              end
              redis.call('INCR', k)
              return redis.call('GET', k)
            end
            """;

    /**
     * KEYS: agentKey, presenceZset, presenceSeq. ARGV: instance, ttlMs, policy, agentId, presenceChannel,
     * instChannelPrefix. Returns {ok|taken, previous owner, live agents, number of the last presence event}.
     * Under REFUSE, an id whose owning instance no longer listens on its channel (it died; its key has not expired
     * yet) is taken over, so an agent of a killed instance re-registers elsewhere at once instead of after the TTL.
     */
    static final String CLAIM = NOW + NEXT_SEQ + """
            local cur = redis.call('GET', KEYS[1])
            if cur and cur ~= ARGV[1] and ARGV[3] == 'refuse' then
              local subs = redis.call('PUBSUB', 'NUMSUB', ARGV[6] .. cur)
              if tonumber(subs[2]) > 0 then
                return {'taken', cur}
              end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[4])
            if not cur then
              local seq = nextseq(KEYS[3])
              redis.call('PUBLISH', ARGV[5], 'joined\\n' .. ARGV[4] .. '\\n' .. ARGV[1] .. '\\n' .. seq)
            elseif cur ~= ARGV[1] then
              redis.call('PUBLISH', ARGV[6] .. cur, 'kick\\n' .. ARGV[4] .. '\\n' .. ARGV[1])
            end
            local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')
            return {'ok', cur or '', live, redis.call('GET', KEYS[3]) or '0'}
            """;

    /** KEYS: agentKey, presenceZset, presenceSeq. ARGV: instance, agentId, presenceChannel. */
    static final String RELEASE = NEXT_SEQ + """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[2])
              redis.call('PUBLISH', ARGV[3], 'left\\n' .. ARGV[2] .. '\\n' .. ARGV[1] .. '\\n' .. nextseq(KEYS[3]))
              return 1
            end
            return 0
            """;

    /** KEYS: presenceZset, presenceSeq. Returns {number of the last presence event, live agents}, read atomically. */
    static final String SNAPSHOT = NOW + """
            return {redis.call('GET', KEYS[2]) or '0', redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')}
            """;

    /** KEYS: targetAgentKey. ARGV: instChannelPrefix, envelope. -1 = unknown, else number of receivers. */
    static final String RELAY = """
            local owner = redis.call('GET', KEYS[1])
            if not owner then return -1 end
            return redis.call('PUBLISH', ARGV[1] .. owner, ARGV[2])
            """;

    /**
     * KEYS: presenceZset, presenceSeq. ARGV: instance, ttlMs, keyPrefix, presenceChannel, id... Returns ids lost.
     */
    static final String HEARTBEAT = NOW + NEXT_SEQ + """
            local ttl = tonumber(ARGV[2])
            local lost = {}
            for i = 5, #ARGV do
              local id = ARGV[i]
              local k = ARGV[3] .. 'agent:' .. id
              local cur = redis.call('GET', k)
              if cur == ARGV[1] then
                redis.call('PEXPIRE', k, ttl)
                redis.call('ZADD', KEYS[1], now + ttl, id)
              elseif not cur then
                redis.call('SET', k, ARGV[1], 'PX', ttl)
                local had = redis.call('ZSCORE', KEYS[1], id)
                redis.call('ZADD', KEYS[1], now + ttl, id)
                if not had then
                  redis.call('PUBLISH', ARGV[4], 'joined\\n' .. id .. '\\n' .. ARGV[1] .. '\\n' .. nextseq(KEYS[2]))
                end
              else
                table.insert(lost, id)
              end
            end
            return lost
            """;

    /**
     * KEYS: presenceZset, presenceSeq. ARGV: keyPrefix, presenceChannel. Returns ids reaped (agent_left published).
     */
    static final String REAP = NOW + NEXT_SEQ + """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
            local gone = {}
            for _, id in ipairs(expired) do
              if redis.call('EXISTS', ARGV[1] .. 'agent:' .. id) == 0 then
                redis.call('ZREM', KEYS[1], id)
                redis.call('PUBLISH', ARGV[2], 'left\\n' .. id .. '\\nexpired\\n' .. nextseq(KEYS[2]))
                table.insert(gone, id)
              end
            end
            return gone
            """;

    private final String uri;
    private final String prefix;
    private final String instanceId;
    private final long ttlMs;
    private final Listener listener;
    private final String presenceKey;
    private final String presenceSeqKey;
    private final String presenceChannel;
    private final String instPrefix;
    private final String myChannel;

    private ClientResources resources;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisPubSubConnection<String, String> pubsub;
    private RedisAsyncCommands<String, String> async;
    private final java.util.concurrent.atomic.AtomicBoolean subscribedOnce = new java.util.concurrent.atomic.AtomicBoolean();

    public RedisBackbone(String uri, String prefix, String instanceId, Duration ttl, Listener listener) {
        this.uri = uri;
        this.prefix = prefix;
        this.instanceId = instanceId;
        this.ttlMs = ttl.toMillis();
        this.listener = listener;
        this.presenceKey = prefix + "presence";
        this.presenceSeqKey = prefix + "presence:seq";
        this.presenceChannel = prefix + "presence";
        this.instPrefix = prefix + "inst:";
        this.myChannel = instPrefix + instanceId;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Connects and subscribes. Blocking: call it off any event loop. */
    public void start() {
        // Reconnect attempts every 100 ms doubling to at most 1 s (Lettuce's default grows to 30 s): after an outage the
        // instance rejoins within a second of Redis being back.
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(3)))
                .build());
        try {
            connection = client.connect();
            async = connection.async();
            pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    dispatch(channel, message);
                }

                @Override
                public void subscribed(String channel, long count) {
                    if (channel.equals(presenceChannel)) {
                        boolean again = subscribedOnce.getAndSet(true);
                        if (again) {
                            LOG.info("subscribed to Redis presence again after a reconnect; events published "
                                    + "meanwhile are looked for");
                        }
                        listener.onSubscribed(again);
                    }
                }
            });
            pubsub.sync().subscribe(myChannel, presenceChannel);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("joined the Redis signaling space at {} as instance {} (presence TTL {} ms)",
                RedisURI.create(uri).toString(), instanceId, ttlMs);
    }

    private void dispatch(String channel, String message) {
        try {
            String[] f = message.split("\n", 5);
            if (channel.equals(presenceChannel)) {
                if (f.length >= 2 && (f[0].equals("joined") || f[0].equals("left"))) {
                    listener.onPresence(f[0].equals("joined"), f[1],
                            f.length >= 4 ? Long.parseLong(f[3]) : Long.MAX_VALUE);
                    return;
                }
            } else if (channel.equals(myChannel)) {
                switch (f[0]) {
                    case "relay", "relayb" -> {
                        if (f.length == 5) {
                            listener.onRelay(f[1], f[2], f[3], f[4], f[0].equals("relayb"));
                            return;
                        }
                    }
                    case "error" -> {
                        String[] e = message.split("\n", 3);
                        if (e.length == 3) {
                            listener.onError(e[1], e[2]);
                            return;
                        }
                    }
                    case "kick" -> {
                        if (f.length >= 3) {
                            listener.onKick(f[1], f[2]);
                            return;
                        }
                    }
                    default -> { }
                }
            }
            LOG.warn("ignoring a malformed backbone message on {} ({} chars)", channel, message.length());
        } catch (RuntimeException e) {
            LOG.warn("backbone message on {} could not be handled", channel, e);
        }
    }

    private String agentKey(String id) {
        return prefix + "agent:" + id;
    }

    /** Claims {@code agentId} for this instance; publishes joined (new) or a kick (take-over). */
    public CompletableFuture<Claim> claim(String agentId, DuplicateIdPolicy policy) {
        String[] keys = {agentKey(agentId), presenceKey, presenceSeqKey};
        return async.<List<Object>>eval(CLAIM, ScriptOutputType.MULTI, keys, instanceId, Long.toString(ttlMs),
                        policy == DuplicateIdPolicy.REFUSE ? "refuse" : "take_over", agentId, presenceChannel,
                        instPrefix)
                .toCompletableFuture()
                .thenApply(r -> {
                    boolean ok = "ok".equals(r.get(0));
                    String prev = r.size() > 1 ? (String) r.get(1) : "";
                    List<String> live = ok && r.size() > 2 ? ids(r.get(2)) : new ArrayList<>();
                    long seq = ok && r.size() > 3 ? Long.parseLong((String) r.get(3)) : 0;
                    return new Claim(ok, prev == null || prev.isEmpty() ? null : prev, live, seq);
                });
    }

    /** Releases {@code agentId} if this instance still owns it; publishes left. Result: 1 released, 0 not. */
    public CompletableFuture<Long> release(String agentId) {
        String[] keys = {agentKey(agentId), presenceKey, presenceSeqKey};
        return async.<Long>eval(RELEASE, ScriptOutputType.INTEGER, keys, instanceId, agentId, presenceChannel)
                .toCompletableFuture();
    }

    /** Publishes a relayed message to the instance owning {@code to}: -1 unknown, 0 owner gone, else delivered. */
    public CompletableFuture<Long> relay(String to, String from, String payload, boolean batch) {
        String envelope = (batch ? "relayb\n" : "relay\n") + to + "\n" + from + "\n" + instanceId + "\n" + payload;
        return async.<Long>eval(RELAY, ScriptOutputType.INTEGER, new String[] {agentKey(to)}, instPrefix, envelope)
                .toCompletableFuture();
    }

    /** Sends an error reply for {@code toAgent} back to the instance it is on. Fire and forget. */
    public void publishError(String instance, String toAgent, String payload) {
        async.publish(instPrefix + instance, "error\n" + toAgent + "\n" + payload).exceptionally(e -> {
            LOG.warn("could not return an error to {} on instance {}: {}", toAgent, instance, e.toString());
            return 0L;
        });
    }

    /** Refreshes this instance's agents; returns those now owned by another instance. */
    public CompletableFuture<List<String>> heartbeat(Collection<String> ids) {
        List<CompletableFuture<List<Object>>> parts = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (String id : ids) {
            batch.add(id);
            if (batch.size() == 500) {
                parts.add(heartbeatBatch(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() || parts.isEmpty()) {
            parts.add(heartbeatBatch(batch));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> lost = new ArrayList<>();
            for (CompletableFuture<List<Object>> p : parts) {
                lost.addAll(ids(p.join()));
            }
            return lost;
        });
    }

    private CompletableFuture<List<Object>> heartbeatBatch(List<String> ids) {
        String[] args = new String[4 + ids.size()];
        args[0] = instanceId;
        args[1] = Long.toString(ttlMs);
        args[2] = prefix;
        args[3] = presenceChannel;
        for (int i = 0; i < ids.size(); i++) {
            args[4 + i] = ids.get(i);
        }
        return async.<List<Object>>eval(HEARTBEAT, ScriptOutputType.MULTI,
                        new String[] {presenceKey, presenceSeqKey}, args)
                .toCompletableFuture();
    }

    /** Removes expired agents (of crashed instances) and publishes left for each; returns their ids. */
    public CompletableFuture<List<String>> reap() {
        return async.<List<Object>>eval(REAP, ScriptOutputType.MULTI, new String[] {presenceKey, presenceSeqKey},
                        prefix, presenceChannel)
                .toCompletableFuture()
                .thenApply(RedisBackbone::ids);
    }

    /** Reads the live agents and the number of the last presence event they reflect, in one script. */
    public CompletableFuture<PresenceSnapshot> presenceSnapshot() {
        return async.<List<Object>>eval(SNAPSHOT, ScriptOutputType.MULTI, new String[] {presenceKey, presenceSeqKey})
                .toCompletableFuture()
                .thenApply(r -> new PresenceSnapshot(Long.parseLong((String) r.get(0)), ids(r.get(1))));
    }

    /**
     * How long after a sign of lost presence events to read the snapshot: one heartbeat period (a third of the TTL)
     * and two seconds, so that after a Redis restart every live instance has put its agents back (instances reconnect
     * at most a second apart, and a heartbeat comes within a period of that) before the snapshot is taken; sooner, it
     * would report them gone (and their next heartbeat would announce them again).
     */
    public long repairDelayMillis() {
        return heartbeatMillis() + 2000;
    }

    /** The heartbeat period: a third of the presence TTL (at least 100 ms). */
    public long heartbeatMillis() {
        return Math.max(100, ttlMs / 3);
    }

    /** A script's list reply (agent ids) as strings; empty when the reply is not a list. */
    private static List<String> ids(Object reply) {
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> l) {
            for (Object o : l) {
                out.add((String) o);
            }
        }
        return out;
    }

    /** Runs {@code task} on one of Lettuce's executor threads after {@code delayMillis}. */
    public void schedule(Runnable task, long delayMillis) {
        try {
            resources.eventExecutorGroup().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("not scheduled: the backbone is closing");
        }
    }

    /** Whether both Redis connections (commands and subscriptions) are up now. */
    public boolean connected() {
        StatefulRedisConnection<String, String> c = connection;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return c != null && p != null && c.isOpen() && p.isOpen();
    }

    /** Closes the connections without releasing anything (releases are the hub's job before this). */
    @Override
    public void close() {
        try {
            if (pubsub != null) {
                pubsub.close();
            }
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            if (resources != null) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            LOG.warn("error while closing the Redis backbone", e);
        }
    }
}
