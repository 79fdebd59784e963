/**
 * The evaluation protocol: train task by task, evaluate every mode on every task's test data after each task
 * (row 0 before any training), and checkpoint learner and partial results at every task boundary through a
 * {@link org.cllab.core.eval.BoundaryStore} so that an interrupted run resumes after its last completed task.
 */
package org.cllab.core.eval;
