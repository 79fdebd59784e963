package org.cllab.scenarios.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {

  private static final int RECORD = 3073;

  @TempDir Path dir;

  /**
   * Writes {@code n} records whose label is {@code (first + r) % 10} and whose R, G, B planes are
   * filled with {@code id}, {@code id + 100} and {@code id + 200}, where {@code id = first + r}
   * (mod 256), except pixel (row 1, col 2) of each plane which is 255.
   */
  private Path batch(String name, int first, int n) throws IOException {
    byte[] b = new byte[n * RECORD];
    for (int r = 0; r < n; r++) {
      int id = first + r;
      int o = r * RECORD;
      b[o] = (byte) (id % 10);
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 1024; k++) {
          b[o + 1 + c * 1024 + k] = (byte) (k == 32 + 2 ? 255 : id + 100 * c);
        }
      }
    }
    return Files.write(dir.resolve(name), b);
  }

  private void writeAll() throws IOException {
    for (int i = 1; i <= 5; i++) {
      batch("data_batch_" + i + ".bin", 2 * (i - 1), 2);
    }
    batch("test_batch.bin", 50, 3);
  }

  @Test
  void readsTrainAndTestChannelMajor() throws IOException {
    writeAll();
    ImageSet[] sets = CifarBinaryReader.loadTrainTest(dir);
    ImageSet train = sets[0];
    ImageSet test = sets[1];
    assertEquals(10, train.size());
    assertEquals(3, test.size());
    for (ImageSet s : sets) {
      assertEquals(3, s.channels());
      assertEquals(32, s.rows());
      assertEquals(32, s.cols());
      assertEquals(3072, s.featureDim());
    }
    assertEquals(10, train.numClasses());
    float[] img = new float[3072];
    for (int i = 0; i < 10; i++) {
      assertEquals(i % 10, train.label(i));
      train.copyImage(i, img, 0);
      assertEquals(i / 255f, img[0], 0f); // R plane
      assertEquals((i + 100) / 255f, img[1024], 0f); // G plane
      assertEquals((i + 200) / 255f, img[2048 + 1023], 0f); // B plane, last pixel
      assertEquals(1f, img[1024 + 34], 0f); // G plane, row 1 col 2
    }
    assertEquals(0, test.label(0)); // id 50
    assertEquals(2, test.label(2));
    test.copyImage(2, img, 0);
    assertEquals(52 / 255f, img[5], 0f);
    assertTrue(test.source().endsWith("test_batch.bin"));
  }

  @Test
  void truncatedFileIsAnErrorNamingThePath() throws IOException {
    writeAll();
    Path test = dir.resolve("test_batch.bin");
    byte[] b = Files.readAllBytes(test);
    Files.write(test, java.util.Arrays.copyOf(b, b.length - 100));
    DataFileException e =
        assertThrows(DataFileException.class, () -> CifarBinaryReader.loadTrainTest(dir));
    assertTrue(e.getMessage().startsWith(test + ": truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("not a multiple of the 3073-byte record"), e.getMessage());
    assertEquals(test.toString(), e.path());
  }

  @Test
  void labelOutOfRangeIsAnError() throws IOException {
    writeAll();
    Path b3 = dir.resolve("data_batch_3.bin");
    byte[] b = Files.readAllBytes(b3);
    b[RECORD] = 10; // second record's label
    Files.write(b3, b);
    DataFileException e =
        assertThrows(DataFileException.class, () -> CifarBinaryReader.loadTrainTest(dir));
    assertTrue(e.getMessage().startsWith(b3 + ": record 1 has label 10"), e.getMessage());
  }

  @Test
  void testBatchLabelOutOfRangeIsAnError() throws IOException {
    writeAll();
    Path test = dir.resolve("test_batch.bin");
    byte[] b = Files.readAllBytes(test);
    b[2 * RECORD] = (byte) 255; // third (last) record's label
    Files.write(test, b);
    DataFileException e =
        assertThrows(DataFileException.class, () -> CifarBinaryReader.loadTrainTest(dir));
    assertTrue(e.getMessage().startsWith(test + ": record 2 has label 255"), e.getMessage());
    assertEquals(test.toString(), e.path());
  }

  @Test
  void missingFileIsAnError() throws IOException {
    writeAll();
    Path b5 = dir.resolve("data_batch_5.bin");
    Files.delete(b5);
    DataFileException e =
        assertThrows(DataFileException.class, () -> CifarBinaryReader.loadTrainTest(dir));
    assertEquals(b5 + ": file not found", e.getMessage());
  }
}
