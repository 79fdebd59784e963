/**
 * The typed continual-learning API.
 *
 * <p>A {@link org.cllab.core.api.Scenario} is a sequence of tasks. Training gives a learner a
 * {@link org.cllab.core.api.TrainingExperience} (task-aware learners), a
 * {@link org.cllab.core.api.CumulativeExperience} (upper-bound learners such as Joint) or a plain sample stream
 * of {@link org.cllab.core.api.StreamBatch}es without task identity (boundary-free learners). Evaluation asks
 * through one query type per mode; {@link org.cllab.core.api.ClassIncrementalQuery} and
 * {@link org.cllab.core.api.DomainIncrementalQuery} have no task id, so a learner cannot read one: that is a
 * compile-time guarantee, not a runtime check.
 */
package org.cllab.core.api;
