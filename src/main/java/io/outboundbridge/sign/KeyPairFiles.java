package io.outboundbridge.sign;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/** Generates the tenant's RSA-2048 key pair into a folder: the private key owner-only, the public key to upload. */
public final class KeyPairFiles {

    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    private static final int BITS = 2048;

    private KeyPairFiles() {
    }

    /**
     * Writes {@code private-key.pem} (PKCS#8, created rw------- so it is never readable by others, not even for a
     * moment) and {@code public-key.pem}. Refuses to overwrite either file: a lost private key cannot be recovered.
     */
    public static GeneratedKeys generate(Path outDir) {
        Path privateFile = outDir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = outDir.resolve(PUBLIC_KEY_FILE);
        for (Path f : new Path[] {privateFile, publicFile}) {
            if (Files.exists(f)) {
                throw refuse(f);
            }
        }
        KeyPair pair = newPair();
        String publicPem = PemKeys.toPem(pair.getPublic());
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new KeyFileException(outDir + ": cannot create the key folder (" + e.getClass().getSimpleName() + ")", e);
        }
        write(privateFile, PemKeys.toPem(pair.getPrivate()), true);
        write(publicFile, publicPem, false);
        return new GeneratedKeys(privateFile, publicFile, publicPem,
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no RSA KeyPairGenerator", e);
        }
    }

    private static void write(Path file, String pem, boolean ownerOnly) {
        // without POSIX permissions (Windows) the file gets the folder's ACL: keep keys in a folder only you can read
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = ownerOnly && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        // CREATE_NEW: also refuses a file that appeared since the check above
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes))) {
            out.write(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            throw refuse(file);
        } catch (IOException e) {
            throw new KeyFileException(file + ": cannot write key file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static KeyFileException refuse(Path file) {
        return new KeyFileException(file + ": already exists; refusing to overwrite a key file (move it away or"
                + " choose another folder)");
    }
}
