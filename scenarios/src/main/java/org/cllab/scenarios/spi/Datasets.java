package org.cllab.scenarios.spi;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cllab.core.spi.PluginDiscovery;

/** The installed datasets (discovered once per class loader). */
public final class Datasets {
    private static volatile Map<String, DatasetType> installed;

    private Datasets() {
    }

    /** Every installed dataset by name. */
    public static Map<String, DatasetType> installed() {
        Map<String, DatasetType> m = installed;
        if (m == null) {
            m = discover(Datasets.class.getClassLoader());
            installed = m;
        }
        return m;
    }

    /** The datasets visible to {@code loader}; a name registered twice fails with one line naming both providers. */
    public static Map<String, DatasetType> discover(ClassLoader loader) {
        return PluginDiscovery.discover(DatasetModule.class, loader, "dataset", DatasetModule::datasets,
                DatasetType::name);
    }

    /** Names of the installed datasets: the allowed values of {@code scenario.dataset}. */
    public static final class Names implements Supplier<List<String>> {
        @Override
        public List<String> get() {
            return List.copyOf(installed().keySet());
        }
    }
}
