package io.edgeloop.imagetrust;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECDSA P-256 key pairs as PEM files, with the JDK's providers only: the private key as PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey -algorithm EC -pkeyopt
 * ec_paramgen_curve:P-256} writes; {@code cosign import-key-pair} reads it), the public key as
 * X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}, what {@code cosign verify --key}
 * reads). A generated private key file is created with mode 0600 before any byte is written.
 */
public final class SigningKeys {
  /** The JDK signature algorithm cosign's ECDSA P-256 signatures use (ASN.1 DER signatures over SHA-256). */
  public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** A FileLock is held per JVM, not per thread: threads of one JVM take turns on this first. */
  private static final Object MAKING_A_PAIR = new Object();

  private SigningKeys() {}

  /** A new P-256 key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make P-256 keys", e);
    }
  }

  /**
   * The key pair in {@code privateKeyFile} and {@code publicKeyFile}; when neither exists, a new
   * pair is generated and written there (private key mode 0600). Either way the pair is checked to
   * belong together.
   *
   * <p>Replicas starting at once on one volume get one pair: making a pair happens under a lock
   * held in this JVM and, across processes, on {@code <privateKeyFile>.lock} (a {@link FileLock},
   * left in place afterwards), and whoever gets the lock second finds the first one's pair and
   * reads it. A complete pair is read without the lock, so keys mounted read-only (secrets) need
   * no writable folder.
   *
   * @throws IOException when only one of the files exists, a file cannot be read or written, or
   *     the keys are not a matching P-256 pair
   */
  public static KeyPair loadOrCreate(Path privateKeyFile, Path publicKeyFile) throws IOException {
    if (Files.exists(privateKeyFile) && Files.exists(publicKeyFile)) {
      return load(privateKeyFile, publicKeyFile);
    }
    Path lockFile = privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".lock");
    synchronized (MAKING_A_PAIR) {
      FileChannel channel;
      try {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        // A folder we cannot write to: no pair can be made there, so say what is missing.
        requireBothOrNeither(privateKeyFile, publicKeyFile);
        throw new IOException("cannot make a signing key pair in " + lockFile.toAbsolutePath().getParent() + ": " + e, e);
      }
      try (channel; FileLock ignored = channel.lock()) {
        if (!requireBothOrNeither(privateKeyFile, publicKeyFile)) {
          KeyPair pair = generate();
          writePrivateKey(pair.getPrivate(), privateKeyFile);
          writePem(publicKeyFile, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
          return pair;
        }
      }
    }
    return load(privateKeyFile, publicKeyFile);
  }

  /** Whether both halves exist; false when neither does; an error for one alone. */
  private static boolean requireBothOrNeither(Path privateKeyFile, Path publicKeyFile) throws IOException {
    boolean hasPrivate = Files.exists(privateKeyFile);
    boolean hasPublic = Files.exists(publicKeyFile);
    if (hasPrivate != hasPublic) {
      throw new IOException("found " + (hasPrivate ? privateKeyFile : publicKeyFile) + " but not "
          + (hasPrivate ? publicKeyFile : privateKeyFile) + ": give both halves of the signing key pair (or neither, to"
          + " have a new pair made)");
    }
    return hasPrivate;
  }

  private static KeyPair load(Path privateKeyFile, Path publicKeyFile) throws IOException {
    KeyPair pair = new KeyPair(readPublicKey(publicKeyFile), readPrivateKey(privateKeyFile));
    requireMatchingPair(pair, privateKeyFile, publicKeyFile);
    return pair;
  }

  /** Reads a PKCS#8 PEM EC private key. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    if (pem.contains("BEGIN EC PRIVATE KEY") || pem.contains("ENCRYPTED")) {
      throw new IOException(file + " is not an unencrypted PKCS#8 key: convert it with"
          + " `openssl pkcs8 -topk8 -nocrypt -in <key> -out " + file.getFileName() + "`");
    }
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(single(pem, "PRIVATE KEY", file)));
      requireP256(key, file);
      return key;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " holds no EC private key: " + e.getMessage(), e);
    }
  }

  /** Reads one PEM public key ({@code -----BEGIN PUBLIC KEY-----}). */
  public static PublicKey readPublicKey(Path file) throws IOException {
    List<PublicKey> keys = readPublicKeys(file);
    if (keys.size() != 1) {
      throw new IOException(file + " holds " + keys.size() + " public keys, expected one");
    }
    return keys.get(0);
  }

  /** Every PEM public key in {@code file} (a trust file may list several, e.g. during a key rotation). */
  public static List<PublicKey> readPublicKeys(Path file) throws IOException {
    return parsePublicKeys(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  /** Every PEM public key in {@code pem}; {@code source} names it in errors. */
  public static List<PublicKey> parsePublicKeys(String pem, String source) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      if (!m.group(1).equals("PUBLIC KEY")) {
        continue;
      }
      try {
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(decode(m.group(2))));
        requireP256(key, Path.of(source));
        keys.add(key);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IOException(source + " holds a public key that is not an EC key: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new IOException(source + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    return keys;
  }

  /** The PEM text of {@code key}. */
  public static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** A short stable name of {@code key}: the first 16 hex digits of the SHA-256 of its encoding. */
  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  /** Writes {@code key} as PKCS#8 PEM into a new file that is mode 0600 from the start. */
  public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
    writePem(file, "PRIVATE KEY", key.getEncoded(), true);
  }

  private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = secret
        ? Files.createTempFile(dir, ".key-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".key-", ".tmp");
    try {
      Files.writeString(tmp, pem(type, der), StandardCharsets.US_ASCII);
      if (!secret) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        // No REPLACE_EXISTING: two instances starting at once must not swap keys under each other.
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " appeared while a new key was being written: start again to use it", e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] single(String pem, String type, Path file) throws IOException {
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        return decode(m.group(2));
      }
    }
    throw new IOException(file + " holds no PEM '" + type + "'");
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64.strip());
  }

  private static void requireP256(java.security.Key key, Path source) throws IOException {
    if (!(key instanceof ECKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IOException(source + " holds a key that is not ECDSA P-256");
    }
  }

  private static void requireMatchingPair(KeyPair pair, Path privateKeyFile, Path publicKeyFile) throws IOException {
    try {
      byte[] probe = "edgeloop signing key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
      signer.initSign(pair.getPrivate());
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
      verifier.initVerify(pair.getPublic());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IOException(publicKeyFile + " is not the public key of " + privateKeyFile);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot check the key pair " + privateKeyFile + " / " + publicKeyFile + ": " + e.getMessage(), e);
    }
  }
}
