package org.cllab.runs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.slurm.SlurmClient;
import org.cllab.runs.slurm.SlurmException;
import org.cllab.runs.slurm.SlurmExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cl cancel DIR}: cancels the SLURM jobs of a sweep directory. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel the queued and running SLURM tasks of the sweep in DIR (recorded in DIR/slurm/jobs.json). "
                + "A sweep process waiting for them reports them failed and resubmits nothing; rerunning the sweep "
                + "later resumes the unfinished runs.")
public final class CancelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "sweep directory (the --out of cl sweep)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("cancel", dir.toString(), "is not a directory");
        }
        SlurmClient client = new SlurmClient();
        List<Long> jobs;
        try {
            client.ping();
            jobs = SlurmExecutor.cancelSweep(dir, client);
        } catch (SlurmException e) {
            throw new ConfigException("cancel", dir.toString(), e.getMessage());
        }
        if (jobs.isEmpty()) {
            System.out.println("no queued or running SLURM tasks for " + dir);
        } else {
            System.out.println("cancelled SLURM job array" + (jobs.size() == 1 ? " " : "s ")
                    + String.join(", ", jobs.stream().map(String::valueOf).toList()) + " of " + dir);
        }
        return 0;
    }
}
