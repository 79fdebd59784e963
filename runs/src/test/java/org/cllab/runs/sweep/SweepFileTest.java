package org.cllab.runs.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.cllab.runs.cli.ClRun;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep files: expansion, stable ids, random draws, and one-line errors before anything is written. */
class SweepFileTest {
    @TempDir
    Path tmp;

    private static final String FULL = """
            base: base.yaml
            set: {scenario.tasks: 4}
            learners: [finetune, {type: ewc, set: {learner.ewc.fisher_samples: 50}}]
            grid:
              learner.lr: [0.01, 0.001]
              learner.hidden: [[16], [32]]
            random: {draws: 3, seed: 7, params: {learner.batch_size: {int_uniform: [16, 64]}}}
            seeds: [0, 1]
            """;

    @Test
    void expandsLearnersTimesGridTimesDrawsTimesSeeds() throws IOException {
        SweepPlan plan = SweepRunner.plan(SweepFixtures.write(tmp, "s.yaml", FULL));
        assertEquals(2 * 4 * 3 * 2, plan.runs().size());
        assertEquals(plan.runs().size(), plan.runs().stream().map(SweepRun::id).distinct().count(), "unique ids");
        Set<List<Object>> combos = new HashSet<>();
        for (SweepRun r : plan.runs()) {
            RunConfig c = r.config();
            assertEquals(4, c.getInt("scenario.tasks"), "set applies to every run");
            assertEquals(150, c.getInt("scenario.train_limit"), "base applies");
            assertEquals(r.learner(), c.getString("learner.type"));
            if (r.learner().equals("ewc")) {
                assertEquals(50, c.getInt("learner.ewc.fisher_samples"), "learner set applies to its learner");
            } else {
                assertFalse(c.values().containsKey("learner.ewc.fisher_samples"), "and only to its learner (a key "
                        + "of another learner type is not part of the run)");
            }
            assertEquals(r.seed(), c.getLong("run.seed"));
            int bs = c.getInt("learner.batch_size");
            assertTrue(bs >= 16 && bs <= 64, "int_uniform in bounds: " + bs);
            assertEquals(r.id(), c.hash().substring(0, SweepRun.ID_LENGTH));
            combos.add(List.of(r.learner(), c.getDouble("learner.lr"), c.getIntArray("learner.hidden")[0], bs,
                    r.seed()));
        }
        assertEquals(plan.runs().size(), combos.size(), "every combination once");
        // first run: learners outermost, last grid key fastest, then draws, then seeds
        SweepRun first = plan.runs().get(0);
        SweepRun second = plan.runs().get(1);
        assertEquals(first.config().getInt("learner.batch_size"), second.config().getInt("learner.batch_size"));
        assertNotEquals(first.seed(), second.seed());
        assertEquals(Map.of("learner.type", "finetune", "learner.lr", 0.01, "learner.hidden", List.of(16),
                "learner.batch_size", first.config().getInt("learner.batch_size")), first.overrides());
    }

