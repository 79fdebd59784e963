package org.cllab.runs.run;

import org.cllab.scenarios.data.StandardDatasets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-value bottleneck through the runner: toy runs, plots, encoder pretraining, bad configs. */
class DkvbRunTest {
    @TempDir
    Path tmp;

    private static final Path TOY = Path.of("../runs/configs/dkvb-toy.yaml");

    private static RunConfig toy(String... sets) {
        return new ConfigLoader().load(TOY, List.of(sets));
    }

    @Test
    void toyRunWritesADecisionRegionPlotAfterEveryTask() throws IOException {
        RunConfig cfg = toy("run.progress=never", "learner.dkvb.steps_per_batch=50", "learner.dkvb.init_samples=4000",
                "learner.dkvb.init_epochs=1");
        new RunExecutor().execute(cfg, tmp.resolve("toy"), null);
        for (int t = 1; t <= 4; t++) {
            BufferedImage img = ImageIO.read(tmp.resolve("toy/plots/decision-regions-task-" + t + ".png").toFile());
            assertEquals(448, img.getWidth());
            assertEquals(448, img.getHeight());
        }
    }

    @Tag("slow")
    @Test
    void toyBottleneckKeepsAllEightClasses() throws IOException {
        JsonNode s = new RunExecutor().execute(toy("run.progress=never"), tmp.resolve("toy-full"), null).summary();
        double acc = s.path("evaluations").path("class-incremental").path("acc").asDouble();
        assertTrue(acc >= 0.97, "final 8-class accuracy " + acc);
    }

    @Test
    void encoderPretrainingIsReproducibleAndRecordsProvenance() throws IOException {
        Path dir = StandardDatasets.FASHION_MNIST_DEFAULT;
        EncoderPretraining.Settings s = new EncoderPretraining.Settings(dir, "fashion-mnist", new int[] {32}, 1, 64,
                1e-3, 5L, 1000);
        EncoderPretraining.Result a = EncoderPretraining.train(s);
        EncoderPretraining.Result b = EncoderPretraining.train(s);
        assertEquals(a.encoder().parameterHash(), b.encoder().parameterHash(), "same seed, same encoder");
        assertTrue(a.testAccuracy() > 0.5, "test accuracy " + a.testAccuracy());
        Path file = tmp.resolve("enc.bin");
        EncoderPretraining.write(file, s, a);
        assertEquals(a.encoder().parameterHash(), EncoderPretraining.read(file).parameterHash());
        JsonNode p = Json.MAPPER.readTree(Path.of(file + ".json").toFile());
        assertEquals("fashion-mnist", p.path("dataset").asText());
        assertEquals(4, p.path("data_files").size());
        assertEquals(64, p.path("data_files").get(0).path("sha256").asText().length());
        assertEquals(a.encoder().parameterHash(), p.path("parameters_sha256").asText());

        // a stream of the encoder's own dataset refuses it; MNIST accepts it and sees 32-d features
        RunConfig same = TinyRuns.config("scenario.dataset=fashion-mnist", "scenario.encoder=" + file);
        ConfigException e = assertThrows(ConfigException.class, () -> Experiment.build(same));
        assertEquals("scenario.encoder", e.key());
        assertEquals(32, Experiment.build(TinyRuns.config("scenario.encoder=" + file)).scenario().info()
                .featureDim());
    }

    @Test
    void missingEncoderNamesTheKeyAndTheCommandThatCreatesIt() {
        Path missing = tmp.resolve("none.bin");
        RunConfig cfg = TinyRuns.config("scenario.encoder=" + missing);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new RunExecutor().execute(cfg, tmp.resolve("run"), null));
        assertEquals("scenario.encoder", e.key());
        assertTrue(e.getMessage().contains("cl pretrain-encoder --out " + missing), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("run")), "nothing written");
    }

    @Test
    void impossibleDkvbConfigsAreRejectedWithTheKey() {
        assertEquals("scenario.mode", assertThrows(ConfigException.class, () -> TinyRuns.config("learner.type=dkvb",
                "scenario.mode=task-incremental", "evaluation.modes=[task-incremental]")).key());
        assertEquals("learner.dkvb.key_init", assertThrows(ConfigException.class, () -> TinyRuns.config(
                "learner.type=dkvb", "learner.dkvb.key_init=mnist", "evaluation.modes=[class-incremental]")).key());
        assertEquals("evaluation.modes", assertThrows(ConfigException.class, () -> TinyRuns.config(
                "learner.type=dkvb")).key(), "a dkvb learner answers class-incremental queries only");
        assertEquals("scenario.tasks", assertThrows(ConfigException.class, () -> toy("scenario.tasks=5")).key());
        assertEquals("learner.dkvb.value_dim", assertThrows(ConfigException.class,
                () -> toy("learner.dkvb.value_dim=4")).key());
        assertEquals("learner.dkvb.top_k", assertThrows(ConfigException.class,
                () -> toy("learner.dkvb.top_k=500")).key());
        RunConfig chunk = toy("learner.dkvb.key_dim=3");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.build(chunk).newLearner(org.cllab.core.api.TrainingListener.NONE));
        assertEquals("learner.dkvb.key_dim", e.key());
    }
}
