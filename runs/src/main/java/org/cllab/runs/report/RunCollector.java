package org.cllab.runs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.ResolvedConfigFile;
import org.cllab.runs.run.Summary;

/**
 * Finds finished runs (a {@code summary.json} marked finished next to a {@code config.yaml}) under a directory, in
 * the order of their paths. A {@code summary.json} that is not valid JSON is bad input ({@link ConfigException}).
 * Runs of one scenario and learner type that differ in any setting other than seeds and bookkeeping get a learner
 * label naming the differing settings ({@link #learnerLabel}), so a report never averages different experiments.
 */
public final class RunCollector {
    private RunCollector() {
    }

    /**
     * Config keys that do not make runs different experiments: seeds, run bookkeeping, data location, which modes are
     * evaluated (each mode is its own table) and evaluation plumbing.
     */
    static final Set<String> NOT_A_VARIANT = Set.of("scenario.seed", "learner.seed", "scenario.data_dir",
            "evaluation.modes", "evaluation.batch_size", "evaluation.joint_reference");

    /**
     * Runs under {@code root} that diverged ({@code summary.json} with {@code "state": "diverged"}): relative
     * directory to the one-line reason, in path order.
     */
    public static Map<String, String> diverged(Path root) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Path base = root.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path summaryFile : s.filter(p -> p.getFileName().toString().equals(Summary.FILE)).sorted().toList()) {
                JsonNode d;
                try {
                    d = Summary.readDiverged(summaryFile.getParent());
                } catch (JsonProcessingException e) {
                    continue; // collect() reports it
                }
                if (d != null) {
                    String rel = base.relativize(summaryFile.getParent().toAbsolutePath().normalize()).toString();
                    out.put(rel.isEmpty() ? "." : rel.replace('\\', '/'), Summary.failureLine(d));
                }
            }
        }
        return out;
    }

    public static List<RunRecord> collect(Path root) throws IOException {
        List<Path> runDirs;
        try (Stream<Path> s = Files.walk(root)) {
            runDirs = s.filter(p -> p.getFileName().toString().equals(Summary.FILE)).sorted().map(Path::getParent)
                    .toList();
        }
        return collect(runDirs);
    }

    /**
     * The finished runs among the given run directories, in their order, labelled as by {@link #collect(Path)}
     * (labels depend on the set of runs); directories without a finished summary are left out.
     */
    public static List<RunRecord> collect(List<Path> runDirs) throws IOException {
        List<Path> dirs = new ArrayList<>();
        List<RunConfig> configs = new ArrayList<>();
        List<JsonNode> summaries = new ArrayList<>();
        ResolvedConfigFile reader = new ResolvedConfigFile();
        for (Path dir : runDirs) {
            Path summaryFile = dir.resolve(Summary.FILE);
            if (!Files.exists(summaryFile)) {
                continue;
            }
            JsonNode summary;
            try {
                summary = Summary.readFinished(dir);
            } catch (JsonProcessingException e) {
                throw new ConfigException("report", summaryFile.toString(),
                        "not valid JSON (" + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
            }
            Path cfgFile = dir.resolve("config.yaml");
            if (summary == null || !Files.exists(cfgFile)) {
                continue;
            }
            dirs.add(dir);
            configs.add(reader.read(cfgFile));
            summaries.add(summary);
        }
        Map<String, List<Integer>> byLearner = new TreeMap<>();
        for (int i = 0; i < configs.size(); i++) {
            byLearner.computeIfAbsent(scenarioLabel(configs.get(i)) + "\n" + configs.get(i).getString("learner.type"),
                    k -> new ArrayList<>()).add(i);
        }
        String[] labels = new String[configs.size()];
        byLearner.values().forEach(idx -> {
            List<String> differing = differingKeys(idx.stream().map(configs::get).toList());
            for (int i : idx) {
                labels[i] = learnerLabel(configs.get(i), differing);
            }
        });
        List<RunRecord> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            RunConfig c = configs.get(i);
            out.add(new RunRecord(dirs.get(i), labels[i], scenarioLabel(c), c.getLong("run.seed"), summaries.get(i)));
        }
        return out;
    }

    /** Keys (schema order) whose values differ between the runs, apart from seeds and bookkeeping. */
    static List<String> differingKeys(List<RunConfig> configs) {
        List<String> keys = new ArrayList<>();
        for (String key : configs.get(0).values().keySet()) {
            if (key.startsWith("run.") || NOT_A_VARIANT.contains(key)) {
                continue;
            }
            Object first = configs.get(0).values().get(key);
            if (configs.stream().anyMatch(c -> !Objects.equals(first, c.values().get(key)))) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * {@code learner.type}, followed by the values of the differing keys when runs of one scenario and learner type
     * were made with different settings (a hyperparameter sweep), e.g. {@code ewc (ewc.lambda=100)}, so that such
     * runs are never averaged together.
     */
    static String learnerLabel(RunConfig c, List<String> differing) {
        String type = c.getString("learner.type");
        if (differing.isEmpty()) {
            return type;
        }
        List<String> parts = new ArrayList<>();
        for (String k : differing) {
            parts.add((k.startsWith("learner.") ? k.substring("learner.".length()) : k) + "=" + c.values().get(k));
        }
        return type + " (" + String.join(", ", parts) + ")";
    }

    /** The {@code learner.type} of a learner label of {@link #learnerLabel}. */
    static String learnerType(String label) {
        int sp = label.indexOf(' ');
        return sp < 0 ? label : label.substring(0, sp);
    }

    static String scenarioLabel(RunConfig c) {
        return c.typed().scenarioLabel();
    }
}
