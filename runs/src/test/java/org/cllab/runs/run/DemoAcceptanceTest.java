package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped demo configs reproduce the known shape of Split-MNIST class-incremental learning: finetune forgets
 * everything but the last task, joint keeps all tasks (issue 2, acceptance 2). About 40 s on 2 cores.
 */
@Tag("slow")
class DemoAcceptanceTest {
    @TempDir
    Path tmp;

    private JsonNode run(String name) throws IOException {
        Path file = RepoRoot.path().resolve("runs/configs").resolve(name);
        RunConfig cfg = new ConfigLoader().load(file, List.of("run.progress=never"));
        return new RunExecutor().execute(cfg, tmp.resolve(name), file).summary().path("evaluations")
                .path("class-incremental");
    }

    @Test
    void finetuneForgetsJointRemembers() throws IOException {
        JsonNode ft = run("split-mnist-finetune.yaml");
        assertTrue(ft.get("acc").asDouble() <= 0.35, "finetune ACC " + ft.get("acc"));
        assertTrue(ft.get("bwt").asDouble() <= -0.5, "finetune BWT " + ft.get("bwt"));
        JsonNode joint = run("split-mnist-joint.yaml");
        assertTrue(joint.get("acc").asDouble() >= 0.85, "joint ACC " + joint.get("acc"));
        assertTrue(joint.get("bwt").asDouble() >= -0.05, "joint BWT " + joint.get("bwt"));
        assertEquals(6, joint.get("accuracy_matrix").size());
    }
}
