package org.cllab.runs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.run.Summary;

/**
 * Finds finished runs (a {@code summary.json} marked finished next to a {@code config.yaml}) under a directory, in
 * the order of their paths. A {@code summary.json} that is not valid JSON is bad input ({@link ConfigException}).
 */
public final class RunCollector {
    private RunCollector() {
    }

    public static List<RunRecord> collect(Path root) throws IOException {
        List<RunRecord> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path summaryFile : s.filter(p -> p.getFileName().toString().equals(Summary.FILE)).sorted().toList()) {
                Path dir = summaryFile.getParent();
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
                RunConfig c = new ConfigLoader().load(cfgFile, List.of());
                out.add(new RunRecord(dir, c.getString("learner.type"), scenarioLabel(c), c.getLong("run.seed"),
                        summary));
            }
        }
        return out;
    }

    static String scenarioLabel(RunConfig c) {
        String type = c.getString("scenario.type");
        String label = type + "-" + c.getString("scenario.dataset") + " " + c.getInt("scenario.tasks");
        if (type.equals("split")) {
            label += "x" + c.getInt("scenario.classes_per_task");
        } else {
            label += " tasks";
        }
        return label;
    }
}
