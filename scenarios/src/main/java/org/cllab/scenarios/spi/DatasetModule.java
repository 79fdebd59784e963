package org.cllab.scenarios.spi;

import java.util.List;

/** A module's datasets, found with {@link java.util.ServiceLoader} ({@code META-INF/services}). */
public interface DatasetModule {
    /** The datasets of this module. */
    List<DatasetType> datasets();
}
