package org.cllab.runs.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.PluginConflict;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.ConfigSchema;
import org.cllab.runs.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plug-in discovery: what is installed, committed configs, keys a type does not use, a config's identity, and two
 * providers of one name (in a class loader and, as a user would meet it, as an extra jar on the command line).
 */
class PluginsTest {
    private static final String SERVICES = "META-INF/services/" + LearnerModule.class.getName();

    @TempDir
    Path tmp;

    @Test
    void everyModulesTypesAreInstalled() {
        Plugins p = Plugins.installed();
        assertTrue(p.learners().keySet().containsAll(List.of("finetune", "joint", "ewc", "online-ewc", "si", "er",
                "lwf", "dkvb", "ncm", "hnet", "rnn-hnet")), p.learners().keySet().toString());
        assertTrue(p.scenarios().keySet().containsAll(List.of("split", "permuted", "rotated", "gaussian-toy")));
        assertTrue(p.datasets().keySet().containsAll(List.of("mnist", "fashion-mnist", "cifar10")));
        assertEquals(List.copyOf(p.learners().keySet()), ConfigSchema.standard().learnerTypes());
    }

    @Test
    void everyCommittedConfigLoadsUsesOnlyItsKeysAndRoundTrips() throws IOException {
        List<Path> configs;
        try (Stream<Path> s = Files.list(Path.of("configs"))) {
            configs = s.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().startsWith("sweep"))
                    .sorted().toList();
        }
        assertTrue(configs.size() >= 27, configs.toString());
        for (Path f : configs) {
            RunConfig c = new ConfigLoader().load(f, List.of());
            assertEquals(List.of(), List.copyOf(c.ignoredKeys().keySet()), f + " sets keys its types do not use");
            Path again = tmp.resolve(f.getFileName());
            Files.writeString(again, c.toYaml());
            assertEquals(c.toYaml(), new ConfigLoader().load(again, List.of()).toYaml(), f.toString());
        }
    }

    @Test
    void aKeyOfAnotherTypeIsIgnoredWithAWarningAndLeftOutOfTheIdentity() {
        RunConfig plain = new ConfigLoader().load(null, List.of("learner.type=finetune"));
        RunConfig extra = new ConfigLoader().load(null, List.of("learner.type=finetune", "learner.ewc.lambda=5"));
        assertEquals("--set: learner.ewc.lambda: ignored: not used by learner type finetune (used by ewc, "
                + "online-ewc)", extra.ignoredKeys().get("learner.ewc.lambda"));
        assertEquals(plain.hash(), extra.hash());
        assertFalse(extra.toYaml().contains("ewc"));
        assertTrue(new ConfigLoader().load(null, List.of("learner.type=ewc")).toYaml().contains("  ewc:\n"));
        // an ignored key is still checked like any value
        assertThrows(org.cllab.runs.config.ConfigException.class, () -> new ConfigLoader().load(null,
                List.of("learner.type=finetune", "learner.ewc.lambda=-1")));
    }

    @Test
    void aValueATypeRefusesIsABadConfig() {
        var e = assertThrows(org.cllab.runs.config.ConfigException.class, () -> new ConfigLoader().load(null,
                List.of("learner.type=hnet", "scenario.mode=task-incremental", "learner.optimizer=sgd")));
        assertEquals("--set: learner.optimizer: hnet trains with Adam (hypnettorch's setting): use adam",
                e.getMessage());
    }

    @Test
    void twoProvidersOfOneNameFailNamingBoth() throws IOException {
        Path dir = tmp.resolve("plugin");
        Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(dir.resolve(SERVICES), DuplicateFinetuneModule.class.getName() + "\n");
        try (URLClassLoader l = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            PluginConflict e = assertThrows(PluginConflict.class, () -> Plugins.discover(l));
            assertTrue(e.getMessage().startsWith("learner type 'finetune' is registered twice: by "
                    + "org.cllab.core.learners.BaselineLearners ("), e.getMessage());
            assertTrue(e.getMessage().contains(" and by " + DuplicateFinetuneModule.class.getName()), e.getMessage());
        }
    }

    @Test
    void aKeyDeclaredDifferentlyByTwoTypesFailsNamingBoth() throws IOException {
        Path dir = tmp.resolve("clash");
        Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(dir.resolve(SERVICES), DuplicateFinetuneModule.Renamed.class.getName() + "\n");
        try (URLClassLoader l = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Plugins.discover(l));
            assertTrue(e.getMessage().startsWith("config key learner.lr is declared differently by learner type "
                    + "finetune"), e.getMessage());
            assertTrue(e.getMessage().contains("learner type clash"), e.getMessage());
        }
    }

    /** Acceptance: a jar with a second provider of {@code finetune} on the class path stops `cl` at start. */
    @Test
    void aJarWithASecondProviderStopsTheCommandLineInOneLine() throws Exception {
        Path jar = tmp.resolve("third-party-learners.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(SERVICES));
            out.write((DuplicateFinetuneModule.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Class<?> c : List.of(DuplicateFinetuneModule.class, DuplicateFinetuneModule.Clash.class,
                    Class.forName(DuplicateFinetuneModule.class.getName() + "$1"))) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (var in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
            }
        }
        String classPath = mainClassPath() + java.io.File.pathSeparator + jar;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "org.cllab.runs.cli.Cl", "config-doc"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("cl: learner type 'finetune' is registered twice: by "
                + "org.cllab.core.learners.BaselineLearners ("), err);
        assertTrue(lines.get(0).contains("and by " + DuplicateFinetuneModule.class.getName() + " (" + jar), err);
    }

    /** The class path without this module's test classes (so the fixture comes only from the jar). */
    private static String mainClassPath() {
        List<String> parts = new ArrayList<>();
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String e : full.split(java.io.File.pathSeparator)) {
            if (!e.endsWith("test-classes") && !e.endsWith("test-classes/")) {
                parts.add(e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
