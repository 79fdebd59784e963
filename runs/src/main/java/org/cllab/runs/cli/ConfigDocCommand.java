package org.cllab.runs.cli;

import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigSchema;
import org.cllab.runs.sweep.SweepFile;
import picocli.CommandLine.Command;

/** {@code cl config-doc}: prints the config reference ({@code docs/config.md}): run-config keys, then sweep files. */
@Command(name = "config-doc", mixinStandardHelpOptions = true,
        description = "Print the config reference (docs/config.md) generated from the schema.")
public final class ConfigDocCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ConfigSchema.standard().markdown() + "\n" + SweepFile.markdown()
                + "\n" + org.cllab.runs.reproduce.ReproductionFile.markdown());
        return 0;
    }
}
