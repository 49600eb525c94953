package io.junction.runtime.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificate chains and PKCS#8 private keys. Every failure is an
 * {@link IllegalArgumentException} whose message names the file and says what to do.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    /** The certificates of a PEM file, in file order (the leaf first, by convention). */
    static List<X509Certificate> certificates(Path file) {
        String text = read(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(text)) {
                if (!block.type.equals("CERTIFICATE")) {
                    continue;
                }
                Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(block.der(file)));
                chain.add((X509Certificate) certificate);
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("malformed certificate in " + file + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + file + "; expected PEM (-----BEGIN CERTIFICATE-----)"
                    + hint(text, "a certificate"));
        }
        return List.copyOf(chain);
    }

    /** The single unencrypted PKCS#8 private key of a PEM file. */
    static PrivateKey privateKey(Path file) {
        String text = read(file);
        List<Block> blocks = blocks(text);
        for (Block block : blocks) {
            switch (block.type) {
                case "PRIVATE KEY" -> {
                    return decode(block.der(file), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the key in " + file
                        + " is encrypted; Junction needs it unencrypted: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out plain.key");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("the key in " + file + " is "
                        + block.type + " (PKCS#1/SEC 1); Junction needs PKCS#8 (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out pkcs8.key");
                default -> {
                    // a certificate or parameters next to the key: skip
                }
            }
        }
        throw new IllegalArgumentException("no private key in " + file + "; expected PEM (-----BEGIN PRIVATE KEY-----)"
                + hint(text, "a private key"));
    }

    private static PrivateKey decode(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("malformed private key in " + file + ": not a PKCS#8 RSA, EC or EdDSA key");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hint(String text, String what) {
        if (text.isBlank()) {
            return "; the file is empty";
        }
        if (!text.contains("-----BEGIN")) {
            return "; the file is not PEM (DER? convert it with openssl)";
        }
        if (blocks(text).isEmpty()) {
            return "; its PEM is malformed (a BEGIN line without its END line, or text between them that is not Base64)";
        }
        return "; the file holds " + blocks(text).stream().map(b -> b.type).distinct().toList() + " but not " + what;
    }

    private record Block(String type, String base64) {
        byte[] der(Path file) {
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed PEM in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }
}
