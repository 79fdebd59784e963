package org.cllab.runs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cllab.runs.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path tmp;

    private static final List<String> RESULT_FILES = List.of("acc_curves.csv", "index.md", "matrices.csv",
            "results.csv", "results.md", "results.tex", "runs.csv");

    @Test
    void writesTablesPlotsAndIndex() throws IOException {
        Path runs = tmp.resolve("runs");
        FakeRuns.threeFinetuneOneJoint(runs, 0);
        Path out = tmp.resolve("rep");
        List<Path> written = Reports.write(runs, out);
        String sc = "split-mnist-3x2__class-incremental";
        List<String> expected = Stream.concat(Stream.concat(RESULT_FILES.stream(), Stream.of("timing.csv",
                "timing.md")), Stream.of("plots/" + sc + "__acc.png", "plots/" + sc + "__finetune__matrix.png",
                "plots/" + sc + "__joint__matrix.png")).sorted().toList();
        assertEquals(expected.stream().map(out::resolve).toList(), written);
        for (Path p : written) {
            assertTrue(Files.isRegularFile(p), p.toString());
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(Set.of("runs", "rep"), s.map(p -> p.getFileName().toString()).collect(
                    java.util.stream.Collectors.toSet()), "no staging directory left behind");
        }
        String index = Files.readString(out.resolve("index.md"));
        for (String f : expected) {
            if (f.startsWith("plots/")) {
                assertTrue(index.contains("](" + f + ")"), "index links " + f);
            }
        }
        assertFalse(Files.readString(out.resolve("results.md")).contains("wall"));
        assertTrue(Files.readString(out.resolve("timing.md")).contains("| split-mnist 3x2 | finetune | 3 (0,1,2) | "
                + "12.0 ± 2.0 | 6.0 ± 1.0 |"));
        assertEquals("dir,scenario,learner,seed,config_hash\nft/s0,split-mnist 3x2,finetune,0,hash-finetune-0\n",
                Files.readString(out.resolve("runs.csv")).lines().limit(2).map(l -> l + "\n")
                        .reduce("", String::concat));
    }

    @Test
    void pngsDecodeAtTheirSizeAndAreNotBlank() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless());
        if (Files.isRegularFile(ReportPlots.DEJAVU_DIR.resolve("DejaVuSans.ttf"))) {
            assertEquals("DejaVu Sans", ReportPlots.fontFamily(), "plots use the pinned font file");
        }
        Path runs = tmp.resolve("runs");
        FakeRuns.threeFinetuneOneJoint(runs, 0);
        Path out = tmp.resolve("rep");
        int pngs = 0;
        for (Path p : Reports.write(runs, out)) {
            if (!p.toString().endsWith(".png")) {
                continue;
            }
            pngs++;
            BufferedImage img = ImageIO.read(p.toFile());
            boolean matrix = p.toString().endsWith("__matrix.png");
            assertEquals(matrix ? ReportPlots.MATRIX_WIDTH : ReportPlots.CURVES_WIDTH, img.getWidth(), p.toString());
            assertEquals(matrix ? ReportPlots.MATRIX_HEIGHT : ReportPlots.CURVES_HEIGHT, img.getHeight());
            double sum = 0;
            double sq = 0;
            Set<Integer> colours = new HashSet<>();
            int n = img.getWidth() * img.getHeight();
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    double lum = ((rgb >> 16) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
                    sum += lum;
                    sq += lum * lum;
                }
            }
            double var = sq / n - (sum / n) * (sum / n);
            assertTrue(var > 100, p + ": luminance variance " + var);
            assertTrue(colours.size() > 50, p + ": only " + colours.size() + " colours");
            if (matrix) {
                // cells are painted with the colour scale: accuracy 0 (finetune after T1 on T2, joint likewise)
                // and the finetune cell after T1 on T1 (mean 0.8) / joint's 0.9 cells
                ReportPlots.ViridisScale scale = new ReportPlots.ViridisScale();
                double high = p.toString().contains("__finetune__") ? 0.8 : 0.9;
                for (double v : new double[] {0, high}) {
                    int rgb = ((java.awt.Color) scale.getPaint(v)).getRGB() & 0xffffff;
                    assertTrue(colours.contains(rgb), p + " has no cell of colour " + Integer.toHexString(rgb));
                }
            }
        }
        assertEquals(3, pngs);
    }

    @Test
    void twoRendersOfTheSameRunsAreByteIdentical() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        FakeRuns.threeFinetuneOneJoint(a, 0);
        FakeRuns.threeFinetuneOneJoint(b, 3.5);   // other run times, same results
        List<Path> ra = Reports.write(a, tmp.resolve("ra"));
        List<Path> rb = Reports.write(b, tmp.resolve("rb"));
        assertEquals(ra.size(), rb.size());
        for (int i = 0; i < ra.size(); i++) {
            String name = tmp.resolve("ra").relativize(ra.get(i)).toString();
            assertEquals(name, tmp.resolve("rb").relativize(rb.get(i)).toString());
            if (name.startsWith("timing.")) {
                assertNotEquals(Files.readString(ra.get(i)), Files.readString(rb.get(i)), name);
            } else {
                assertArrayEquals(Files.readAllBytes(ra.get(i)), Files.readAllBytes(rb.get(i)), name);
            }
        }
        // and in memory, twice in a row
        MetricTable.Row row = MetricTable.aggregate(RunCollector.collect(a)).get(0);
        assertArrayEquals(ReportPlots.matrixHeatmap(row), ReportPlots.matrixHeatmap(row));
        assertArrayEquals(ReportPlots.accCurves(List.of(row)), ReportPlots.accCurves(List.of(row)));
    }

    @Test
    void replacesAnEarlierReportWholeButNothingElse() throws IOException {
        Path runs = tmp.resolve("runs");
        FakeRuns.threeFinetuneOneJoint(runs, 0);
        Path out = tmp.resolve("rep");
        Reports.write(runs, out);
        Path stale = out.resolve("plots/old__class-incremental__ewc__matrix.png");
        Files.write(stale, new byte[] {1});
        // a staging directory of a killed report (a pid that is surely gone) is cleaned up
        Path leftover = Files.createDirectories(tmp.resolve(".rep.tmp-" + Long.MAX_VALUE));
        Files.writeString(leftover.resolve("results.md"), "half");
        FakeRuns.write(runs.resolve("ft/s3"), "finetune", 3, new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0},
            {0, 0, 1}}, 1.0 / 3, -1.0, 1.0, 5);
        Reports.write(runs, out);
        assertFalse(Files.exists(stale), "a report is replaced as a whole");
        assertFalse(Files.exists(leftover), "stale staging directory removed");
        assertTrue(Files.readString(out.resolve("results.md")).contains("| finetune | 4 (0,1,2,3) |"));

        Path notAReport = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(notAReport.resolve("notes.txt"), "keep me");
        ConfigException e = assertThrows(ConfigException.class, () -> Reports.write(runs, notAReport));
        assertTrue(e.getMessage().contains("is not a report directory"), e.getMessage());
        assertEquals("keep me", Files.readString(notAReport.resolve("notes.txt")));
    }

    @Test
    void noFinishedRunWritesNothing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.createDirectories(empty.resolve("unfinished"));
        Files.writeString(empty.resolve("unfinished/summary.json"), "{\"finished\": false}");
        assertEquals(List.of(), Reports.write(empty, tmp.resolve("rep")));
        assertFalse(Files.exists(tmp.resolve("rep")));
        // an earlier report stays when no run is finished (e.g. a sweep session whose runs all failed)
        Path runs = tmp.resolve("runs");
        FakeRuns.threeFinetuneOneJoint(runs, 0);
        Reports.write(runs, tmp.resolve("rep"));
        byte[] before = Files.readAllBytes(tmp.resolve("rep/results.md"));
        assertEquals(List.of(), Reports.write(empty, tmp.resolve("rep")));
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("rep/results.md")));
    }
}
