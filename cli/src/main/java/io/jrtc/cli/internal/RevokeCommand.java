package io.jrtc.cli.internal;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.Revocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jrtc revoke}: signs an operator revocation of a mesh agent's key (drill E) and prints it as one hex line. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Signs, with the operator's key, a revocation of one mesh agent's Ed25519 key, and prints it as "
                + "one line of hex (the form of a revocation file).",
                "Agents started with 'jrtc mesh --operator-key OPERATOR.pub --revocations FILE' apply the revocations "
                        + "in FILE at start and send them to every neighbour, which floods them to the whole mesh: "
                        + "every agent then drops the revoked agent's links and messages and refuses it."},
        footer = {"", "Example: jrtc revoke --operator-key operator.key --agent-key alice.key --reason 'laptop stolen' "
                + "--out revoked.hex",
                "Exit codes: 0 signed, 1 the operator key cannot be read, 2 usage error."})
public final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--operator-key", required = true, paramLabel = "FILE",
            description = "The operator's identity file (PRIVATE KEY and PUBLIC KEY blocks, as 'jrtc mesh' writes "
                    + "them); its public half is what agents trust (--operator-key of 'jrtc mesh').")
    Path operatorKey;

    @Option(names = "--agent-key", required = true, paramLabel = "KEY",
            description = "The revoked agent's public key: a file with a PEM PUBLIC KEY block (its identity file has "
                    + "one) or 64 hex digits.")
    String agentKey;

    @Option(names = "--reason", defaultValue = "key compromised", paramLabel = "TEXT",
            description = "Why, for the audit logs (at most 255 bytes of UTF-8; default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the line to FILE (a revocation file).")
    Path out;

    @Override
    public Integer call() {
        byte[] revoked = key(agentKey);
        if (reason.getBytes(StandardCharsets.UTF_8).length > Revocation.MAX_REASON_BYTES) {
            throw new ParameterException(spec.commandLine(), "--reason: at most 255 bytes of UTF-8");
        }
        Identity operator;
        try {
            operator = Identity.load(operatorKey);
        } catch (IOException | RuntimeException e) {
            throw new CliFailure("revoke: cannot use the operator key " + operatorKey + ": " + e.getMessage(), e);
        }
        Revocation r = Revocation.sign(operator, revoked, reason, System.currentTimeMillis());
        String line = HexFormat.of().formatHex(r.encode());
        if (out != null) {
            try {
                Files.writeString(out, line + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new CliFailure("revoke: cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        spec.commandLine().getOut().println(line);
        spec.commandLine().getErr().println("revoked agent " + AgentId.ofPublicKey(revoked) + " by operator "
                + operator.agentId() + ": " + reason);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private byte[] key(String text) {
        String hex = text.strip();
        if (hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(hex.toLowerCase());
        }
        try {
            return AuditCommand.Verify.readKey(Path.of(text));
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "--agent-key: neither 64 hex digits nor a file: " + text);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--agent-key " + text + ": " + e.getMessage());
        }
    }
}
