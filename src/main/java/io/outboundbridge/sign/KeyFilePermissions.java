package io.outboundbridge.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Whether a private key file is readable by others than its owner, as ssh checks before it uses one. */
public final class KeyFilePermissions {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFilePermissions() {
    }

    /** A warning naming the file and the fix when group or others can reach the key; empty when only its owner can. */
    public static Optional<String> warning(Path key) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(key);
            if (permissions.stream().noneMatch(OTHERS::contains)) {
                return Optional.empty();
            }
            return Optional.of("the private key " + key + " can be read by others than its owner ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): run chmod 600 " + key);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty(); // no POSIX permissions here, or no file: reading it says what is wrong
        }
    }
}
