package io.aicredits.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local run's generated secrets (the gateway's JWT secret, the internal token): 32 random
 * bytes as hex in a file of the data dir, readable by its owner only, created on the first start
 * so they stay the same across restarts.
 */
final class LocalSecrets {

    private LocalSecrets() {
    }

    /** The value given (from the environment) when set, else the file's, generating it first when missing. */
    static String readOrCreate(Path dataDir, String fileName, String fromEnvironment, String what) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Path file = dataDir.resolve(fileName);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(dataDir);
                // Created owner-only before anything is written into it.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file, e);
        }
    }
}
