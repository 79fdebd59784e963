package org.cllab.runs.worker;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a run may change in its JVM, captured before the first run of a worker and put back after every run, so
 * that the next run starts from the state a fresh JVM would have:
 * <ul>
 *   <li>system properties (added ones removed, changed ones restored);</li>
 *   <li>ND4J's default data types ({@code Nd4j.dataType()}, {@code Nd4j.defaultFloatingPointType()});</li>
 *   <li>ND4J workspaces of the worker thread (destroyed: a workspace is created afresh by the next run, as in a
 *       fresh JVM, instead of handing out memory that still holds the previous run's values);</li>
 *   <li>log appenders that are not part of the logging configuration (a per-run {@code run.log} appender a run
 *       failed to remove would otherwise receive the next run's log);</li>
 *   <li>off-heap memory of the finished run's arrays (ND4J frees it only when the Java objects are collected, so a
 *       garbage collection is requested).</li>
 * </ul>
 * Left in place on purpose: loaded classes, JIT code, ND4J's native backend and thread pools (state-free between
 * calls), and the data cache of {@code Experiment} (immutable {@code ImageSet}s keyed by dataset and directory: the
 * same bytes a fresh JVM would read). The byte-identity test ({@code ReusedJvmIdentityTest}) checks the result.
 */
public final class JvmState {
    private final Properties properties;
    private final DataType dataType;
    private final DataType floatingType;
    private final Set<String> appenders;

    private JvmState(Properties properties, DataType dataType, DataType floatingType, Set<String> appenders) {
        this.properties = properties;
        this.dataType = dataType;
        this.floatingType = floatingType;
        this.appenders = appenders;
    }

    /** The state now (call before the first run). */
    public static JvmState capture() {
        Properties p = new Properties();
        p.putAll(System.getProperties());
        return new JvmState(p, Nd4j.dataType(), Nd4j.defaultFloatingPointType(), appenderNames());
    }

    /** Puts the captured state back (call after every run, on the thread that ran it). */
    public void restore() {
        Properties now = System.getProperties();
        for (Object k : List.copyOf(now.keySet())) {
            if (!properties.containsKey(k)) {
                now.remove(k);
            }
        }
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (!e.getValue().equals(now.get(e.getKey()))) {
                now.put(e.getKey(), e.getValue());
            }
        }
        if (Nd4j.dataType() != dataType || Nd4j.defaultFloatingPointType() != floatingType) {
            Nd4j.setDefaultDataTypes(dataType, floatingType);
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        removeAppendersExcept(appenders);
        System.gc();
    }

    private static Set<String> appenderNames() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        return Set.copyOf(ctx.getConfiguration().getAppenders().keySet());
    }

    /** Removes every appender not in {@code keep} from the configuration and all its loggers. */
    private static void removeAppendersExcept(Set<String> keep) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        Set<String> extra = new HashSet<>(config.getAppenders().keySet());
        extra.removeAll(keep);
        if (extra.isEmpty()) {
            return;
        }
        for (String name : extra) {
            Appender app = config.getAppenders().get(name);
            for (LoggerConfig l : config.getLoggers().values()) {
                l.removeAppender(name);
            }
            config.getRootLogger().removeAppender(name);
            if (config instanceof AbstractConfiguration c) {
                c.removeAppender(name); // RunLog stops its appender but leaves it in the configuration's map
            }
            if (app != null) {
                app.stop();
            }
        }
        ctx.updateLoggers();
    }
}
