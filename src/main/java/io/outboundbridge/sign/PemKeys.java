package io.outboundbridge.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSA keys from PEM files (PKCS#8 or PKCS#1 private keys, X.509 or PKCS#1 public keys) and writes them back
 * as PEM. Every problem is a {@link KeyFileException} naming the file and what is wrong with it.
 */
public final class PemKeys {

    /** Far above any RSA key: a bigger file is the wrong file, and reading it whole would only waste memory. */
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    private PemKeys() {
    }

    /** An RSA private key from a PEM file: {@code BEGIN PRIVATE KEY} (PKCS#8) or {@code BEGIN RSA PRIVATE KEY} (PKCS#1). */
    public static PrivateKey readPrivateKey(Path file) {
        Block block = read(file, "PRIVATE KEY", "RSA PRIVATE KEY");
        if (block == null) {
            throw new KeyFileException(file + ": " + wrongTypeForPrivate(file, firstType(file)));
        }
        byte[] der = block.der(file);
        byte[] pkcs8 = block.type.equals("RSA PRIVATE KEY") ? Der.pkcs1PrivateToPkcs8(der) : der;
        return (PrivateKey) decode(file, new PKCS8EncodedKeySpec(pkcs8), true);
    }

    /** An RSA public key from a PEM file: {@code BEGIN PUBLIC KEY} (X.509) or {@code BEGIN RSA PUBLIC KEY} (PKCS#1). */
    public static PublicKey readPublicKey(Path file) {
        Block block = read(file, "PUBLIC KEY", "RSA PUBLIC KEY");
        if (block == null) {
            throw new KeyFileException(file + ": " + wrongTypeForPublic(firstType(file)));
        }
        byte[] der = block.der(file);
        byte[] x509 = block.type.equals("RSA PUBLIC KEY") ? Der.pkcs1PublicToX509(der) : der;
        return (PublicKey) decode(file, new X509EncodedKeySpec(x509), false);
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), 64-character lines, ending with a newline. */
    public static String toPem(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key is not PKCS#8 encodable (format " + key.getFormat() + ")");
        }
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** X.509 PEM ({@code BEGIN PUBLIC KEY}), 64-character lines, ending with a newline. */
    public static String toPem(PublicKey key) {
        if (!"X.509".equals(key.getFormat())) {
            throw new IllegalArgumentException("public key is not X.509 encodable (format " + key.getFormat() + ")");
        }
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The first PEM block of one of the wanted types, or null when the file is PEM but holds none of them. */
    private static Block read(Path file, String... wanted) {
        String text = text(file);
        List<String> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(m.group(3))) {
                throw new KeyFileException(file + ": PEM block BEGIN " + m.group(1) + " ends with END " + m.group(3));
            }
            found.add(m.group(1));
            for (String w : wanted) {
                if (w.equals(m.group(1))) {
                    return new Block(w, m.group(2));
                }
            }
        }
        if (found.isEmpty()) {
            Matcher begin = BEGIN.matcher(text);
            if (begin.find()) {
                throw new KeyFileException(file + ": PEM block " + begin.group(1)
                        + " has no matching END line (truncated file?)");
            }
            throw new KeyFileException(file + ": not a PEM file (no '-----BEGIN ...-----' line); if it is a binary"
                    + " DER key, convert it with: openssl pkey -inform DER -in " + file + " -out key.pem");
        }
        return null;
    }

    private static String firstType(Path file) {
        Matcher m = BEGIN.matcher(text(file));
        return m.find() ? m.group(1) : "";
    }

    private static String text(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new KeyFileException(file + ": is a directory, not a key file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeyFileException(file + ": too large to be a key file (" + Files.size(file) + " bytes)");
            }
            // ISO-8859-1 maps every byte to a char, so binary junk reads without error and is reported as "not PEM"
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new KeyFileException(file + ": key file not found; make a key pair with `java -jar "
                    + "outbound-bridge.jar keygen --out " + (file.getParent() == null ? "." : file.getParent())
                    + "` and upload its public key to the vendor, or point vendor.private-key at your key", e);
        } catch (AccessDeniedException e) {
            throw new KeyFileException(file + ": key file not readable (permission denied)", e);
        } catch (IOException e) {
            throw new KeyFileException(file + ": cannot read key file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String wrongTypeForPrivate(Path file, String type) {
        switch (type) {
            case "ENCRYPTED PRIVATE KEY":
                return "encrypted private keys are not supported; write an unencrypted PKCS#8 copy (it asks for the"
                        + " passphrase) with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out private-key.pem, then chmod 600 private-key.pem";
            case "PUBLIC KEY":
            case "RSA PUBLIC KEY":
            case "CERTIFICATE":
                return "holds a " + type + ", not a private key; signing needs the private key";
            case "OPENSSH PRIVATE KEY":
                return "OpenSSH key format is not supported; convert a copy with: ssh-keygen -p -m PKCS8 -f <copy>";
            case "EC PRIVATE KEY":
            case "DSA PRIVATE KEY":
                return "holds an " + type + "; only RSA keys are supported";
            default:
                return "holds a PEM block of type '" + type + "'; expected PRIVATE KEY (PKCS#8) or RSA PRIVATE KEY (PKCS#1)";
        }
    }

    private static String wrongTypeForPublic(String type) {
        if (type.contains("PRIVATE KEY")) {
            return "holds a " + type + ", not a public key; derive the public key with:"
                    + " openssl pkey -in private-key.pem -pubout -out public-key.pem";
        }
        return "holds a PEM block of type '" + type + "'; expected PUBLIC KEY (X.509) or RSA PUBLIC KEY (PKCS#1)";
    }

    private static Object decode(Path file, KeySpec spec, boolean isPrivate) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return isPrivate ? rsa.generatePrivate(spec) : rsa.generatePublic(spec);
        } catch (InvalidKeySpecException | RuntimeException e) {
            // the cause's message is DER diagnostics only; the key bytes are never put in a message
            throw new KeyFileException(file + ": not a valid RSA " + (isPrivate ? "private" : "public")
                    + " key (malformed DER, or a key of another algorithm)", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no RSA KeyFactory", e);
        }
    }

    /** One PEM block: its type and its body (base64, possibly with RFC 1421 headers). */
    private record Block(String type, String body) {

        byte[] der(Path file) {
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new KeyFileException(file + ": encrypted private keys are not supported; write an unencrypted"
                        + " PKCS#8 copy (it asks for the passphrase) with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out private-key.pem, then chmod 600 private-key.pem");
            }
            String base64 = body.replaceAll("\\s+", "");
            if (base64.isEmpty()) {
                throw new KeyFileException(file + ": PEM block " + type + " is empty");
            }
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new KeyFileException(file + ": PEM block " + type + " is not valid base64");
            }
        }

        @Override
        public String toString() {
            return "Block[" + type + "]";
        }
    }
}
