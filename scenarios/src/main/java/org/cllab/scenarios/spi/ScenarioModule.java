package org.cllab.scenarios.spi;

import java.util.List;

/** A module's scenario types, found with {@link java.util.ServiceLoader} ({@code META-INF/services}). */
public interface ScenarioModule {
    /** The scenario types of this module, in the order they are documented. */
    List<ScenarioType<?>> scenarioTypes();
}
