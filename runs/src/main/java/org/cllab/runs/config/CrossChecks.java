package org.cllab.runs.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.SettingProblem;

/**
 * Checks that involve several keys, run after each key was validated alone: the scenario type's and the learner
 * type's own checks (declared beside their code), then the generic ones: the learner can be trained in the
 * training mode and evaluated in every evaluation mode.
 */
final class CrossChecks {
    private CrossChecks() {
    }

    static void check(RunConfig c, Map<String, String> sourceOf, String defaultSource) {
        TypedConfig typed = TypedConfig.of(c);
        try {
            typed.check();
        } catch (SettingProblem e) {
            throw err(sourceOf, defaultSource, e.key(), e.getMessage());
        }
        LearnerType<?> learner = typed.learnerType();
        Mode training = typed.trainingMode();
        if (!learner.trainingModes().contains(training)) {
            throw err(sourceOf, defaultSource, "scenario.mode", learner.name() + " cannot be trained " + training
                    + " (possible: " + learner.trainingModes().stream().map(Mode::key).sorted().toList() + ")");
        }
        Set<Mode> supported = learner.evaluationModes(training);
        for (String m : evaluationModes(c)) {
            if (!supported.contains(Mode.parse(m))) {
                throw err(sourceOf, defaultSource, "evaluation.modes", "a " + learner.name()
                        + " learner trained " + training + " cannot be evaluated " + m + " (possible: "
                        + supported.stream().map(Mode::key).sorted().toList() + ")");
            }
        }
    }

    /** The modes to evaluate: the configured list or, if empty, the training mode. */
    static List<String> evaluationModes(RunConfig c) {
        List<String> l = c.getStringList("evaluation.modes");
        return l.isEmpty() ? List.of(c.getString("scenario.mode")) : l;
    }

    private static ConfigException err(Map<String, String> sourceOf, String def, String key, String msg) {
        return new ConfigException(sourceOf.getOrDefault(key, def), key, msg);
    }
}
