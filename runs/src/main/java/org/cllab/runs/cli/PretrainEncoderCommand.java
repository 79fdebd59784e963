package org.cllab.runs.cli;

import org.cllab.scenarios.data.StandardDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.run.EncoderPretraining;
import org.cllab.runs.run.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cl pretrain-encoder --out FILE}: trains the frozen encoder of the key-value bottleneck runs. */
@Command(name = "pretrain-encoder", mixinStandardHelpOptions = true,
        description = "Train a small MLP on a whole labelled dataset (default: all of Fashion-MNIST) and save its "
                + "hidden layers as a frozen encoder FILE with provenance FILE.json.")
public final class PretrainEncoderCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "encoder file to write")
    Path out;

    @Option(names = "--dataset", defaultValue = StandardDatasets.FASHION_MNIST, description = "name recorded in the provenance "
            + "(default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "IDX directory (default: "
            + "/usr/share/datasets/fashion-mnist)")
    Path dataDir;

    @Option(names = "--hidden", split = ",", paramLabel = "H", description = "hidden sizes (default: 256,128)")
    List<Integer> hidden = new ArrayList<>(EncoderPretraining.defaultHidden());

    @Option(names = "--epochs", defaultValue = "5", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : StandardDatasets.FASHION_MNIST_DEFAULT;
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--data-dir", dir.toString(), "directory not found");
        }
        if (epochs <= 0 || batchSize <= 0 || !(lr > 0) || hidden.isEmpty() || hidden.stream().anyMatch(h -> h <= 0)) {
            throw new ConfigException("pretrain-encoder", "options", "need epochs, batch size, lr > 0 and positive "
                    + "hidden sizes");
        }
        EncoderPretraining.Settings s = new EncoderPretraining.Settings(dir, dataset,
                hidden.stream().mapToInt(Integer::intValue).toArray(), epochs, batchSize, lr, seed, 0);
        EncoderPretraining.Result r = EncoderPretraining.train(s);
        EncoderPretraining.write(out, s, r);
        System.out.printf("encoder %s (%s): %s train accuracy %.4f, test accuracy %.4f, %.1f s, parameters sha256 %s%n",
                out, dataset, String.join("-", java.util.Arrays.stream(r.encoder().sizes()).mapToObj(String::valueOf)
                        .toList()), r.trainAccuracy(), r.testAccuracy(), r.seconds(), r.encoder().parameterHash());
        return 0;
    }
}
