package org.cllab.scenarios.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the train and test splits of an MNIST-style directory (MNIST, Fashion-MNIST, ...) holding
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each gzip-compressed ({@code .gz}, preferred) or raw.
 */
public final class IdxDirectory {

  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /** Classes of MNIST-style datasets (MNIST, Fashion-MNIST): labels must be 0..9. */
  public static final int NUM_CLASSES = 10;

  private IdxDirectory() {}

  /**
   * Reads the four IDX files of {@code dir}.
   *
   * @return {@code {train, test}}
   * @throws DataFileException if a file is missing (naming the expected {@code .gz} path) or
   *     malformed, or if a label lies outside {@code 0..}{@link #NUM_CLASSES}{@code -1} (naming the
   *     label file and the first bad index)
   */
  public static ImageSet[] loadTrainTest(Path dir) {
    // Resolve all four before reading anything, so a missing test file fails fast.
    Path trainImages = find(dir, TRAIN_IMAGES);
    Path trainLabels = find(dir, TRAIN_LABELS);
    Path testImages = find(dir, TEST_IMAGES);
    Path testLabels = find(dir, TEST_LABELS);
    return new ImageSet[] {
      IdxReader.read(trainImages, trainLabels, NUM_CLASSES),
      IdxReader.read(testImages, testLabels, NUM_CLASSES)
    };
  }

  private static Path find(Path dir, String baseName) {
    Path gz = dir.resolve(baseName + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(baseName);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new DataFileException(
        gz.toString(), "file not found (nor uncompressed " + baseName + ")");
  }
}
