package org.cllab.core.api;

import org.cllab.core.data.TaskData;

/**
 * One N-way K-shot episode of a few-shot probe: a support set the learner adapts on and a query set it is scored
 * on, both labelled with local labels {@code 0..ways-1}. The class labels of both parts are the episode's own
 * pseudo-class ids (disjoint from every training task's classes); learners never see them.
 *
 * @param name    e.g. {@code "probe episode 3"}
 * @param ways    N, the number of classes of the episode
 * @param support the K shots per class
 * @param query   the samples scored after adaptation
 */
public record FewShotEpisode(String name, int ways, TaskData support, TaskData query) {
    public FewShotEpisode {
        if (ways < 2) {
            throw new IllegalArgumentException("a few-shot episode needs >= 2 ways, got " + ways);
        }
    }
}