    @Test
    void idsDependOnTheResolvedConfigOnlyNotOnKeyOrderOrNesting() throws IOException {
        String reordered = """
                seeds: [1, 0]
                grid:
                  learner:
                    hidden: [[32], [16]]
                    lr: [0.001, 0.01]
                random:
                  params: {learner.batch_size: {int_uniform: [16, 64]}}
                  seed: 7
                  draws: 3
                learners: [finetune, {set: {learner: {ewc: {fisher_samples: 50}}}, type: ewc}]
                set: {scenario: {tasks: 4}}
                base: base.yaml
                """;
        SweepPlan a = SweepRunner.plan(SweepFixtures.write(tmp.resolve("a"), "s.yaml", FULL));
        SweepPlan b = SweepRunner.plan(SweepFixtures.write(tmp.resolve("b"), "s.yaml", reordered));
        assertEquals(ids(a), ids(b));
        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.runs().stream().map(SweepRun::id).toList(), b.runs().stream().map(SweepRun::id).toList(),
                "same set, different order");
        // the id is the hash of the config `cl run` would resolve from the same values
        SweepRun r = a.runs().get(5);
        List<String> sets = new ArrayList<>(List.of("scenario.tasks=4", "learner.type=" + r.learner(),
                "run.seed=" + r.seed()));
        r.overrides().forEach((k, v) -> sets.add(k + "=" + v));
        RunConfig single = new ConfigLoader().load(tmp.resolve("a/base.yaml"), sets);
        assertEquals(r.id(), single.hash().substring(0, SweepRun.ID_LENGTH));
    }

    private static Set<String> ids(SweepPlan p) {
        return p.runs().stream().map(SweepRun::id).collect(Collectors.toSet());
    }

    @Test
    void randomDrawsAreSeededPerKeyAndWithinTheirRanges() throws IOException {
        String one = """
                base: base.yaml
                random: {draws: 20, seed: 3, params: {learner.lr: {log_uniform: [0.0001, 0.1]}}}
                """;
        String two = """
                base: base.yaml
                random:
                  draws: 20
                  seed: 3
                  params:
                    learner.momentum: {uniform: [0.0, 0.9]}
                    learner.optimizer: {choice: [adam, sgd]}
                    learner.lr: {log_uniform: [0.0001, 0.1]}
                """;
        SweepPlan a = SweepRunner.plan(SweepFixtures.write(tmp.resolve("a"), "s.yaml", one));
        SweepPlan a2 = SweepRunner.plan(SweepFixtures.write(tmp.resolve("a2"), "s.yaml", one));
        SweepPlan b = SweepRunner.plan(SweepFixtures.write(tmp.resolve("b"), "s.yaml", two));
        assertEquals(20, a.runs().size());
        List<Double> lrA = a.runs().stream().map(r -> r.config().getDouble("learner.lr")).toList();
        List<Double> lrB = b.runs().stream().map(r -> r.config().getDouble("learner.lr")).toList();
        assertEquals(lrA, a2.runs().stream().map(r -> r.config().getDouble("learner.lr")).toList(), "reproducible");
        assertEquals(lrA, lrB, "a key's draws do not depend on the other parameters");
        assertTrue(lrA.stream().allMatch(x -> x >= 1e-4 && x < 0.1), lrA.toString());
        long decadesHit = lrA.stream().map(x -> (int) Math.floor(Math.log10(x))).distinct().count();
        assertTrue(decadesHit >= 3, "log-uniform over 3 decades: " + lrA);
        Set<String> opts = new HashSet<>();
        for (SweepRun r : b.runs()) {
            double m = r.config().getDouble("learner.momentum");
            assertTrue(m >= 0 && m < 0.9, "uniform in range: " + m);
            opts.add(r.config().getString("learner.optimizer"));
        }
        assertEquals(Set.of("adam", "sgd"), opts);
    }

    @Test
    void resolvedCopyIsAValidSweepFileOfTheSameSweep() throws IOException {
        SweepPlan plan = SweepRunner.plan(SweepFixtures.write(tmp, "s.yaml", FULL
                + "slurm: {time: \"1:00:00\", mem: 8G, max_concurrent: 3}\n"));
        Path copy = tmp.resolve("copy/sweep.yaml");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, SweepRunner.resolvedYaml(plan));
        SweepPlan again = SweepRunner.plan(copy);
        assertEquals(plan.hash(), again.hash());
        assertEquals(plan.runs().stream().map(SweepRun::id).toList(), again.runs().stream().map(SweepRun::id).toList());
        assertEquals(plan.spec().slurm(), again.spec().slurm());
        assertEquals("1:00:00", again.spec().slurm().time());
    }

    @Test
    void badSweepsFailWithOneLineExitTwoAndWriteNothing() throws IOException {
        String[][] cases = {
            {"gird: {learner.lr: [0.1]}\n", "gird: unknown sweep key (did you mean grid?)"},
            {"grid: {learner.lrr: [0.1]}\n", "grid.learner.lrr: unknown key (did you mean learner.lr?)"},
            {"grid: {learner.lr: []}\n", "grid.learner.lr: empty list"},
            {"grid: {}\n", "grid: empty grid"},
            {"grid:\n", "grid: empty grid"},
            {"grid: {learner.lr: [0.1, fast]}\n", "grid.learner.lr: expected a number, got string 'fast'"},
            {"grid: {learner.lr: 0.1}\n", "grid.learner.lr: expected a list of values"},
            {"set: {learner.epochs: 1.5}\n", "set.learner.epochs: expected a integer"},
            {"learners: [finetune, ewcc]\n", "learners[1].learner.type: unknown value 'ewcc'"},
            {"learners: []\n", "learners: empty list"},
            {"learners: [finetune, finetune]\n", "run 2 (learner.type=finetune): resolves to the same config as "
                    + "run 1"},
            {"grid: {learner.lr: [0.1, 0.10]}\n", "grid.learner.lr: lists a value twice"},
            {"seeds: [0, x]\n", "seeds: expected integers"},
            {"seeds: [0]\nset: {run.seed: 3}\n", "set.run.seed: conflicts with seeds:"},
            {"grid: {learner.lr: [0.1]}\nset: {learner.lr: 0.2}\n", "grid.learner.lr: is also in set:"},
            {"set: {scenario.tasks: 6}\nseeds: [0]\n", "run 1 (seed=0): scenario.tasks: 6 tasks x 2 classes"},
            {"base: missing.yaml\n", "base: config file"},
            {"random: {draws: 2, params: {learner.lr: {normal: [0, 1]}}}\n", "random.params.learner.lr: unknown "
                    + "distribution 'normal'"},
            {"random: {draws: 2, params: {learner.epochs: {uniform: [1, 3]}}}\n", "random.params.learner.epochs"
                    + ".uniform.learner.epochs: expected a integer"},
            {"devices: [cpu, gpu0]\n", "devices: entry string 'gpu0' is neither cpu nor a GPU index"},
            {"gpu_memory_budget_mb: 1000\nrun_memory_mb: 3000\n", "run_memory_mb: 3000 MB per run do not fit"},
            {"slurm: {time: 1:00:00}\n", "slurm.time: invalid value number 3600"},
            {"slurm: {partiton: gpu}\n", "slurm.partiton: unknown key (did you mean partition?)"},
            {"- a\n- b\n", "(file): must be a mapping"},
            {"grid: {learner.lr: [0.1\n", "(file): not valid YAML"},
        };
        for (String[] c : cases) {
            Path f = SweepFixtures.write(tmp, "bad.yaml", "base: base.yaml\n" + c[0]);
            if (c[0].startsWith("base:") || c[0].startsWith("- ")) {
                Files.writeString(f, c[0]);
            }
            Path out = tmp.resolve("out");
            ClRun.Result r = ClRun.run("sweep", f.toString(), "--out", out.toString());
            assertEquals(2, r.code(), c[0] + " -> " + r.err());
            assertTrue(r.err().startsWith(f + ": " + c[1]), "expected '" + f + ": " + c[1] + "', got " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + c[0]);
        }
    }

    @Test
    void unknownOrUnavailableExecutorIsOneLine() throws IOException {
        Path f = SweepFixtures.write(tmp, "s.yaml", "base: base.yaml\n");
        ClRun.Result r = ClRun.run("sweep", f.toString(), "--out", tmp.resolve("o").toString(), "--executor", "pbs");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--executor: pbs: unknown executor"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void gpuDevicesNeedTheCudaBuild() throws IOException {
        Path f = SweepFixtures.write(tmp, "s.yaml", "base: base.yaml\ndevices: [0, 1]\n");
        ClRun.Result r = ClRun.run("sweep", f.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(f + ": devices: GPU devices need the CUDA build"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void configErrorsNameTheSweepFile() throws IOException {
        Path f = SweepFixtures.write(tmp, "s.yaml", "base: base.yaml\nset: {learner.lr: -1}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SweepRunner.plan(f));
        assertEquals(f + ": set.learner.lr: must be > 0, got -1.0", e.getMessage());
    }

}
