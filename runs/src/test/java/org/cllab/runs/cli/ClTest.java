package org.cllab.runs.cli;

import static org.cllab.runs.cli.ClRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClTest {
    @TempDir
    Path tmp;

    @Test
    void badConfigsExitTwoWithOneLineAndWriteNothing() throws IOException {
        String[][] cases = {
            {"learner:\n  lrr: 0.1\n", "learner.lrr: unknown key"},
            {"learner:\n  epochs: many\n", "learner.epochs: expected a integer"},
            {"scenario:\n  dataset: fashion-mnist\n  data_dir: " + tmp.resolve("none") + "\n", "scenario.data_dir: "},
        };
        for (String[] c : cases) {
            Path cfg = tmp.resolve("bad.yaml");
            Files.writeString(cfg, c[0]);
            Path out = tmp.resolve("out");
            ClRun.Result r = run("run", cfg.toString(), "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith(cfg + ": " + c[1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + c[1]);
        }
    }

    @Test
    void truncatedIdxIsReportedWithItsPath() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("fm"));
        // a valid header that promises 10 images of 28x28 but holds 3 bytes of pixels
        byte[] img = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
        byte[] lab = {0, 0, 8, 1, 0, 0, 0, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Files.write(data.resolve("train-images-idx3-ubyte"), img);
        Files.write(data.resolve("train-labels-idx1-ubyte"), lab);
        Files.write(data.resolve("t10k-images-idx3-ubyte"), img);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), lab);
        Path cfg = tmp.resolve("trunc.yaml");
        Files.writeString(cfg, "scenario:\n  dataset: fashion-mnist\n  data_dir: " + data + "\n");
        ClRun.Result r = run("run", cfg.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(cfg + ": scenario.data_dir: " + data.resolve("train-images-idx3-ubyte")),
                r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void outOfRangeLabelsAreRefusedWithFileAndFirstBadIndex() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("fm-labels"));
        byte[] img = new byte[16 + 10 * 28 * 28];
        System.arraycopy(new byte[] {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28}, 0, img, 0, 16);
        byte[] good = {0, 0, 8, 1, 0, 0, 0, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] bad = good.clone();
        bad[8 + 4] = 11;
        bad[8 + 6] = (byte) 255;
        Files.write(data.resolve("train-images-idx3-ubyte"), img);
        Files.write(data.resolve("t10k-images-idx3-ubyte"), img);
        Path cfg = tmp.resolve("labels.yaml");
        Files.writeString(cfg, "scenario:\n  dataset: fashion-mnist\n  data_dir: " + data + "\n");
        for (String broken : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
            for (String name : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
                Files.write(data.resolve(name), name.equals(broken) ? bad : good);
            }
            Path out = tmp.resolve("o-" + broken);
            ClRun.Result r = run("run", cfg.toString(), "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals(cfg + ": scenario.data_dir: " + data.resolve(broken) + ": label 11 at index 4 is outside "
                    + "the class range 0..9 (first bad label)", r.err().strip());
            assertFalse(Files.exists(out), "nothing written");
        }
    }

    @Test
    void runPrintsMatricesAndConfigDocPrintsReference() throws IOException {
        Path cfg = tmp.resolve("ok.yaml");
        Files.writeString(cfg, "scenario:\n  train_limit: 100\n  tasks: 2\nlearner:\n  hidden: [8]\nrun:\n  progress: never\n");
        ClRun.Result r = run("run", cfg.toString(), "--out", tmp.resolve("ok").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("class-incremental accuracy matrix"), r.out());
        assertTrue(r.out().contains("ACC "), r.out());
        ClRun.Result doc = run("config-doc");
        assertEquals(0, doc.code());
        assertTrue(doc.out().startsWith("# Config reference"));
    }
}
