package org.cllab.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.RunExecutor;
import org.cllab.runs.run.RunSignals;
import org.cllab.runs.run.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cl run CONFIG [--out DIR] [--set key=value ...]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one experiment from a YAML config. Rerunning the same --out resumes after the last "
                + "completed task; a finished run is reported, not redone.")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML config file")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: results/<config name>-<hash>)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = new ConfigLoader().load(config, sets);
        Path dir = out != null ? out : defaultDir(config, cfg);
        RunExecutor.Outcome o = new RunExecutor(Terminal.progressBar(cfg))
                .execute(cfg, dir, config);
        switch (o.state()) {
            case Summary.DIVERGED -> {
                System.err.println("cl: " + (o.alreadyFinished() ? "this run diverged earlier (" + dir
                        + "/summary.json): " : "") + Summary.failureLine(o.summary()));
                return Cl.DIVERGED;
            }
            case Summary.INTERRUPTED -> {
                System.err.println("cl: " + o.summary().path("interruption").path("message").asText() + " (" + dir
                        + ")");
                return RunSignals.EXIT_CODES.get(o.summary().path("interruption").path("signal").asText()
                        .replaceFirst("^SIG", ""));
            }
            default -> {
                if (o.alreadyFinished()) {
                    System.err.println("run already finished in " + dir + " (summary.json); nothing to do");
                }
                printResult(o.summary(), dir);
                return 0;
            }
        }
    }

    static Path defaultDir(Path configFile, RunConfig cfg) {
        String stem = configFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return Path.of("results", stem + "-" + cfg.hash().substring(0, 8));
    }

    static void printResult(JsonNode summary, Path dir) {
        System.out.println("run directory: " + dir);
        summary.path("evaluations").fields().forEachRemaining(e -> {
            System.out.println();
            System.out.println(e.getKey() + " accuracy matrix (row 0 = before training, row i = after task i):");
            System.out.print(Tables.matrix(e.getValue().path("accuracy_matrix")));
            System.out.println(Tables.metricsLine(e.getValue()));
        });
        System.out.printf("wall time: %.1f s%n", summary.path("wall_seconds").asDouble());
    }
}
