package org.cllab.hypernets.generators.d2nwg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.FrozenEncoder;
import org.cllab.core.nn.Mlp;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.ZooModule.ZooProblem;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo: build, resume (nothing rebuilt, same bytes), read back, and one-line errors for a corrupt or mismatched zoo. */
class ZooTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    Map<String, Object> config(Path enc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zoo.type", "d2nwg");
        m.put("zoo.encoder", enc.toString());
        m.put("zoo.tasks", 3);
        m.put("zoo.held_out", 1);
        m.put("zoo.seeds", 2);
        m.put("zoo.checkpoints", 2);
        m.put("zoo.train_per_class", 20);
        m.put("zoo.val_per_class", 10);
        m.put("zoo.test_per_class", 10);
        m.put("zoo.steps", 40);
        m.put("zoo.checkpoint_every", 10);
        return m;
    }

    @Test
    void buildsResumesReadsAndRefusesCorruptOrMismatchedZoos() throws IOException {
        assumeTrue(Files.isDirectory(FASHION), "Fashion-MNIST not installed");
        Mlp m = new Mlp(new int[] {784, 12, 10}, Activation.RELU);
        Path enc = tmp.resolve("enc.bin");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(b)) {
            FrozenEncoder.ofClassifier(m).save(w);
        }
        Files.write(enc, b.toByteArray());
        Path zoo = tmp.resolve("zoo");
        D2nwgZooModule mod = new D2nwgZooModule();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        mod.build(config(enc), zoo, new PrintStream(log, true));
        assertTrue(log.toString().contains("task 3/3"), log.toString());
        Zoo.Contents c = Zoo.read(zoo);
        assertEquals(3, c.tasks().size());
        assertEquals(Head.size(5, 12), c.weightsPerVector());
        assertEquals(4, c.tasks().get(0).entries().size()); // 2 seeds x 2 checkpoints
        assertEquals(List.of(false, false, true), c.tasks().stream().map(Zoo.ZooTask::heldOut).toList());
        for (Zoo.Entry e : c.tasks().get(0).entries()) {
            assertTrue(e.step() == 30 || e.step() == 40, "kept steps: " + e.step());
            assertTrue(e.testAccuracy() >= 0 && e.testAccuracy() <= 1);
        }
        byte[] before = Files.readAllBytes(zoo.resolve("task-0001.bin"));
        // resume: a deleted task is rebuilt identically, the others kept
        Files.delete(zoo.resolve("task-0001.json"));
        log.reset();
        mod.build(config(enc), zoo, new PrintStream(log, true));
        assertTrue(log.toString().contains("1 built now, 2 kept"), log.toString());
        assertEquals(java.util.Arrays.toString(before),
                java.util.Arrays.toString(Files.readAllBytes(zoo.resolve("task-0001.bin"))));
        // mismatched settings
        Map<String, Object> other = config(enc);
        other.put("zoo.seeds", 3);
        ZooProblem p = assertThrows(ZooProblem.class, () -> mod.build(other, zoo, new PrintStream(log, true)));
        assertTrue(p.getMessage().contains("zoo.json") && !p.getMessage().contains("\n"), p.getMessage());
        // corrupt weights file
        Path bin = zoo.resolve("task-0002.bin");
        Files.write(bin, java.util.Arrays.copyOf(Files.readAllBytes(bin), 100));
        ZooProblem q = assertThrows(ZooProblem.class, () -> Zoo.read(zoo));
        assertTrue(q.getMessage().startsWith(bin.toString()) && q.getMessage().contains("corrupt"), q.getMessage());
        assertFalse(q.getMessage().contains("\n"));
        // bad key
        Map<String, Object> bad = config(enc);
        bad.put("zoo.tasks", "many");
        SettingProblem s = assertThrows(SettingProblem.class, () -> mod.build(bad, tmp.resolve("z2"), System.out));
        assertEquals("zoo.tasks", s.key());
        Map<String, Object> unknown = config(enc);
        unknown.put("zoo.colour", 1);
        assertEquals("zoo.colour", assertThrows(SettingProblem.class,
                () -> mod.build(unknown, tmp.resolve("z3"), System.out)).key());
    }
}
