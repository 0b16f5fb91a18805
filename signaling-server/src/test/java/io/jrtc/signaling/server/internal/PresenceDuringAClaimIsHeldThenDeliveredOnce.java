package io.jrtc.signaling.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jrtc.common.TokenBucket;
import io.jrtc.signaling.server.RedisProcess;
import io.jrtc.signaling.server.SignalingServerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A presence event that reaches an instance while one of its agents' claims is in flight (claimed in Redis, the
 * answer not yet handled on the session's loop) is held, then written after the {@code registered} reply, and only
 * if that reply's list did not already reflect it. The session's loop is held by a task, so the order is forced.
 */
class PresenceDuringAClaimIsHeldThenDeliveredOnce {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJoinDuringTheClaimFollowsTheRegisteredReplyAndAStaleOneDoesNot() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try (RedisProcess redis = RedisProcess.start()) {
            SignalingServerConfig config = SignalingServerConfig.builder().redisUri(redis.uri())
                    .redisKeyPrefix(prefix).instanceId("B").presenceTtl(Duration.ofSeconds(2)).build();
            Hub hub = new Hub(config, Clock.systemUTC());
            RedisBackbone backbone = new RedisBackbone(redis.uri(), prefix, "B", Duration.ofSeconds(2), hub);
            backbone.start();
            hub.attachRedis(backbone);
            try {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                CompletableFuture<Channel> accepted = new CompletableFuture<>();
                LocalAddress address = new LocalAddress("presence-" + prefix);
                new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                        .childHandler(new ChannelInitializer<LocalChannel>() {
                            @Override
                            protected void initChannel(LocalChannel ch) {
                                accepted.complete(ch);
                            }
                        }).bind(address).sync();
                new Bootstrap().group(group).channel(LocalChannel.class)
                        .handler(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                received.add(f.text());
                            }
                        }).connect(address).sync();
                Channel ch = accepted.get(5, TimeUnit.SECONDS);
                Session s = new Session(ch, hub.metrics(), new TokenBucket(1000, 1000), 1 << 20);
                hub.onOpen(s);

                CountDownLatch loopHeld = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                ch.eventLoop().execute(() -> {
                    loopHeld.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(loopHeld.await(5, TimeUnit.SECONDS)).isTrue();
                hub.onRegister(s, new InboundMessage.Register("b1", null, Set.of(), null, null));
                awaitTrue(() -> "B".equals(cmd(redis, "GET", prefix + "agent:b1")), "the claim ran in Redis");
                assertThat(s.state()).isEqualTo(Session.State.CLAIMING);

                String b1Joined = cmd(redis, "GET", prefix + "presence:seq");
                // one the reply reflects (numbered at or before the claim), one after it
                cmd(redis, "PUBLISH", prefix + "presence", "joined\nstale\nA\n" + b1Joined);
                String next = cmd(redis, "INCR", prefix + "presence:seq");
                cmd(redis, "PUBLISH", prefix + "presence", "joined\nc9\nA\n" + next);
                // b1's own join, the stale one and c9's have all been handled (and held) on Redis's thread
                awaitTrue(() -> hub.metrics().registry().get("jrtc.signaling.presence.events")
                        .tag("event", "joined").counter().count() == 3.0, "three joins handled");
                assertThat(s.state()).as("still claiming: the answer waits behind the held loop")
                        .isEqualTo(Session.State.CLAIMING);
                release.countDown();

                JsonNode registered = next(received);
                assertThat(registered.get("type").asText()).isEqualTo("registered");
                assertThat(registered.get("connected_agents")).isEmpty();
                JsonNode joined = next(received);
                assertThat(joined).isEqualTo(JSON.readTree("{\"type\":\"agent_joined\",\"agent_id\":\"c9\"}"));
                assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the stale join is not written").isNull();
                assertThat(s.state()).isEqualTo(Session.State.REGISTERED);
            } finally {
                backbone.close();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static JsonNode next(BlockingQueue<String> received) throws Exception {
        String text = received.poll(5, TimeUnit.SECONDS);
        assertThat(text).as("a message within 5 s").isNotNull();
        return JSON.readTree(text);
    }

    private static String cmd(RedisProcess redis, String... args) {
        try {
            return redis.command(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting until " + what).isNegative();
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
