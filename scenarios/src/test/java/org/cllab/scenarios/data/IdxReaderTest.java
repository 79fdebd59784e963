package org.cllab.scenarios.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  private static final int N = 3;
  private static final int ROWS = 2;
  private static final int COLS = 3;
  private static final int[] LABELS = {7, 0, 255};

  @TempDir Path dir;

  /** Image i, pixel k has byte value (40 * i + k * 17) mod 256, so 0 and 255-ish values occur. */
  private static byte[] pixels(int n) {
    byte[] p = new byte[n * ROWS * COLS];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < ROWS * COLS; k++) {
        p[i * ROWS * COLS + k] = (byte) (40 * i + k * 17 + (i == 2 ? 170 : 0));
      }
    }
    return p;
  }

  private static byte[] imagesIdx(int magic, int n, int rows, int cols, byte[] payload) {
    return ByteBuffer.allocate(16 + payload.length)
        .putInt(magic).putInt(n).putInt(rows).putInt(cols).put(payload).array();
  }

  private static byte[] labelsIdx(int magic, int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private Path goodImages(String name, boolean gz) throws IOException {
    byte[] raw = imagesIdx(0x803, N, ROWS, COLS, pixels(N));
    return write(name, gz ? gzip(raw) : raw);
  }

  private Path goodLabels(String name, boolean gz) throws IOException {
    return labels(name, gz, LABELS);
  }

  private Path labels(String name, boolean gz, int[] values) throws IOException {
    byte[] raw = labelsIdx(0x801, values);
    return write(name, gz ? gzip(raw) : raw);
  }

  /** An MNIST-style directory whose four files are valid; labels 0..9 (10 classes). */
  private void mnistStyleDirectory(int[] trainLabels, int[] testLabels) throws IOException {
    goodImages("train-images-idx3-ubyte.gz", true);
    labels("train-labels-idx1-ubyte.gz", true, trainLabels);
    goodImages("t10k-images-idx3-ubyte", false);
    labels("t10k-labels-idx1-ubyte", false, testLabels);
  }

  private static void assertContent(ImageSet set) {
    assertEquals(N, set.size());
    assertEquals(ROWS, set.rows());
    assertEquals(COLS, set.cols());
    assertEquals(1, set.channels());
    assertEquals(ROWS * COLS, set.featureDim());
    assertEquals(256, set.numClasses());
    assertArrayEquals(LABELS, set.labels());
    assertEquals(255, set.label(2));
    byte[] expected = pixels(N);
    float[] dst = new float[2 + set.featureDim()];
    for (int i = 0; i < N; i++) {
      set.copyImage(i, dst, 2);
      for (int k = 0; k < set.featureDim(); k++) {
        float v = (expected[i * ROWS * COLS + k] & 0xFF) / 255f;
        assertEquals(v, dst[2 + k], 0f, "image " + i + " pixel " + k);
        assertTrue(dst[2 + k] >= 0f && dst[2 + k] <= 1f);
      }
    }
  }

  private static DataFileException assertDataError(
      Path expectedPath, String expectedFragment, Executable call) {
    DataFileException e = assertThrows(DataFileException.class, call);
    assertTrue(
        e.getMessage().startsWith(expectedPath + ": "), "message should start with path: " + e);
    assertTrue(e.getMessage().contains(expectedFragment), "message: " + e.getMessage());
    assertEquals(expectedPath.toString(), e.path());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void readsGzipFiles() throws IOException {
    ImageSet set =
        IdxReader.read(
            goodImages("train-images-idx3-ubyte.gz", true),
            goodLabels("train-labels-idx1-ubyte.gz", true));
    assertContent(set);
    assertTrue(set.source().contains("train-images-idx3-ubyte.gz"), set.source());
  }

  @Test
  void readsRawFiles() throws IOException {
    assertContent(
        IdxReader.read(
            goodImages("train-images-idx3-ubyte", false),
            goodLabels("train-labels-idx1-ubyte", false)));
  }

  @Test
  void detectsCompressionByMagicNotByName() throws IOException {
    // Raw content under a .gz name, gzip content without one.
    assertContent(
        IdxReader.read(goodImages("images.gz", false), goodLabels("labels.idx", true)));
  }

  @Test
  void readsFromStreamSuppliers() throws IOException {
    byte[] images = gzip(imagesIdx(0x803, N, ROWS, COLS, pixels(N)));
    byte[] labels = labelsIdx(0x801, LABELS);
    ImageSet set =
        IdxReader.read(
            "mem:set",
            () -> new ByteArrayInputStream(images),
            () -> new ByteArrayInputStream(labels));
    assertContent(set);
    assertEquals("mem:set", set.source());

    DataFileException e =
        assertThrows(
            DataFileException.class,
            () -> IdxReader.read("mem:set", () -> new ByteArrayInputStream(images), () -> null));
    assertTrue(e.getMessage().startsWith("mem:set [labels]: file not found"), e.getMessage());
  }

  @Test
  void truncatedPayloadIsAnErrorNamingThePath() throws IOException {
    byte[] full = imagesIdx(0x803, N, ROWS, COLS, pixels(N));
    Path images = write("train-images-idx3-ubyte.gz", gzip(Arrays.copyOf(full, 16 + 10)));
    Path labels = goodLabels("train-labels-idx1-ubyte.gz", true);
    assertDataError(
        images,
        "truncated IDX file: expected 18 bytes of pixel data, found 10",
        () -> IdxReader.read(images, labels));
  }

  @Test
  void truncatedHeaderIsAnError() throws IOException {
    byte[] full = imagesIdx(0x803, N, ROWS, COLS, pixels(N));
    Path images = write("images", Arrays.copyOf(full, 9));
    Path labels = goodLabels("labels", false);
    assertDataError(images, "truncated", () -> IdxReader.read(images, labels));
  }

  @Test
  void truncatedLabelsAreAnError() throws IOException {
    Path images = goodImages("images", false);
    byte[] raw = labelsIdx(0x801, LABELS);
    Path labels = write("labels", Arrays.copyOf(raw, raw.length - 1));
    assertDataError(
        labels,
        "truncated IDX file: expected 3 bytes of label data, found 2",
        () -> IdxReader.read(images, labels));
  }

  @Test
  void cutGzipStreamIsReportedAsCorruptGzip() throws IOException {
    byte[] gz = gzip(imagesIdx(0x803, N, ROWS, COLS, pixels(N)));
    Path images = write("images.gz", Arrays.copyOf(gz, gz.length - 12));
    Path labels = goodLabels("labels.gz", true);
    assertDataError(images, "corrupt gzip stream (", () -> IdxReader.read(images, labels));
  }

  @Test
  void overLongFileIsAnError() throws IOException {
    byte[] payload = Arrays.copyOf(pixels(N), N * ROWS * COLS + 5);
    Path images = write("images.gz", gzip(imagesIdx(0x803, N, ROWS, COLS, payload)));
    Path labels = goodLabels("labels.gz", true);
    assertDataError(
        images,
        "over-long IDX file: expected 18 bytes of pixel data, found 23",
        () -> IdxReader.read(images, labels));
  }

  @Test
  void badMagicIsAnError() throws IOException {
    Path labels = goodLabels("labels.gz", true);
    // A label file passed where images are expected.
    assertDataError(
        labels,
        "bad magic number 0x00000801, expected 0x00000803 (IDX3 ubyte images)",
        () -> IdxReader.read(labels, labels));
    Path images = goodImages("images.gz", true);
    assertDataError(
        images,
        "bad magic number 0x00000803, expected 0x00000801 (IDX1 ubyte labels)",
        () -> IdxReader.read(images, images));
  }

  @Test
  void imageAndLabelCountsMustAgree() throws IOException {
    Path images = goodImages("images", false);
    Path labels = write("labels", labelsIdx(0x801, new int[] {1, 2}));
    assertDataError(
        labels,
        "label count 2 does not match image count 3",
        () -> IdxReader.read(images, labels));
  }

  @Test
  void missingFileIsAnError() throws IOException {
    Path images = dir.resolve("nope-images.gz");
    Path labels = goodLabels("labels", false);
    assertDataError(images, "file not found", () -> IdxReader.read(images, labels));
  }

  @Test
  void directoryPrefersGzipAndAcceptsRaw() throws IOException {
    mnistStyleDirectory(new int[] {7, 0, 9}, new int[] {1, 2, 3});
    write("train-images-idx3-ubyte", new byte[] {1, 2, 3}); // ignored: .gz is preferred
    ImageSet[] sets = IdxDirectory.loadTrainTest(dir);
    assertEquals(2, sets.length);
    assertArrayEquals(new int[] {7, 0, 9}, sets[0].labels());
    assertArrayEquals(new int[] {1, 2, 3}, sets[1].labels());
    assertEquals(N, sets[1].size());
    assertContent(IdxReader.read(goodImages("any.gz", true), goodLabels("any-labels", false)));
  }

  @Test
  void directoryRefusesTrainLabelOutsideTheClassRange() throws IOException {
    mnistStyleDirectory(new int[] {3, 11, 255}, new int[] {1, 2, 3});
    DataFileException e =
        assertDataError(
            dir.resolve("train-labels-idx1-ubyte.gz"),
            "label 11 at index 1 is outside the class range 0..9",
            () -> IdxDirectory.loadTrainTest(dir));
    assertTrue(e.getMessage().contains("first bad label"), e.getMessage());
  }

  @Test
  void directoryRefusesTestLabelOutsideTheClassRange() throws IOException {
    mnistStyleDirectory(new int[] {1, 2, 3}, new int[] {0, 9, 255});
    assertDataError(
        dir.resolve("t10k-labels-idx1-ubyte"),
        "label 255 at index 2 is outside the class range 0..9",
        () -> IdxDirectory.loadTrainTest(dir));
  }

  @Test
  void directoryReportsMissingFileByGzipName() throws IOException {
    goodImages("train-images-idx3-ubyte.gz", true);
    goodLabels("train-labels-idx1-ubyte.gz", true);
    goodImages("t10k-images-idx3-ubyte.gz", true);
    assertDataError(
        dir.resolve("t10k-labels-idx1-ubyte.gz"),
        "file not found",
        () -> IdxDirectory.loadTrainTest(dir));
  }

  @Test
  void imageSetIsImmutableAndValidated() {
    byte[] px = {0, (byte) 255, 1, 2};
    int[] labels = {1, 0};
    ImageSet set = new ImageSet("test", 1, 2, 1, px, labels);
    px[0] = 9;
    labels[0] = 5;
    set.labels()[1] = 7;
    assertArrayEquals(new int[] {1, 0}, set.labels());
    assertEquals(2, set.numClasses());
    float[] dst = new float[2];
    set.copyImage(0, dst, 0);
    assertArrayEquals(new float[] {0f, 1f}, dst);
    assertThrows(IndexOutOfBoundsException.class, () -> set.copyImage(2, dst, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> set.copyImage(0, dst, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new ImageSet("x", 1, 2, 1, new byte[3], labels));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageSet("x", 1, 2, 1, new byte[4], new int[] {0, -1}));
    assertEquals(0, new ImageSet("x", 1, 1, 1, new byte[0], new int[0]).numClasses());
  }
}
