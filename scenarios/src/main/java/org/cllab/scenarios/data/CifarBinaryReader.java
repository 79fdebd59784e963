package org.cllab.scenarios.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10: {@code data_batch_1.bin} .. {@code data_batch_5.bin}
 * (train) and {@code test_batch.bin} (test). Each record is one label byte (0..9) followed by 3072
 * pixel bytes, channel-major: the 32x32 red plane, then green, then blue, each row-major. The
 * resulting {@link ImageSet}s have {@code channels() == 3}, {@code rows() == cols() == 32} and keep
 * that channel-major layout.
 */
public final class CifarBinaryReader {

  /** Image side length. */
  public static final int SIDE = 32;

  /** Colour channels (R, G, B). */
  public static final int CHANNELS = 3;

  /** Pixel bytes per record. */
  public static final int IMAGE_BYTES = SIDE * SIDE * CHANNELS;

  /** Bytes per record: one label byte plus the pixels. */
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

  /** Number of CIFAR-10 classes; labels must be below this. */
  public static final int NUM_CLASSES = 10;

  private static final int TRAIN_BATCHES = 5;
  private static final String TEST_FILE = "test_batch.bin";
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private CifarBinaryReader() {}

  /**
   * Reads the six batch files of {@code dir} (typically the extracted {@code
   * cifar-10-batches-bin}).
   *
   * @return {@code {train, test}}, train being the five data batches concatenated in order
   * @throws DataFileException naming the file if one is missing, truncated or has a label &ge; 10
   */
  public static ImageSet[] loadTrainTest(Path dir) {
    List<Path> train = new ArrayList<>();
    for (int b = 1; b <= TRAIN_BATCHES; b++) {
      train.add(dir.resolve("data_batch_" + b + ".bin"));
    }
    Path test = dir.resolve(TEST_FILE);
    List<Path> all = new ArrayList<>(train);
    all.add(test);
    for (Path p : all) { // fail fast, before reading 150 MB of training data
      if (!Files.isRegularFile(p)) {
        throw new DataFileException(p.toString(), "file not found");
      }
    }
    return new ImageSet[] {
      read(dir.resolve("data_batch_{1.." + TRAIN_BATCHES + "}.bin").toString(), train),
      read(test.toString(), List.of(test))
    };
  }

  private static ImageSet read(String source, List<Path> files) {
    long[] records = new long[files.size()];
    long total = 0;
    for (int f = 0; f < files.size(); f++) {
      Path p = files.get(f);
      long length = size(p);
      if (length == 0) {
        throw new DataFileException(p.toString(), "empty file, expected CIFAR-10 binary records");
      }
      if (length % RECORD_BYTES != 0) {
        throw new DataFileException(
            p.toString(),
            "truncated CIFAR-10 binary file: length " + length + " is not a multiple of the "
                + RECORD_BYTES + "-byte record (" + length / RECORD_BYTES + " records + "
                + length % RECORD_BYTES + " bytes)");
      }
      records[f] = length / RECORD_BYTES;
      total += records[f];
    }
    if (total * IMAGE_BYTES > MAX_ARRAY) {
      throw new DataFileException(source, "too many records for one ImageSet: " + total);
    }
    byte[] pixels = new byte[(int) total * IMAGE_BYTES];
    int[] labels = new int[(int) total];
    int index = 0;
    for (int f = 0; f < files.size(); f++) {
      Path p = files.get(f);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
        for (long r = 0; r < records[f]; r++, index++) {
          int label = in.read();
          int got = label < 0 ? 0 : in.readNBytes(pixels, index * IMAGE_BYTES, IMAGE_BYTES);
          if (got < IMAGE_BYTES) {
            throw new DataFileException(
                p.toString(), "truncated CIFAR-10 binary file: record " + r + " is incomplete");
          }
          if (label >= NUM_CLASSES) {
            throw new DataFileException(
                p.toString(),
                "record " + r + " has label " + label + ", expected 0.." + (NUM_CLASSES - 1)
                    + " (not a CIFAR-10 binary file?)");
          }
          labels[index] = label;
        }
        if (in.read() >= 0) {
          throw new DataFileException(p.toString(), "file grew while being read");
        }
      } catch (NoSuchFileException e) {
        throw new DataFileException(p.toString(), "file not found", e);
      } catch (IOException e) {
        throw new DataFileException(p.toString(), "I/O error (" + e + ")", e);
      }
    }
    return ImageSet.wrap(source, SIDE, SIDE, CHANNELS, pixels, labels);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      throw new DataFileException(p.toString(), "file not found", e);
    } catch (IOException e) {
      throw new DataFileException(p.toString(), "I/O error (" + e + ")", e);
    }
  }
}
