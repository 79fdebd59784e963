package org.cllab.core.api;

import java.util.List;

/**
 * A scenario that carries a few-shot probe: fixed, seeded episodes drawn from a held-out pool of classes that no
 * training task contains. {@link org.cllab.core.eval.ContinualProtocol} scores every {@link FewShotAdapter} on them
 * after every task (and before the first), as the series {@link org.cllab.core.eval.FewShotProbe#SERIES}.
 */
public interface FewShotProbeSource {
    /** The probe episodes, the same list on every call. */
    List<FewShotEpisode> probeEpisodes();

    /** Adaptation steps per episode (full-batch SGD on the support set), the same for every learner. */
    int adaptationSteps();

    /** Learning rate of those steps. */
    double adaptationLr();
}
