package org.cllab.runs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.ScenarioFacts;
import org.cllab.core.spi.SettingsBinder;
import org.cllab.runs.plugins.Plugins;
import org.cllab.scenarios.spi.ScenarioChecks;
import org.cllab.scenarios.spi.ScenarioContext;
import org.cllab.scenarios.spi.ScenarioType;

/**
 * A config's scenario and learner as typed plug-in calls: the two types it names and their settings records bound
 * from its values. The runner reaches a plug-in only through this class, never by name.
 */
public final class TypedConfig {
    private final RunConfig config;
    private final ScenarioType<?> scenarioType;
    private final Record scenarioSettings;
    private final LearnerType<?> learnerType;
    private final Record learnerSettings;

    private TypedConfig(RunConfig config, Plugins plugins) {
        this.config = config;
        this.scenarioType = plugins.scenario(config.getString("scenario.type")).orElseThrow(() ->
                new IllegalStateException("scenario type not installed: " + config.getString("scenario.type")));
        this.learnerType = plugins.learner(config.getString("learner.type")).orElseThrow(() ->
                new IllegalStateException("learner type not installed: " + config.getString("learner.type")));
        this.scenarioSettings = SettingsBinder.bind(scenarioType.settings(), config.values()::get);
        this.learnerSettings = SettingsBinder.bind(learnerType.settings(), config.values()::get);
    }

    /** The typed view of a validated config (its schema's plug-ins). */
    public static TypedConfig of(RunConfig config) {
        return new TypedConfig(config, config.schema().plugins());
    }

    public ScenarioType<?> scenarioType() {
        return scenarioType;
    }

    public LearnerType<?> learnerType() {
        return learnerType;
    }

    /** The scenario's settings record. */
    public Record scenarioSettings() {
        return scenarioSettings;
    }

    /** The learner's settings record. */
    public Record learnerSettings() {
        return learnerSettings;
    }

    public Mode trainingMode() {
        return Mode.parse(config.getString("scenario.mode"));
    }

    public boolean encoded() {
        return !config.getString("scenario.encoder").isEmpty();
    }

    /** The dataset the stream draws from, empty for a synthetic stream. */
    public Optional<String> dataset() {
        return call(scenarioType, s -> s.dataset(cast(scenarioSettings)));
    }

    public int tasks() {
        return call(scenarioType, s -> s.tasks(cast(scenarioSettings)));
    }

    /** Report label of the scenario, e.g. {@code split-mnist 5x2}. */
    public String scenarioLabel() {
        return call(scenarioType, s -> s.label(cast(scenarioSettings)));
    }

    /** What the learner's checks may know about the scenario. */
    public ScenarioFacts facts() {
        return new ScenarioFacts(scenarioType.name(), dataset(), tasks(), trainingMode(), encoded());
    }

    /** Runs the scenario type's and then the learner type's checks (they throw setting problems). */
    public void check() {
        Map<String, Integer> classes = new LinkedHashMap<>();
        config.schema().plugins().datasets().forEach((n, d) -> classes.put(n, d.classes()));
        ScenarioChecks sc = new ScenarioChecks(trainingMode(), encoded(), classes);
        call(scenarioType, s -> {
            s.check(cast(scenarioSettings), sc);
            return null;
        });
        ScenarioFacts facts = facts();
        callLearner(learnerType, l -> {
            l.check(cast(learnerSettings), facts);
            return null;
        });
    }

    /** Builds the scenario. */
    public Scenario createScenario(ScenarioContext context) {
        return call(scenarioType, s -> s.create(cast(scenarioSettings), context));
    }

    /** Builds a fresh learner. */
    public ContinualLearner createLearner(LearnerContext context, LearnerResources resources) {
        return callLearner(learnerType, l -> l.create(cast(learnerSettings), context, resources));
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> S cast(Record r) {
        return (S) r;
    }

    private static <S extends Record, R> R call(ScenarioType<S> t, java.util.function.Function<ScenarioType<S>, R> f) {
        return f.apply(t);
    }

    private static <S extends Record, R> R callLearner(LearnerType<S> t,
                                                       java.util.function.Function<LearnerType<S>, R> f) {
        return f.apply(t);
    }
}
