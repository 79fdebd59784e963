package org.cllab.runs.plugins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.PluginConflict;
import org.cllab.core.spi.PluginDiscovery;
import org.cllab.core.spi.SettingKey;
import org.cllab.core.spi.SettingsBinder;
import org.cllab.scenarios.spi.DatasetType;
import org.cllab.scenarios.spi.Datasets;
import org.cllab.scenarios.spi.ScenarioModule;
import org.cllab.scenarios.spi.ScenarioType;

/**
 * Every installed learner type, scenario type and dataset, discovered once per class loader. Discovery fails with a
 * one-line {@link PluginConflict} when two providers register one name, and with an {@link IllegalStateException}
 * when two types declare the same config key differently (type, default, allowed values or range).
 */
public final class Plugins {
    private static volatile Plugins installed;

    private final Map<String, LearnerType<?>> learners;
    private final Map<String, ScenarioType<?>> scenarios;
    private final Map<String, DatasetType> datasets;
    private final Map<String, List<SettingKey>> learnerKeys = new LinkedHashMap<>();
    private final Map<String, List<SettingKey>> scenarioKeys = new LinkedHashMap<>();

    private Plugins(Map<String, LearnerType<?>> learners, Map<String, ScenarioType<?>> scenarios,
                    Map<String, DatasetType> datasets) {
        this.learners = learners;
        this.scenarios = scenarios;
        this.datasets = datasets;
        Map<String, SettingKey> seen = new LinkedHashMap<>();
        Map<String, String> declaredBy = new LinkedHashMap<>();
        for (LearnerType<?> t : learners.values()) {
            learnerKeys.put(t.name(), checked("learner type " + t.name(), SettingsBinder.keys(t.settings()), seen,
                    declaredBy));
        }
        for (ScenarioType<?> t : scenarios.values()) {
            scenarioKeys.put(t.name(), checked("scenario type " + t.name(), SettingsBinder.keys(t.settings()), seen,
                    declaredBy));
        }
    }

    /** The plug-ins on the class path of this class. */
    public static Plugins installed() {
        Plugins p = installed;
        if (p == null) {
            synchronized (Plugins.class) {
                p = installed;
                if (p == null) {
                    p = discover(Plugins.class.getClassLoader());
                    installed = p;
                }
            }
        }
        return p;
    }

    /** The plug-ins visible to {@code loader}. */
    public static Plugins discover(ClassLoader loader) {
        Map<String, LearnerType<?>> l = PluginDiscovery.discover(LearnerModule.class, loader, "learner type",
                LearnerModule::learnerTypes, LearnerType::name);
        Map<String, ScenarioType<?>> s = PluginDiscovery.discover(ScenarioModule.class, loader, "scenario type",
                ScenarioModule::scenarioTypes, ScenarioType::name);
        Map<String, DatasetType> d = loader == Datasets.class.getClassLoader() ? Datasets.installed()
                : Datasets.discover(loader);
        if (l.isEmpty() || s.isEmpty()) {
            throw new IllegalStateException("no " + (l.isEmpty() ? "learner" : "scenario") + " types installed "
                    + "(META-INF/services entries missing from the class path)");
        }
        return new Plugins(l, s, d);
    }

    private static List<SettingKey> checked(String owner, List<SettingKey> keys, Map<String, SettingKey> seen,
                                            Map<String, String> declaredBy) {
        List<SettingKey> out = new ArrayList<>();
        for (SettingKey k : keys) {
            SettingKey before = seen.putIfAbsent(k.name(), k);
            declaredBy.putIfAbsent(k.name(), owner);
            if (before != null && !before.sameDeclaration(k)) {
                throw new IllegalStateException("config key " + k.name() + " is declared differently by "
                        + declaredBy.get(k.name()) + " (" + before.piece().getName() + ") and " + owner + " ("
                        + k.piece().getName() + ")");
            }
            if (out.stream().anyMatch(o -> o.name().equals(k.name()))) {
                throw new IllegalStateException(owner + " declares config key " + k.name() + " twice");
            }
            out.add(k);
        }
        return List.copyOf(out);
    }

    /** Learner types by name, in discovery order. */
    public Map<String, LearnerType<?>> learners() {
        return learners;
    }

    /** Scenario types by name, in discovery order. */
    public Map<String, ScenarioType<?>> scenarios() {
        return scenarios;
    }

    /** Datasets by name. */
    public Map<String, DatasetType> datasets() {
        return datasets;
    }

    public Optional<LearnerType<?>> learner(String name) {
        return Optional.ofNullable(learners.get(name));
    }

    public Optional<ScenarioType<?>> scenario(String name) {
        return Optional.ofNullable(scenarios.get(name));
    }

    /** The keys a learner type reads, in declaration order. */
    public List<SettingKey> learnerKeys(String type) {
        return learnerKeys.getOrDefault(type, List.of());
    }

    /** The keys a scenario type reads, in declaration order. */
    public List<SettingKey> scenarioKeys(String type) {
        return scenarioKeys.getOrDefault(type, List.of());
    }
}
