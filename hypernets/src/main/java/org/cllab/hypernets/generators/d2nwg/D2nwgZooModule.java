package org.cllab.hypernets.generators.d2nwg;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.cllab.core.spi.ZooModule;

/** {@code zoo.type: d2nwg}: builds a {@link Zoo} of classification heads and runs the {@link ZooExperiment}. */
public final class D2nwgZooModule implements ZooModule {
    @Override
    public String name() {
        return "d2nwg";
    }

    @Override
    public String doc() {
        return "D2NWG (Soro et al., ICLR 2025): zoo of heads on a frozen encoder over 5-way MNIST+Fashion-MNIST tasks";
    }

    @Override
    public void build(Map<String, Object> config, Path out, PrintStream progress) throws IOException {
        Keys k = new Keys(config);
        k.s("zoo.type", "d2nwg");
        ZooSettings s = ZooSettings.read(k);
        ZooExperiment.Settings.read(k); // validates the whole config, so that one file serves both steps
        k.finish();
        Zoo.build(s, out, progress);
    }

    @Override
    public void evaluate(Map<String, Object> config, Path zoo, Path out, PrintStream progress) throws IOException {
        Keys k = new Keys(config);
        k.s("zoo.type", "d2nwg");
        ZooSettings s = ZooSettings.read(k);
        ZooExperiment.Settings e = ZooExperiment.Settings.read(k);
        k.finish();
        ZooExperiment.run(s, e, zoo, out, progress);
    }
}
