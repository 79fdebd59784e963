package org.cllab.core.spi;

import java.security.CodeSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Finds plug-ins with {@link ServiceLoader}: every provider of a module interface, every type it publishes, keyed by
 * type name. A name published twice fails with a {@link PluginConflict} that names both providers and where they were
 * loaded from.
 */
public final class PluginDiscovery {
    private PluginDiscovery() {
    }

    /**
     * The types published by all providers of {@code module} visible to {@code loader}, in discovery order.
     *
     * @param what  what a type is, for messages (e.g. "learner type")
     * @param types the types a provider publishes
     * @param name  a type's name
     */
    public static <M, T> Map<String, T> discover(Class<M> module, ClassLoader loader, String what,
                                                 Function<M, List<? extends T>> types, Function<T, String> name) {
        Map<String, T> out = new LinkedHashMap<>();
        Map<String, Object> providerOf = new LinkedHashMap<>();
        for (M provider : ServiceLoader.load(module, loader)) {
            for (T t : types.apply(provider)) {
                String n = name.apply(t);
                Object earlier = providerOf.putIfAbsent(n, provider);
                if (earlier != null) {
                    throw new PluginConflict(what + " '" + n + "' is registered twice: by " + describe(earlier)
                            + " and by " + describe(provider) + "; remove one of them from the class path");
                }
                out.put(n, t);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** A provider's class name and the jar or directory it was loaded from. */
    public static String describe(Object provider) {
        Class<?> c = provider.getClass();
        CodeSource src = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
        return c.getName() + (src == null || src.getLocation() == null ? "" : " (" + src.getLocation().getPath() + ")");
    }
}
