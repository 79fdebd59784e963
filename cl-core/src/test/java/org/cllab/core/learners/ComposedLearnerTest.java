package org.cllab.core.learners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.nn.Activation;
import org.cllab.core.parts.EwcPenalty;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.ScenarioFacts;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.SettingsBinder;
import org.cllab.core.state.StateReader;
import org.cllab.core.testing.MemoryBoundaryStore;
import org.cllab.core.testing.SyntheticScenario;
import org.junit.jupiter.api.Test;

/** EWC + replay as two hooks on one learner: both act, both checkpoint under their own names, the type checks lists. */
class ComposedLearnerTest {
    private static final SyntheticScenario SC = SyntheticScenario.split(3, 2, 6, 20, 5, 2);
    private static final MlpLearnerSpec SPEC = new MlpLearnerSpec(new int[] {8}, Activation.RELU,
            MlpLearnerSpec.OptimizerKind.ADAM, 0.01, 0.0, 10, 2, false);
    private static final EwcHook.Settings EWC = new EwcHook.Settings(EwcPenalty.Kind.EWC, 100.0, 1.0, 0,
            MlpClassifier.FisherLabels.SAMPLED);
    private static final ReplayHook.Settings ER = new ReplayHook.Settings(15, 5, false);

    private static FinetuneLearner train(List<MlpHook> hooks) {
        FinetuneLearner l = new FinetuneLearner(SPEC, new LearnerContext(SC.info(), Mode.CLASS_INCREMENTAL, 4,
                TrainingListener.NONE), hooks);
        for (int t = 0; t < 3; t++) {
            l.learn(new TrainingExperience(SC.info().task(t), SC.train(t), SC.info()));
        }
        return l;
    }

    @Test
    void bothHooksActAndCheckpointUnderTheirOwnNames() throws IOException {
        FinetuneLearner both = train(List.of(EWC, ER));
        FinetuneLearner ewc = train(List.of(EWC));
        FinetuneLearner er = train(List.of(ER));
        assertEquals(3, ((EwcHook) both.hook("ewc")).penalty().anchors());
        assertEquals(15, ((ReplayHook) both.hook("replay")).buffer().size());
        float[] p = both.classifier().network().params().toFloatVector();
        assertFalse(Arrays.equals(p, ewc.classifier().network().params().toFloatVector()));
        assertFalse(Arrays.equals(p, er.classifier().network().params().toFloatVector()));
        Set<String> keys = new StateReader(new ByteArrayInputStream(MemoryBoundaryStore.bytes(both))).names();
        for (String prefix : List.of("mlp/", "ewc/", "replay/")) {
            assertTrue(keys.stream().anyMatch(k -> k.startsWith(prefix)), prefix + " in " + keys);
        }
    }

    @Test
    void composedTypeRejectsEmptyRepeatedAndConflictingLists() {
        LearnerType<?> type = new BaselineLearners().learnerTypes().stream().filter(t -> t.name().equals("composed"))
                .findFirst().orElseThrow();
        ScenarioFacts facts = new ScenarioFacts("split", Optional.of("mnist"), 5, Mode.CLASS_INCREMENTAL, false);
        for (List<String> bad : List.of(List.<String>of(), List.of("er", "er"), List.of("ewc", "online-ewc"))) {
            SettingProblem e = assertThrows(SettingProblem.class, () -> check(type, bad, facts));
            assertEquals("learner.hooks", e.key());
        }
        check(type, List.of("si", "lwf", "er"), facts);
        BaselineLearners.ComposedSettings s = SettingsBinder.defaults(BaselineLearners.ComposedSettings.class);
        assertEquals(List.of("ewc", "er"), s.hooks().hooks());
        assertEquals(2, s.hookSettings().size());
    }

    @SuppressWarnings("unchecked")
    private static void check(LearnerType<?> type, List<String> hooks, ScenarioFacts facts) {
        BaselineLearners.ComposedSettings d = SettingsBinder.defaults(BaselineLearners.ComposedSettings.class);
        BaselineLearners.ComposedSettings s = new BaselineLearners.ComposedSettings(d.mlp(),
                new BaselineLearners.HookKeys(hooks), d.ewc(), d.online(), d.si(), d.er(), d.lwf());
        ((LearnerType<BaselineLearners.ComposedSettings>) type).check(s, facts);
    }
}
