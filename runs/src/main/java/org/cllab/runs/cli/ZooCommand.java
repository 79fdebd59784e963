package org.cllab.runs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.ZooModule;
import org.cllab.runs.config.ConfigException;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cl zoo build CONFIG --out DIR} and {@code cl zoo evaluate CONFIG --zoo DIR --out FILE}: model zoos of weight
 * generators, dispatched to the {@link ZooModule} plug-in named by the config's {@code zoo.type}.
 */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "Build a model zoo (resumable) or run a weight "
        + "generator's experiment on one; the plug-in is chosen by the config's zoo.type.",
        subcommands = {ZooCommand.Build.class, ZooCommand.Evaluate.class})
public final class ZooCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("cl zoo: give a subcommand: build or evaluate");
        return Cl.BAD_INPUT;
    }

    /** The flattened YAML config ({@code a: {b: 1}} becomes {@code a.b = 1}) and its zoo module. */
    static Map.Entry<ZooModule, Map<String, Object>> load(Path config, List<String> sets) {
        if (!Files.isRegularFile(config)) {
            throw new ConfigException(config.toString(), "file", "not found");
        }
        Object root;
        try (InputStream in = Files.newInputStream(config)) {
            root = new Yaml().load(in);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(config.toString(), "yaml", String.valueOf(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new ConfigException(config.toString(), "yaml", "expected a mapping at the top");
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", m, flat);
        for (String kv : sets) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set", kv, "expected KEY=VALUE");
            }
            String v = kv.substring(eq + 1);
            flat.put(kv.substring(0, eq), v.isEmpty() ? null : new Yaml().load(v));
        }
        Object type = flat.get("zoo.type");
        if (type == null) {
            throw new ConfigException(config.toString(), "zoo.type", "missing");
        }
        List<ZooModule> modules = ServiceLoader.load(ZooModule.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        for (ZooModule z : modules) {
            if (z.name().equals(type.toString())) {
                return Map.entry(z, flat);
            }
        }
        throw new ConfigException(config.toString(), "zoo.type", "unknown '" + type + "' (installed: "
                + String.join(", ", modules.stream().map(ZooModule::name).toList()) + ")");
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub) {
                flatten(k + ".", sub, out);
            } else {
                out.put(k, e.getValue());
            }
        }
    }

    static int run(Path config, List<String> sets, ZooAction action) throws IOException {
        Map.Entry<ZooModule, Map<String, Object>> z = load(config, sets);
        try {
            action.run(z.getKey(), z.getValue());
            return 0;
        } catch (SettingProblem e) {
            throw new ConfigException(config.toString(), e.key(), e.getMessage());
        } catch (ZooModule.ZooProblem e) {
            System.err.println("cl: " + e.getMessage());
            return Cl.BAD_INPUT;
        }
    }

    interface ZooAction {
        void run(ZooModule module, Map<String, Object> config) throws IOException;
    }

    /** {@code cl zoo build CONFIG --out DIR}. */
    @Command(name = "build", mixinStandardHelpOptions = true, description = "Build (or resume) the model zoo of "
            + "CONFIG into DIR, printing progress.")
    static final class Build implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "zoo config (YAML)")
        Path config;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "zoo directory")
        Path out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
        List<String> sets = new java.util.ArrayList<>();

        @Override
        public Integer call() throws IOException {
            return run(config, sets, (m, c) -> m.build(c, out, System.out));
        }
    }

    /** {@code cl zoo evaluate CONFIG --zoo DIR --out FILE}. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Train the generator of CONFIG on the "
            + "zoo DIR and write its experiment's results to FILE (JSON).")
    static final class Evaluate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "zoo and generator config (YAML)")
        Path config;

        @Option(names = "--zoo", required = true, paramLabel = "DIR", description = "zoo directory")
        Path zoo;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "results file (JSON)")
        Path out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
        List<String> sets = new java.util.ArrayList<>();

        @Override
        public Integer call() throws IOException {
            return run(config, sets, (m, c) -> m.evaluate(c, zoo, out, System.out));
        }
    }
}
