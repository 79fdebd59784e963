package org.cllab.runs.run;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Adds and removes the per-run {@code run.log} file appender (everything at INFO and above). */
public final class RunLog implements AutoCloseable {
    private static final String[] LOGGERS = {"org.cllab", "org.cllab.progress"};
    private final String name;

    private RunLog(String name) {
        this.name = name;
    }

    public static RunLog attach(Path file) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        String name = "run-" + file.toAbsolutePath();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
                .withPattern("%d{ISO8601} %-5level [%t] %c{1} - %msg%n").build();
        Appender app = FileAppender.newBuilder().setName(name).withFileName(file.toString()).withAppend(true)
                .setLayout(layout).setConfiguration(config).build();
        app.start();
        config.addAppender(app);
        config.getRootLogger().addAppender(app, Level.INFO, null);
        for (String logger : LOGGERS) {
            config.getLoggerConfig(logger).addAppender(app, Level.INFO, null);
        }
        ctx.updateLoggers();
        return new RunLog(name);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(name);
        for (String logger : LOGGERS) {
            config.getLoggerConfig(logger).removeAppender(name);
        }
        Appender app = config.getAppenders().get(name);
        if (app != null) {
            app.stop();
        }
        ctx.updateLoggers();
    }
}
