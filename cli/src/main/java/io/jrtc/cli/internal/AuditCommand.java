package io.jrtc.cli.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.audit.AuditVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc audit}: tools for a mesh agent's audit log; {@code jrtc audit verify FILE}. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Verify.class,
        description = "Tools for a mesh agent's audit log (hash-chained JSON lines with Ed25519-signed checkpoints).")
public final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: verify");
    }

    /** {@code jrtc audit verify FILE [--key PUBKEYFILE | --agent ID] [--allow-unsigned-tail]}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks an audit log: every entry chained to the one before (SHA-256), sequence numbers "
                    + "consecutive, every checkpoint signed by the key named in the first entry, and that key the "
                    + "expected one if --key or --agent is given. Prints OK with the counts, or the first bad line "
                    + "and why (edited, deleted, reordered, bad signature, wrong key, malformed).",
                    "Entries after the last checkpoint are chained but signed by nothing (anyone could have appended "
                    + "them, and removing them cannot be detected): they fail as an unsigned tail unless "
                    + "--allow-unsigned-tail is given (the log of a running or crashed agent has one)."},
            footer = {"", "Exit codes: 0 verified, 1 the log does not verify (or cannot be read), 2 usage error."})
    public static final class Verify implements Callable<Integer> {

        /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows it. */
        private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The audit log.")
        Path file;

        @ArgGroup(exclusive = true)
        Expectation expectation;

        static final class Expectation {
            @Option(names = "--key", paramLabel = "PUBKEYFILE", description = "The agent's public key: its key file "
                    + "(a PEM PUBLIC KEY block, as in the mesh identity file) or 64 hex digits.")
            Path key;

            @Option(names = "--agent", paramLabel = "ID", description = "The agent id (32 hex digits) the log's key "
                    + "must belong to.")
            String agent;
        }

        @Option(names = "--allow-unsigned-tail", description = "Accept entries after the last checkpoint (still "
                + "reported).")
        boolean allowUnsignedTail;

        @Override
        public Integer call() {
            AuditVerifier.Expected expected = expected();
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + file);
            }
            AuditVerifier.Result r;
            try {
                r = AuditVerifier.verify(file, expected);
            } catch (IOException e) {
                throw new CliFailure("cannot read " + file + ": " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": " + r.describe());
            if (r.publicKeyHex() != null && r.status() != AuditVerifier.Status.BROKEN) {
                out.println("key " + r.publicKeyHex());
            }
            out.flush();
            return switch (r.status()) {
                case OK -> 0;
                case UNSIGNED_TAIL -> allowUnsignedTail ? 0 : 1;
                case BROKEN -> 1;
            };
        }

        private AuditVerifier.Expected expected() {
            if (expectation == null) {
                return AuditVerifier.Expected.ANY;
            }
            if (expectation.agent != null) {
                try {
                    return AuditVerifier.Expected.agent(AgentId.parse(expectation.agent.trim().toLowerCase()));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--agent: not an agent id (32 hex digits): "
                            + expectation.agent);
                }
            }
            try {
                return AuditVerifier.Expected.key(readKey(expectation.key));
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--key: no such file: " + expectation.key);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--key " + expectation.key + ": " + e.getMessage());
            }
        }

        /** A raw Ed25519 key from a file holding a PEM PUBLIC KEY block (perhaps among others) or 64 hex digits. */
        static byte[] readKey(Path path) throws IOException {
            String text = Files.readString(path, StandardCharsets.US_ASCII);
            byte[] spki = null;
            try (PemReader pem = new PemReader(new StringReader(text))) {
                for (PemObject o = pem.readPemObject(); o != null && spki == null; o = pem.readPemObject()) {
                    if (o.getType().equals("PUBLIC KEY")) {
                        spki = o.getContent();
                    }
                }
            } catch (DecoderException e) {
                throw new IllegalArgumentException("a PEM block is not valid base64", e);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
            }
            if (spki == null) {
                String hex = text.strip();
                if (hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    return HexFormat.of().parseHex(hex.toLowerCase());
                }
                throw new IllegalArgumentException("neither a PEM PUBLIC KEY block nor 64 hex digits");
            }
            if (spki.length != ED25519_SPKI_PREFIX.length + 32
                    || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                            ED25519_SPKI_PREFIX.length)) {
                throw new IllegalArgumentException("the PUBLIC KEY block is not an Ed25519 key");
            }
            return Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
        }
    }
}
