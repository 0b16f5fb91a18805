package io.jrtc.signaling.client;

import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test of {@link SignalingCodec#decode}: random bytes and mutated valid frames never throw anything
 * but ParseException, and everything that decodes re-encodes to something that decodes to the same record.
 */
class SignalingCodecFuzz {

    private static final List<String> SEEDS = List.of(
            "{\"type\":\"registered\",\"agent_id\":\"a1\",\"connected_agents\":[\"a2\"],\"ice_servers\":[{\"urls\":[\"stun:x\"]},{\"urls\":[\"turn:y\"],\"username\":\"1:a1\",\"credential\":\"c\"}],\"protocol_version\":1}",
            "{\"type\":\"offer\",\"to\":\"a2\",\"from\":\"a1\",\"sdp\":\"v=0\\r\\n\"}",
            "{\"type\":\"candidate\",\"to\":\"a2\",\"from\":\"a1\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
            "{\"type\":\"error\",\"code\":\"unknown_agent\",\"message\":\"m\",\"to\":\"x\"}",
            "{\"type\":\"agent_left\",\"agent_id\":\"z\"}",
            "{\"type\":\"candidates\",\"to\":\"a2\",\"from\":\"a1\",\"candidates\":[{\"candidate\":\"c1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},{\"candidate\":\"\",\"sdpMid\":null}]}");
    private static final String ALPHABET = "{}[]\":,0123456789-.eE tnulrfas\\\u00e9";

    @Test
    void arbitraryInputNeverEscapesAsAnUnexpectedException() throws Exception {
        SplittableRandom rnd = new SplittableRandom(4242);
        int decoded = 0;
        for (int i = 0; i < 30_000; i++) {
            String input;
            if (i % 2 == 0) {
                byte[] b = new byte[rnd.nextInt(0, 160)];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) rnd.nextInt(256);
                }
                input = new String(b, StandardCharsets.UTF_8);
            } else {
                StringBuilder sb = new StringBuilder(SEEDS.get(rnd.nextInt(SEEDS.size())));
                for (int k = rnd.nextInt(1, 4); k > 0 && !sb.isEmpty(); k--) {
                    int pos = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(pos);
                        case 1 -> sb.insert(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        default -> sb.setCharAt(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                }
                input = sb.toString();
            }
            SignalingMessage m;
            try {
                m = SignalingCodec.decode(input);
            } catch (ParseException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("unexpected " + e + " for " + input, e);
            }
            decoded++;
            if (!(m instanceof SignalingMessage.Unknown)) {
                assertThat(SignalingCodec.decode(SignalingCodec.encode(m))).isEqualTo(m);
            }
        }
        assertThat(decoded).isGreaterThan(200);
    }
}
