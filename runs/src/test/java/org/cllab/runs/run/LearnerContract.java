package org.cllab.runs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.Mode;
import org.cllab.core.api.StreamingLearner;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.api.UpperBoundLearner;
import org.cllab.core.eval.Evaluator;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.SettingKey;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.config.RunConfig;
import org.cllab.runs.plugins.Plugins;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The contract every registered learner type must meet, for each training mode it declares (the cases come from
 * the plug-in registry, so a new learner is covered without editing this file):
 *
 * <ol>
 *   <li>a run interrupted after task 2 of 3 and resumed from its checkpoint ends with the accuracy matrices and the
 *   learner state bytes of an uninterrupted run;</li>
 *   <li>the evaluation modes the type declares are exactly the built learner's, and the learner implements the
 *   predictor of each (and exactly one training interface);</li>
 *   <li>every setting of the type has documentation, and appears in {@code docs/config.md}.</li>
 * </ol>
 *
 * Runs are tiny (3 tasks of 100 bundled MNIST digits, one epoch, 16 hidden units); {@link #TINY} shrinks the types
 * whose defaults are slow. Used by {@link LearnerContractTest} (CPU, fast tier) and {@link LearnerContractGpuTest}.
 * Options with state of their own (HNET's importance weights and look-ahead, RNN growth, DKVB on the toy stream) are
 * resumed in {@link LearnerResumeTest}.
 */
final class LearnerContract {
    /** Per type: settings that keep its contract runs small (a new type without an entry runs its defaults). */
    static final Map<String, List<String>> TINY = Map.ofEntries(
            Map.entry("hnet", List.of("learner.hnet.iterations=20", "learner.hnet.hidden=[16]",
                    "learner.hnet.chunk_dim=300")),
            Map.entry("rnn-hnet", List.of("learner.hnet.iterations=20", "learner.hnet.chunk_dim=300",
                    "learner.rnn.hidden_units=12")),
            Map.entry("dkvb", List.of("learner.batch_size=30", "learner.dkvb.codebooks=8", "learner.dkvb.pairs=64",
                    "learner.dkvb.key_dim=4", "learner.dkvb.key_init=fashion-mnist", "learner.dkvb.init_samples=300",
                    "learner.dkvb.init_batch_size=100", "learner.dkvb.steps_per_batch=2")),
            Map.entry("er", List.of("learner.er.buffer_size=40")),
            Map.entry("composed", List.of("learner.er.buffer_size=40", "learner.ewc.fisher_samples=60")),
            Map.entry("ewc", List.of("learner.ewc.fisher_samples=60")),
            Map.entry("online-ewc", List.of("learner.ewc.fisher_samples=60")),
            Map.entry("icm-lora", List.of("learner.icm_lora.hidden=[8]", "learner.icm_lora.base_epochs=1",
                    "learner.icm_lora.epochs=1", "learner.icm_lora.checkpoints=3",
                    "learner.icm_lora.checkpoint_every=1", "learner.icm_lora.vae_hidden=8",
                    "learner.icm_lora.cond_emb=4", "learner.icm_lora.latent=4",
                    "learner.icm_lora.generator_steps=5", "learner.icm_lora.replay_samples=2")),
            Map.entry("meta-rtl", List.of("learner.meta_rtl.hidden=[16]", "learner.meta_rtl.finetune_steps=20")),
            Map.entry("d2nwg", List.of("learner.d2nwg.seeds=1", "learner.d2nwg.checkpoints=2",
                    "learner.d2nwg.head_steps=20", "learner.d2nwg.every=5", "learner.d2nwg.memory=5",
                    "learner.d2nwg.replay_samples=2", "learner.d2nwg.latent=8", "learner.d2nwg.vae_hidden=16",
                    "learner.d2nwg.vae_epochs=2", "learner.d2nwg.hidden=16", "learner.d2nwg.train_steps=10",
                    "learner.d2nwg.ddim_steps=5", "learner.d2nwg.samples=2")),
            Map.entry("fast-slow", List.of("learner.slow.inner_epochs=2", "learner.fast_slow.fisher_samples=60")),
            Map.entry("reptile", List.of("learner.slow.inner_epochs=2")),
            Map.entry("contracon", List.of("learner.contracon.tokenizer_channels=4", "learner.contracon.dim=16",
                    "learner.contracon.heads=2", "learner.contracon.layers=1", "learner.contracon.epochs=1",
                    "learner.contracon.views=2", "learner.contracon.copies=1")));

    private LearnerContract() {
    }

    /** Every registered learner type with every training mode it declares. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LearnerType<?> t : Plugins.installed().learners().values()) {
            for (Mode m : new TreeSet<>(t.trainingModes())) {
                out.add(Arguments.of(t.name(), m.key()));
            }
        }
        return out.stream();
    }

    static RunConfig config(String learner, String mode) {
        LearnerType<?> type = Plugins.installed().learner(learner).orElseThrow();
        Set<Mode> eval = type.evaluationModes(Mode.parse(mode));
        List<String> sets = new ArrayList<>(List.of("learner.type=" + learner, "scenario.mode=" + mode,
                "scenario.tasks=3", "scenario.train_limit=100", "learner.epochs=1", "learner.reset_optimizer=false",
                "evaluation.modes=[" + String.join(", ", new TreeSet<>(eval).stream().map(Mode::key).toList())
                        + "]"));
        sets.addAll(TINY.getOrDefault(learner, List.of()));
        return TinyRuns.config(sets.toArray(String[]::new));
    }

    /** Contract 1: interrupted after task 2 and resumed equals uninterrupted, matrices and state bytes. */
    static void resumeIsByteIdentical(String learner, String mode, Path tmp) throws IOException {
        assertResumeIsByteIdentical(config(learner, mode), tmp, learner + " " + mode);
    }

    /**
     * Runs {@code cfg} uninterrupted and, in a second directory, crashes it after task 2 and resumes it: the resumed
     * run must report {@code resumed_after_task = 2}, the same evaluations and the same final learner-state bytes.
     */
    static void assertResumeIsByteIdentical(RunConfig cfg, Path tmp, String label) throws IOException {
        JsonNode reference = new RunExecutor().execute(cfg, tmp.resolve("ref"), null).summary();
        Path dir = tmp.resolve("killed");
        ProtocolListener crash = new ProtocolListener() {
            @Override
            public void onBoundary(ProtocolState state) {
                if (state.tasksDone() == 2) {
                    throw new IllegalStateException("simulated crash after task 2");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> new RunExecutor(false, crash).execute(cfg, dir, null));
        assertFalse(Files.exists(dir.resolve("summary.json")));
        JsonNode resumed = new RunExecutor().execute(cfg, dir, null).summary();
        assertEquals(2, resumed.get("resumed_after_task").asInt());
        assertEquals(reference.path("evaluations"), resumed.path("evaluations"), label);
        String last;
        try (Stream<Path> boundaries = Files.list(tmp.resolve("ref/checkpoints"))) {
            last = "checkpoints/" + boundaries.map(p -> p.getFileName().toString()).max(String::compareTo)
                    .orElseThrow() + "/learner.state";
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("ref").resolve(last)), Files.readAllBytes(dir.resolve(last)),
                label + ": final learner state bytes");
    }

    /** Contract 2: declared evaluation modes = the learner's, each backed by its predictor; one training view. */
    static void declaredModesMatchPredictors(String learner, String mode) {
        LearnerType<?> type = Plugins.installed().learner(learner).orElseThrow();
        Mode training = Mode.parse(mode);
        ContinualLearner l = Experiment.build(config(learner, mode)).newLearner(TrainingListener.NONE);
        Set<Mode> declared = type.evaluationModes(training);
        assertFalse(declared.isEmpty(), learner + " declares no evaluation mode for " + mode);
        assertEquals(declared, l.evaluationModes(), learner + " " + mode + ": declared vs built evaluation modes");
        for (Mode m : declared) {
            assertTrue(Evaluator.supports(l, m), learner + " declares " + m + " but implements no predictor for it");
        }
        int views = (l instanceof TaskAwareLearner ? 1 : 0) + (l instanceof UpperBoundLearner ? 1 : 0)
                + (l instanceof StreamingLearner ? 1 : 0);
        assertEquals(1, views, learner + " must implement exactly one training interface");
    }

    /** Contract 3: the type and every one of its settings are documented, in the code and in docs/config.md. */
    static void settingsAreDocumented(String learner) throws IOException {
        LearnerType<?> type = Plugins.installed().learner(learner).orElseThrow();
        assertFalse(type.doc().isBlank(), learner + " has no doc");
        String configDoc = Files.readString(RepoRoot.path().resolve("docs/config.md"));
        assertTrue(configDoc.contains("## `learner.type: " + learner + "`"), "docs/config.md lacks " + learner);
        for (SettingKey k : Plugins.installed().learnerKeys(learner)) {
            assertTrue(k.doc() != null && k.doc().strip().length() >= 10, learner + ": " + k.name()
                    + " is undocumented");
            assertTrue(configDoc.contains("`" + k.name() + "`"), "docs/config.md lacks " + k.name());
        }
    }
}
