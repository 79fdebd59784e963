package org.cllab.runs.cli;

import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.slurm.SlurmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./cl}. */
@Command(name = "cl", mixinStandardHelpOptions = true, version = "CL-Lab 0.1.0",
        description = "CL-Lab: continual learning on the JVM.",
        subcommands = {RunCommand.class, SweepCommand.class, CancelCommand.class, DemoCommand.class,
                ReportCommand.class, ConfigDocCommand.class, PretrainEncoderCommand.class,
                WorkerLoopCommand.class, SynthRunsCommand.class})
public final class Cl implements Callable<Integer> {
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Runs the command line and returns the exit code (no {@code System.exit}). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Cl());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException) {
                System.err.println(ex.getMessage());
                return BAD_INPUT;
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
        System.exit(execute(args));
    }
}
