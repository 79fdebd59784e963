/**
 * Plug-in contract of scenario types and datasets: a {@link org.cllab.scenarios.spi.ScenarioType} declares its name,
 * doc, settings record (its {@code scenario.*} keys), checks and factory; a {@link org.cllab.scenarios.spi.DatasetType}
 * how a dataset is found and read. Modules publish them through {@link org.cllab.scenarios.spi.ScenarioModule} and
 * {@link org.cllab.scenarios.spi.DatasetModule} in {@code META-INF/services}; the runner discovers them.
 */
package org.cllab.scenarios.spi;
