package org.cllab.scenarios.spi;

import org.cllab.scenarios.data.ImageSet;

/** What the runner gives a scenario type to build its stream. */
public interface ScenarioContext {
    /** The stream seed (class order, permutations); independent of the learner seed. */
    long streamSeed();

    /**
     * The train and test sets of a registered dataset, read from {@code dataDir} or, when empty, the dataset's
     * default location (cached per process; never downloaded).
     */
    ImageSet[] trainTest(String dataset, String dataDir);
}
