package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Counted lists of agent ids and message ids, shared by the frames that carry them. */
final class WireLists {

    /** At most this many entries in one list; a frame stays far below a data-channel message limit. */
    static final int MAX_IDS = 255;
    static final int MAX_MESSAGE_IDS = 2048;

    private WireLists() {
    }

    static List<AgentId> readAgents(ByteBuffer in, String element) throws ParseException {
        ParseException.requireLength(element, in.remaining(), 1);
        int n = in.get() & 0xff;
        ParseException.requireLength(element, in.remaining(), n * AgentId.LENGTH);
        List<AgentId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(AgentId.read(in));
        }
        return List.copyOf(ids);
    }

    static void writeAgents(ByteBuffer out, List<AgentId> ids) {
        out.put((byte) ids.size());
        for (AgentId id : ids) {
            id.writeTo(out);
        }
    }

    static List<MessageId> readMessages(ByteBuffer in, String element, boolean allowEmpty) throws ParseException {
        ParseException.requireLength(element, in.remaining(), 2);
        int n = in.getShort() & 0xffff;
        if ((n == 0 && !allowEmpty) || n > MAX_MESSAGE_IDS) {
            throw new ParseException(ParseError.INVALID_VALUE, element + " with " + n + " message ids");
        }
        ParseException.requireLength(element, in.remaining(), n * MessageId.LENGTH);
        List<MessageId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(MessageId.read(in));
        }
        return List.copyOf(ids);
    }

    static void writeMessages(ByteBuffer out, List<MessageId> ids) {
        out.putShort((short) ids.size());
        for (MessageId id : ids) {
            id.writeTo(out);
        }
    }

    static void checkAgents(List<AgentId> ids) {
        if (ids.size() > MAX_IDS) {
            throw new IllegalArgumentException(ids.size() + " agent ids in one frame, at most " + MAX_IDS);
        }
    }

    static void checkMessages(List<MessageId> ids, boolean allowEmpty) {
        if ((ids.isEmpty() && !allowEmpty) || ids.size() > MAX_MESSAGE_IDS) {
            throw new IllegalArgumentException(ids.size() + " message ids in one frame, " + (allowEmpty ? 0 : 1) + ".."
                    + MAX_MESSAGE_IDS);
        }
    }
}
