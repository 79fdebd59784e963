package org.cllab.core.loop;

/**
 * A learner that trains on a {@link TaskLoop}: the runner can reach its loop, e.g. to install a {@link StepGuard}
 * ({@code if (learner instanceof OnTaskLoop l) l.loop().setGuard(guard)}).
 */
public interface OnTaskLoop {
    TaskLoop loop();
}
