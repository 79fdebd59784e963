package org.cllab.scenarios.spi;

import java.util.Optional;
import org.cllab.core.api.Scenario;

/**
 * A task-stream type as a plug-in: {@code scenario.type} names it, its settings record holds its {@code scenario.*}
 * keys. Implementations are stateless and published by a {@link ScenarioModule}.
 *
 * @param <S> the settings record
 */
public interface ScenarioType<S extends Record> {
    /** The value of {@code scenario.type}. */
    String name();

    /** One or two sentences for the config reference (Markdown). */
    String doc();

    /** The settings record. */
    Class<S> settings();

    /** Problems visible before any data is loaded: throw a {@link org.cllab.core.spi.SettingProblem}. */
    default void check(S settings, ScenarioChecks context) {
    }

    /** Builds the stream; data problems are {@link org.cllab.scenarios.data.DataFileException}s or setting problems. */
    Scenario create(S settings, ScenarioContext context);

    /** The dataset the stream draws from, empty for a synthetic stream. */
    Optional<String> dataset(S settings);

    /** Number of tasks. */
    int tasks(S settings);

    /** Short label for report tables, e.g. {@code split-mnist 5x2}. */
    String label(S settings);
}
