package org.cllab.runs.run;

import org.cllab.scenarios.data.StandardDatasets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Split Fashion-MNIST 5x2 on the full Debian files (60,000 / 10,000), one epoch per task (issue 2, acceptance 4).
 * Needs the Debian package {@code dataset-fashion-mnist}; {@code .ci/run} installs it.
 */
@Tag("slow")
class FashionMnistRunTest {
    @TempDir
    Path tmp;

    @Test
    void splitFashionMnistRunsFromTheDebianFiles() throws IOException {
        assertTrue(Files.exists(StandardDatasets.FASHION_MNIST_DEFAULT.resolve("train-images-idx3-ubyte.gz")),
                "install the Debian package dataset-fashion-mnist");
        RunConfig cfg = new ConfigLoader().load(null, List.of("scenario.dataset=fashion-mnist", "learner.epochs=1",
                "learner.hidden=[100]", "run.progress=never", "run.checkpoints=false"));
        JsonNode s = new RunExecutor().execute(cfg, tmp.resolve("fm"), null).summary();
        JsonNode prov = Json.MAPPER.readTree(tmp.resolve("fm/provenance.json").toFile());
        assertTrue(prov.get("data").asText().contains("(60000)") && prov.get("data").asText().contains("(10000)"),
                prov.get("data").asText());
        JsonNode ci = s.path("evaluations").path("class-incremental");
        assertEquals(6, ci.get("accuracy_matrix").size());
        // every task is learned when it is trained (diagonal), and class-incremental finetune forgets
        for (int t = 1; t <= 5; t++) {
            assertTrue(ci.get("accuracy_matrix").get(t).get(t - 1).asDouble() > 0.85, "R[" + t + "][" + t + "]");
        }
        assertTrue(ci.get("acc").asDouble() < 0.35, "finetune ACC " + ci.get("acc"));
    }
}
