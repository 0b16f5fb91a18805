package io.jrtc.sctp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte vectors assembled by hand from the RFC diagrams (RFC 9260 §3.3, RFC 3758 §3.2, RFC 6525 §4, RFC 9653 §4):
 * each decodes to the expected fields and encodes back to the same bytes.
 */
class ChunkCodecVectorsTest {

    private static Chunk decode(String hex) throws ParseException {
        ByteBuffer b = ByteBuffer.wrap(Hex.decode(hex));
        Chunk c = Chunk.parse(b);
        assertThat(b.hasRemaining()).as("whole vector consumed").isFalse();
        return c;
    }

    private static void assertEncodesTo(Chunk c, String hex) {
        ByteBuffer out = ByteBuffer.allocate(c.encodedLength());
        c.writeTo(out);
        assertThat(out.hasRemaining()).isFalse();
        assertThat(Hex.encode(out.array())).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void dataChunkWithAllFlags() throws Exception {
        String hex = "00 07 00 14 00 00 00 01 00 05 00 07 00 00 00 33 61 62 63 64";
        DataChunk d = (DataChunk) decode(hex);
        assertThat(d.tsn()).isEqualTo(1);
        assertThat(d.streamId()).isEqualTo(5);
        assertThat(d.ssn()).isEqualTo(7);
        assertThat(d.ppid()).isEqualTo(51);
        assertThat(d.unordered()).isTrue();
        assertThat(d.beginning()).isTrue();
        assertThat(d.ending()).isTrue();
        assertThat(d.immediate()).isFalse();
        assertThat(new String(d.payload(), StandardCharsets.US_ASCII)).isEqualTo("abcd");
        assertEncodesTo(d, hex);
    }

    @Test
    void dataChunkIsPaddedToFourBytesAndLengthExcludesPadding() throws Exception {
        String hex = "00 0b 00 15 12 34 56 78 00 01 00 02 00 00 00 35 68 65 6c 6c 6f 00 00 00";
        DataChunk d = (DataChunk) decode(hex);
        assertThat(d.length()).isEqualTo(21);
        assertThat(d.encodedLength()).isEqualTo(24);
        assertThat(d.immediate()).isTrue();
        assertThat(d.unordered()).isFalse();
        assertThat(d.tsn()).isEqualTo(0x12345678L);
        assertEncodesTo(d, hex);
    }

    @Test
    void sackWithGapBlocksAndDuplicates() throws Exception {
        String hex = "03 00 00 1c 00 00 00 10 00 01 00 00 00 02 00 01 00 02 00 03 00 05 00 05 00 00 00 0e";
        SackChunk s = (SackChunk) decode(hex);
        assertThat(s.cumulativeTsnAck()).isEqualTo(16);
        assertThat(s.advertisedReceiverWindowCredit()).isEqualTo(65536);
        assertThat(s.gapAckBlocks()).containsExactly(new SackChunk.GapAckBlock(2, 3), new SackChunk.GapAckBlock(5, 5));
        assertThat(s.duplicateTsns()).containsExactly(14L);
        assertEncodesTo(s, hex);
    }

    @Test
    void initWithExtensionParameters() throws Exception {
        String hex = "01 00 00 26 01 02 03 04 00 10 00 00 04 00 08 00 0a 0b 0c 0d c0 00 00 04 80 01 00 08 00 00 00 01 80 08 00 06 82 c0 00 00";
        InitChunk i = (InitChunk) decode(hex);
        assertThat(i.initiateTag()).isEqualTo(0x01020304L);
        assertThat(i.advertisedReceiverWindowCredit()).isEqualTo(0x100000L);
        assertThat(i.outboundStreams()).isEqualTo(1024);
        assertThat(i.inboundStreams()).isEqualTo(2048);
        assertThat(i.initialTsn()).isEqualTo(0x0a0b0c0dL);
        assertThat(i.parameters()).containsExactly(new ForwardTsnSupportedParameter(),
                new ZeroChecksumAcceptableParameter(ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS),
                new SupportedExtensionsParameter(List.of(ChunkTypes.RE_CONFIG, ChunkTypes.FORWARD_TSN)));
        assertThat(i.length()).as("length leaves out the last parameter's padding").isEqualTo(38);
        assertEncodesTo(i, hex);
    }

    @Test
    void heartbeatAbortShutdownFamilyAndCookies() throws Exception {
        HeartbeatRequestChunk hb = (HeartbeatRequestChunk) decode("04 00 00 0c 00 01 00 08 de ad be ef");
        assertThat(Hex.encode(hb.info().info())).isEqualTo("deadbeef");
        assertEncodesTo(new HeartbeatAckChunk(hb.info()), "05 00 00 0c 00 01 00 08 de ad be ef");

        AbortChunk abort = (AbortChunk) decode("06 01 00 0b 00 0c 00 07 62 79 65 00");
        assertThat(abort.tagReflected()).isTrue();
        assertThat(abort.causes()).containsExactly(UserInitiatedAbortCause.of("bye"));
        assertThat(((UserInitiatedAbortCause) abort.causes().get(0)).reasonText()).isEqualTo("bye");
        assertEncodesTo(abort, "06 01 00 0b 00 0c 00 07 62 79 65 00");

        assertThat(decode("07 00 00 08 00 00 00 2a")).isEqualTo(new ShutdownChunk(42));
        assertThat(decode("08 00 00 04")).isEqualTo(new ShutdownAckChunk());
        assertThat(decode("0e 01 00 04")).isEqualTo(new ShutdownCompleteChunk(true));
        assertThat(decode("0e 00 00 04")).isEqualTo(new ShutdownCompleteChunk(false));
        assertThat(decode("0b 00 00 04")).isEqualTo(new CookieAckChunk());
        assertThat(decode("0a 00 00 08 01 02 03 04")).isEqualTo(new CookieEchoChunk(new byte[] {1, 2, 3, 4}));
        assertEncodesTo(new ShutdownCompleteChunk(true), "0e 01 00 04");
    }

    @Test
    void errorChunkWithStaleCookie() throws Exception {
        ErrorChunk e = (ErrorChunk) decode("09 00 00 0c 00 03 00 08 00 00 03 e8");
        assertThat(e.causes()).containsExactly(new StaleCookieCause(1000));
        assertEncodesTo(e, "09 00 00 0c 00 03 00 08 00 00 03 e8");
    }

    @Test
    void forwardTsnWithSkippedStreams() throws Exception {
        String hex = "c0 00 00 10 00 00 00 64 00 01 00 05 00 02 00 09";
        ForwardTsnChunk f = (ForwardTsnChunk) decode(hex);
        assertThat(f.newCumulativeTsn()).isEqualTo(100);
        assertThat(f.skippedStreams()).containsExactly(new ForwardTsnChunk.SkippedStream(1, 5), new ForwardTsnChunk.SkippedStream(2, 9));
        assertEncodesTo(f, hex);
    }

    @Test
    void reconfigOutgoingResetRequestAndResponse() throws Exception {
        String req = "82 00 00 1a 00 0d 00 16 00 00 00 01 00 00 00 00 00 00 00 64 00 01 00 02 00 03 00 00";
        ReConfigChunk r = (ReConfigChunk) decode(req);
        assertThat(r.parameters()).containsExactly(new OutgoingSsnResetRequestParameter(1, 0, 100, List.of(1, 2, 3)));
        assertEncodesTo(r, req);

        String resp = "82 00 00 10 00 10 00 0c 00 00 00 01 00 00 00 01";
        ReConfigChunk r2 = (ReConfigChunk) decode(resp);
        assertThat(r2.parameters()).containsExactly(
                ReconfigurationResponseParameter.of(1, ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED));
        assertEncodesTo(r2, resp);

        String withTsns = "82 00 00 18 00 10 00 14 00 00 00 07 00 00 00 06 00 00 00 0a 00 00 00 0b";
        ReconfigurationResponseParameter p = (ReconfigurationResponseParameter) ((ReConfigChunk) decode(withTsns)).parameters().get(0);
        assertThat(p).isEqualTo(new ReconfigurationResponseParameter(7, ReconfigurationResponseParameter.RESULT_IN_PROGRESS, true, 10, 11));
    }

    @Test
    void otherReconfigRequests() throws Exception {
        assertEncodesTo(new ReConfigChunk(List.of(new IncomingSsnResetRequestParameter(5, List.of(9)))),
                "82 00 00 0e 00 0e 00 0a 00 00 00 05 00 09 00 00");
        assertEncodesTo(new ReConfigChunk(List.of(new SsnTsnResetRequestParameter(5))), "82 00 00 0c 00 0f 00 08 00 00 00 05");
        assertEncodesTo(new ReConfigChunk(List.of(new AddOutgoingStreamsRequestParameter(5, 16))),
                "82 00 00 10 00 11 00 0c 00 00 00 05 00 10 00 00");
        assertEncodesTo(new ReConfigChunk(List.of(new AddIncomingStreamsRequestParameter(5, 16))),
                "82 00 00 10 00 12 00 0c 00 00 00 05 00 10 00 00");
    }

    @Test
    void unknownChunkKeepsTypeFlagsAndValueAndItsAction() throws Exception {
        UnknownChunk u = (UnknownChunk) decode("3f 12 00 06 78 79 00 00");
        assertThat(u.type()).isEqualTo(0x3f);
        assertThat(u.flags()).isEqualTo(0x12);
        assertThat(u.action()).isEqualTo(Chunk.UnrecognizedAction.STOP);
        assertThat(Hex.encode(u.rawBytes())).isEqualTo("3f1200067879");
        assertEncodesTo(u, "3f 12 00 06 78 79 00 00");
        assertThat(Chunk.unrecognizedAction(0x40)).isEqualTo(Chunk.UnrecognizedAction.STOP_AND_REPORT);
        assertThat(Chunk.unrecognizedAction(0x80)).isEqualTo(Chunk.UnrecognizedAction.SKIP);
        assertThat(Chunk.unrecognizedAction(0xC1)).isEqualTo(Chunk.UnrecognizedAction.SKIP_AND_REPORT);
        assertThat(Parameter.unrecognizedAction(0x0100)).isEqualTo(Parameter.UnrecognizedAction.STOP);
        assertThat(Parameter.unrecognizedAction(0x4100)).isEqualTo(Parameter.UnrecognizedAction.STOP_AND_REPORT);
        assertThat(Parameter.unrecognizedAction(0x8100)).isEqualTo(Parameter.UnrecognizedAction.SKIP);
        assertThat(Parameter.unrecognizedAction(0xC100)).isEqualTo(Parameter.UnrecognizedAction.SKIP_AND_REPORT);
    }

    @Test
    void nonZeroPaddingIsIgnoredAsRfc9260Requires() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Hex.decode("0a 00 00 05 01 ff ff ff 0b 00 00 04"));
        assertThat(Chunk.parse(b)).isEqualTo(new CookieEchoChunk(new byte[] {1}));
        assertThat(Chunk.parse(b)).isEqualTo(new CookieAckChunk());
    }

    @Test
    void aFinalChunkWithoutItsPaddingIsAccepted() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Hex.decode("0a 00 00 05 01"));
        assertThat(Chunk.parse(b)).isEqualTo(new CookieEchoChunk(new byte[] {1}));
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void errorCausesOfEveryKnownCode() throws Exception {
        List<ErrorCause> causes = List.of(new InvalidStreamIdentifierCause(7), new MissingMandatoryParameterCause(List.of(7, 9)),
                new StaleCookieCause(5), new OutOfResourceCause(), new UnresolvableAddressCause(new byte[] {0, 5, 0, 8, 1, 2, 3, 4}),
                new UnrecognizedChunkTypeCause(new byte[] {(byte) 0xff, 0, 0, 4}), new InvalidMandatoryParameterCause(),
                new UnrecognizedParametersCause(new byte[] {(byte) 0xc0, 9, 0, 4}), new NoUserDataCause(12),
                new CookieReceivedWhileShuttingDownCause(), new RestartWithNewAddressesCause(new byte[] {0, 5, 0, 8, 1, 2, 3, 4}),
                UserInitiatedAbortCause.of("done"), ProtocolViolationCause.of("bad"), new UnknownErrorCause(99, new byte[] {1, 2, 3}));
        ErrorChunk e = new ErrorChunk(causes);
        ByteBuffer out = ByteBuffer.allocate(e.encodedLength());
        e.writeTo(out);
        out.flip();
        assertThat(Chunk.parse(out)).isEqualTo(e);
        assertEncodesTo(new ErrorChunk(List.of(new InvalidStreamIdentifierCause(7))), "09 00 00 0c 00 01 00 08 00 07 00 00");
        assertEncodesTo(new ErrorChunk(List.of(new MissingMandatoryParameterCause(List.of(7)))),
                "09 00 00 0e 00 02 00 0a 00 00 00 01 00 07 00 00");
        assertEncodesTo(new ErrorChunk(List.of(new NoUserDataCause(0x10))), "09 00 00 0c 00 09 00 08 00 00 00 10");
    }

    @Test
    void parametersOfInitAck() throws Exception {
        List<Parameter> params = List.of(new StateCookieParameter(new byte[] {9, 8, 7}), new Ipv4AddressParameter(new byte[] {10, 0, 0, 1}),
                new Ipv6AddressParameter(new byte[16]), new CookiePreservativeParameter(1000), new HostNameAddressParameter(new byte[] {'h'}),
                new SupportedAddressTypesParameter(List.of(5, 6)), new UnrecognizedParameter(new byte[] {(byte) 0x80, 0x77, 0, 4}),
                new UnknownParameter(0x8077, new byte[] {1}), new HeartbeatInfoParameter(new byte[] {4}));
        InitAckChunk ack = new InitAckChunk(1, 2, 3, 4, 5, params);
        ByteBuffer out = ByteBuffer.allocate(ack.encodedLength());
        ack.writeTo(out);
        out.flip();
        assertThat(Chunk.parse(out)).isEqualTo(ack);
        ByteBuffer cookie = ByteBuffer.allocate(8);
        new StateCookieParameter(new byte[] {9, 8, 7}).writeTo(cookie);
        assertThat(Hex.encode(cookie.array())).isEqualTo("0007000709080700");
    }
}
