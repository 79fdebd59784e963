package org.cllab.core.spi;

import java.util.List;

/**
 * A module's learner types, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.cllab.core.spi.LearnerModule}. Two providers of one type name fail at start.
 */
public interface LearnerModule {
    /** The learner types of this module, in the order they are documented. */
    List<LearnerType<?>> learnerTypes();
}
