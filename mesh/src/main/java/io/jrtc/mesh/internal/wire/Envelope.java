package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A signed mesh envelope (envelope version 2, mesh protocol version 4): what an agent originates and what other agents forward. Its id is
 * the pair (origin, sequence): the origin's agent id follows from the origin key and is not carried twice.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x10  |  Version = 2  |     Kind      |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hop limit   |     Hops      |        Payload length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Sequence (64 bits)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Origination time (64 bits: microseconds since the epoch)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Origin public key (32 bytes, raw Ed25519)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Destination agent id (16 bytes, only when flag D is set)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Payload (payload length bytes)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Signature (64 bytes, Ed25519)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags: 0x01 D (destination present), 0x02 A (acknowledgement requested), 0x04 U (unreliable: carried on the
 * unreliable channel class, never repaired); other bits are signed and kept. The origination time is the origin's
 * wall clock when it signed the envelope (receivers compute latency from it; it is signed, so no hop changes it).
 * Signed bytes: the ASCII context "jrtc-mesh/1" and a zero byte, then every byte from Type to the end of the
 * payload with Hops written as 0. Hops is the only field a forwarder changes.
 * </pre>
 */
public record Envelope(int version, int kind, int flags, int hopLimit, int hops, long sequence, long originTime,
                       byte[] originKey,
                       AgentId origin, AgentId destination, byte[] payload, byte[] signature) implements Frame {

    public static final int VERSION = 2;
    public static final int BROADCAST = 1;
    public static final int UNICAST = 2;
    /** Unicast; payload: the acknowledged sequence (8 bytes). */
    public static final int ACK = 3;
    /** Broadcast; payload: the agent id looked for (16 bytes). */
    public static final int ROUTE_REQUEST = 4;
    /** Unicast from the agent looked for back to the requester; empty payload. */
    public static final int ROUTE_REPLY = 5;
    /** Broadcast; payload: an operator's {@link io.jrtc.mesh.Revocation} (protocol version 3). */
    public static final int REVOCATION = 6;
    /** Unicast; payload: one chunk of a bulk transfer ({@code io.jrtc.mesh.internal.BulkChunk}), protocol version 4. */
    public static final int BULK = 7;

    public static final int FLAG_DESTINATION = 0x01;
    public static final int FLAG_ACK_REQUESTED = 0x02;
    public static final int FLAG_UNRELIABLE = 0x04;

    public static final int MAX_PAYLOAD = 0xffff;
    static final int HEADER = 24;
    private static final byte[] CONTEXT = "jrtc-mesh/1\0".getBytes(StandardCharsets.US_ASCII);

    public Envelope {
        if (originKey.length != Identity.PUBLIC_KEY_LENGTH || signature.length != Identity.SIGNATURE_LENGTH
                || payload.length > MAX_PAYLOAD || ((flags & FLAG_DESTINATION) != 0) != (destination != null)) {
            throw new IllegalArgumentException("inconsistent envelope fields");
        }
    }

    /** Builds and signs an envelope from {@code signer} with {@code hops = 0}. */
    public static Envelope create(MeshSigner signer, int kind, int flags, int hopLimit, long sequence,
                                  AgentId destination, byte[] payload) {
        return create(signer, kind, flags, hopLimit, sequence, 0, destination, payload);
    }

    /** Builds and signs an envelope originated at {@code originTime} (microseconds since the epoch), hops 0. */
    public static Envelope create(MeshSigner signer, int kind, int flags, int hopLimit, long sequence, long originTime,
                                  AgentId destination, byte[] payload) {
        int f = destination != null ? flags | FLAG_DESTINATION : flags & ~FLAG_DESTINATION;
        Envelope unsigned = new Envelope(VERSION, kind, f, hopLimit, 0, sequence, originTime, signer.publicKey(),
                signer.agentId(),
                destination, payload, new byte[Identity.SIGNATURE_LENGTH]);
        byte[] tbs = unsigned.signedBytes();
        return unsigned.withSignature(signer.sign(tbs, 0, tbs.length));
    }

    /** True when the signature verifies over {@link #signedBytes()} with the origin key. */
    public boolean verify(MeshVerifier verifier) {
        byte[] tbs = signedBytes();
        return verifier.verify(originKey, tbs, 0, tbs.length, signature);
    }

    /** The bytes the signature covers (see the class comment). */
    public byte[] signedBytes() {
        int len = encodedLength() - Identity.SIGNATURE_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(CONTEXT.length + len);
        b.put(CONTEXT);
        writeBody(b, 0);
        return b.array();
    }

    public MessageId id() {
        return new MessageId(origin, sequence);
    }

    public boolean isUnicast() {
        return destination != null;
    }

    public boolean ackRequested() {
        return (flags & FLAG_ACK_REQUESTED) != 0;
    }

    public boolean unreliable() {
        return (flags & FLAG_UNRELIABLE) != 0;
    }

    /** The channel class it travels on: BULK chunks on bulk, U-flagged envelopes on unreliable, others reliable. */
    public io.jrtc.mesh.ChannelClass channel() {
        return kind == BULK ? io.jrtc.mesh.ChannelClass.BULK
                : unreliable() ? io.jrtc.mesh.ChannelClass.UNRELIABLE : io.jrtc.mesh.ChannelClass.RELIABLE;
    }

    public Envelope withHops(int newHops) {
        return new Envelope(version, kind, flags, hopLimit, newHops, sequence, originTime, originKey, origin,
                destination, payload, signature);
    }

    private Envelope withSignature(byte[] sig) {
        return new Envelope(version, kind, flags, hopLimit, hops, sequence, originTime, originKey, origin, destination,
                payload, sig);
    }

    static Envelope parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, ENVELOPE, "ENVELOPE", HEADER);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new ParseException(ParseError.INVALID_VALUE, "ENVELOPE version " + version + ", this agent speaks " + VERSION);
        }
        int kind = in.get() & 0xff;
        int flags = in.get() & 0xff;
        int hopLimit = in.get() & 0xff;
        int hops = in.get() & 0xff;
        int payloadLength = in.getShort() & 0xffff;
        long sequence = in.getLong();
        long originTime = in.getLong();
        if (hopLimit == 0 || hops > hopLimit) {
            throw new ParseException(ParseError.INVALID_VALUE, "ENVELOPE hops " + hops + " over hop limit " + hopLimit);
        }
        boolean hasDestination = (flags & FLAG_DESTINATION) != 0;
        int rest = Identity.PUBLIC_KEY_LENGTH + (hasDestination ? AgentId.LENGTH : 0) + payloadLength
                + Identity.SIGNATURE_LENGTH;
        if (in.remaining() != rest) {
            throw new ParseException(ParseError.INVALID_LENGTH,
                    "ENVELOPE payload length " + payloadLength + " needs " + rest + " more bytes, " + in.remaining() + " present");
        }
        byte[] key = new byte[Identity.PUBLIC_KEY_LENGTH];
        in.get(key);
        AgentId destination = hasDestination ? AgentId.read(in) : null;
        byte[] payload = new byte[payloadLength];
        in.get(payload);
        byte[] sig = new byte[Identity.SIGNATURE_LENGTH];
        in.get(sig);
        return new Envelope(version, kind, flags, hopLimit, hops, sequence, originTime, key, AgentId.ofPublicKey(key),
                destination, payload, sig);
    }

    @Override
    public int type() {
        return ENVELOPE;
    }

    @Override
    public int encodedLength() {
        return HEADER + Identity.PUBLIC_KEY_LENGTH + (destination != null ? AgentId.LENGTH : 0) + payload.length
                + Identity.SIGNATURE_LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        writeBody(out, hops);
        out.put(signature);
    }

    private void writeBody(ByteBuffer out, int hopsField) {
        out.put((byte) ENVELOPE).put((byte) version).put((byte) kind).put((byte) flags)
                .put((byte) hopLimit).put((byte) hopsField).putShort((short) payload.length).putLong(sequence)
                .putLong(originTime);
        out.put(originKey);
        if (destination != null) {
            destination.writeTo(out);
        }
        out.put(payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && version == e.version && kind == e.kind && flags == e.flags
                && hopLimit == e.hopLimit && hops == e.hops && sequence == e.sequence && originTime == e.originTime
                && Arrays.equals(originKey, e.originKey) && java.util.Objects.equals(destination, e.destination)
                && Arrays.equals(payload, e.payload) && Arrays.equals(signature, e.signature);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Envelope[kind=" + kind + ", " + origin.shortString() + "/" + sequence + ", hops=" + hops + "/" + hopLimit
                + (destination != null ? ", to " + destination.shortString() : "") + ", " + payload.length + " B]";
    }
}
