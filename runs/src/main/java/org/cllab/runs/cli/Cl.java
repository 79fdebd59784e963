package org.cllab.runs.cli;

import java.util.concurrent.Callable;
import org.cllab.core.spi.PluginConflict;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigSchema;
import org.cllab.runs.slurm.SlurmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./cl}. */
@Command(name = "cl", mixinStandardHelpOptions = true, version = "CL-Lab 0.1.0",
        description = "CL-Lab: continual learning on the JVM.",
        subcommands = {RunCommand.class, SweepCommand.class, CancelCommand.class, DemoCommand.class,
                ReportCommand.class, ConfigDocCommand.class, PretrainEncoderCommand.class, ServeCommand.class,
                WorkerLoopCommand.class, SynthRunsCommand.class, ReproduceCommand.class,
                ZooCommand.class})
public final class Cl implements Callable<Integer> {
    /** Exit code for bad input (config, data, {@code --out}), found before any work. */
    public static final int BAD_INPUT = 2;
    /** Exit code when a write failed during the work (no space left, I/O error): not a config error. */
    public static final int IO_FAILURE = 3;
    /** Exit code of a run stopped by a non-finite loss or parameter ({@code summary.json} holds the failure). */
    public static final int DIVERGED = 4;
    /** Exit code when the run directory is in use by another process. */
    public static final int LOCKED = 5;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Runs the command line and returns the exit code (no {@code System.exit}). */
    public static int execute(String... args) {
        try {
            ConfigSchema.standard(); // discovers the plug-ins: two providers of one type name stop here, in one line
        } catch (PluginConflict | IllegalStateException e) {
            System.err.println("cl: " + e.getMessage());
            return BAD_INPUT;
        }
        CommandLine cl = new CommandLine(new Cl());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException) {
                System.err.println(ex.getMessage());
                return BAD_INPUT;
            }
            Throwable io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
            if (io instanceof java.io.IOException e) {
                System.err.println("cl: " + org.cllab.runs.run.WriteFailedException.describe(e));
                return IO_FAILURE;
            }
            if (ex instanceof org.cllab.runs.run.RunDirectoryLockedException) {
                System.err.println("cl: " + ex.getMessage());
                return LOCKED;
            }
            if (ex instanceof SlurmException) {
                System.err.println("cl: " + ex.getMessage());
                return 1;
            }
            System.err.println("cl: internal error: " + ex);
            ex.printStackTrace(System.err);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("cl: " + ex.getMessage());
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        // Reports draw PNG plots with AWT; there is no display on compute nodes. Must precede any AWT class loading.
        System.setProperty("java.awt.headless", "true");
        org.cllab.runs.sweep.ParentWatch.startFromSystemProperty(); // sweep workers end with their sweep process
        org.cllab.runs.run.RunSignals.install(); // SIGTERM/SIGINT stop a run at its next safe point
        System.exit(execute(args));
    }
}
