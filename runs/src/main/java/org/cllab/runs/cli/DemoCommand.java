package org.cllab.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cllab.core.metrics.AccuracyMatrix;
import org.cllab.core.metrics.ClMetrics;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.RunExecutor;
import org.cllab.runs.run.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cl demo}: the default experiment on bundled data. Split-MNIST 5x2, class-incremental, Finetune then Joint
 * ({@code runs/configs/split-mnist-finetune.yaml}, {@code runs/configs/split-mnist-joint.yaml}); prints both
 * accuracy matrices and a metrics table (Finetune's intransigence is measured against Joint's diagonal).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the default experiment on bundled MNIST: Split-MNIST 5x2 class-incremental, finetune "
                + "then joint, and print both accuracy matrices and the metrics.")
public final class DemoCommand implements Callable<Integer> {
    static final List<String> CONFIGS = List.of("split-mnist-finetune.yaml", "split-mnist-joint.yaml");

    @Option(names = "--out", paramLabel = "DIR", description = "parent directory of the two runs (default: results/demo)")
    Path out = Path.of("results", "demo");

    @Override
    public Integer call() throws Exception {
        Map<String, JsonNode> summaries = new LinkedHashMap<>();
        String reference = null;
        for (String name : CONFIGS) {
            Path file = locate(name);
            RunConfig cfg = new ConfigLoader().load(file, List.of());
            String learner = cfg.getString("learner.type");
            if (cfg.typed().learnerType().reference()) {
                reference = learner;
            }
            Path dir = out.resolve(learner);
            System.err.println("== " + learner + ": " + file + " -> " + dir);
            RunExecutor.Outcome o = new RunExecutor(Terminal.progressBar(cfg)).execute(cfg, dir, file);
            summaries.put(learner, o.summary());
        }
        String mode = "class-incremental";
        AccuracyMatrix joint = Summary.matrix(summaries.get(reference), mode);
        for (Map.Entry<String, JsonNode> e : summaries.entrySet()) {
            System.out.println();
            System.out.println(e.getKey() + " — " + mode + " accuracy matrix (row 0 = before training, row i = after "
                    + "task i):");
            System.out.print(Tables.matrix(e.getValue().path("evaluations").path(mode).path("accuracy_matrix")));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s %8s %8s %8s %11s %14s %9s%n", "learner", "ACC", "BWT", "FWT",
                "forgetting", "intransigence", "wall s");
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : summaries.entrySet()) {
            AccuracyMatrix m = Summary.matrix(e.getValue(), mode);
            rows.add(String.format(Locale.ROOT, "%-10s %8.4f %8.4f %8.4f %11.4f %14.4f %9.1f", e.getKey(),
                    ClMetrics.acc(m), ClMetrics.bwt(m), ClMetrics.fwt(m), ClMetrics.forgetting(m),
                    ClMetrics.intransigence(m, joint.duringAccuracies()),
                    e.getValue().path("wall_seconds").asDouble()));
        }
        rows.forEach(System.out::println);
        System.out.println("(intransigence against joint's diagonal; runs in " + out + ")");
        return 0;
    }

    /** {@code $cllab.home/runs/configs/NAME} if present, else the copy bundled in the jar. */
    static Path locate(String name) throws IOException {
        Path home = Path.of(System.getProperty("cllab.home", "."));
        Path p = home.resolve("runs").resolve("configs").resolve(name);
        if (Files.exists(p)) {
            return p;
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream("/org/cllab/runs/configs/" + name)) {
            if (in == null) {
                throw new IOException("bundled config " + name + " missing from the jar");
            }
            Path tmp = Files.createTempDirectory("cllab-demo").resolve(name);
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }
}
