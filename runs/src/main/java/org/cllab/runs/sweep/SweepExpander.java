package org.cllab.runs.sweep;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.cllab.core.rng.Rng;
import org.cllab.core.rng.Seeds;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.config.ConfigLoader;
import org.cllab.runs.config.RunConfig;

/**
 * Expands a {@link SweepSpec} into its runs and validates every one with the normal {@link ConfigLoader} before
 * anything is written.
 *
 * <p>Runs are the product learners x grid points x random draws x seeds, in that nesting order (the last grid key
 * varies fastest). A run's config is the base config, then the sweep's {@code set}, then its learner entry
 * ({@code learner.type} and the entry's {@code set}), its grid point, its random draw and {@code run.seed}. Its id is
 * the first {@value SweepRun#ID_LENGTH} hex digits of the SHA-256 of the resolved canonical config, so it depends only
 * on the resolved values: not on the order of keys in the sweep or base file, and not on the position of the run in
 * the sweep. Two runs with the same config are an error (duplicate id).
 *
 * <p>Random draws (our choice of scheme): parameter {@code key} of draw {@code d} is drawn from {@code
 * Rng(Seeds.derive(random.seed, "sweep/" + key + "/" + d))}; the same draws are used for every learner and seed, so
 * learners are compared on the same hyperparameter points. Real-valued draws are rounded to 6 significant digits so
 * that they read well in configs and tables and survive the YAML round trip exactly.
 */
public final class SweepExpander {
    private static final MathContext SIX_DIGITS = new MathContext(6);

    private SweepExpander() {
    }

    /** Expands and validates {@code spec}; the first problem is thrown as a one-line {@link ConfigException}. */
    public static SweepPlan expand(SweepSpec spec) {
        ConfigLoader loader = new ConfigLoader();
        String src = spec.file().toString();
        Path base = spec.base().orElse(null);
        Map<String, Object> baseGiven = base == null ? Map.of() : readGiven(base);
        if (base != null) {
            loader.load(base, List.of()); // a broken base config is reported as such (BASE: key: problem)
        }
        List<SweepSpec.LearnerEntry> learners = spec.learners().isEmpty()
                ? Arrays.asList((SweepSpec.LearnerEntry) null) : spec.learners();
        List<Map<String, Object>> points = gridPoints(spec.grid());
        int draws = Math.max(1, spec.random().draws());
        List<Long> seeds = spec.seeds().isEmpty() ? Arrays.asList((Long) null) : spec.seeds();

        List<SweepRun> runs = new ArrayList<>();
        Map<String, SweepRun> byId = new HashMap<>();
        List<String> fullHashes = new ArrayList<>();
        Set<String> roundTripped = new HashSet<>();
        Path tmp = null;
        try {
            tmp = Files.createTempFile("cllab-sweep-", ".yaml");
            int n = 0;
            for (SweepSpec.LearnerEntry le : learners) {
                for (Map<String, Object> point : points) {
                    for (int d = 0; d < draws; d++) {
                        Map<String, Object> drawn = spec.random().draws() == 0 ? Map.of()
                                : draw(spec.random(), d, loader, src);
                        for (Long seed : seeds) {
                            n++;
                            Map<String, Object> overrides = new LinkedHashMap<>(spec.set());
                            Map<String, Object> varied = new TreeMap<>();
                            if (le != null) {
                                varied.put("learner.type", le.type());
                                varied.putAll(le.set());
                            }
                            varied.putAll(point);
                            varied.putAll(drawn);
                            if (le != null) {
                                overrides.put("learner.type", le.type());
                                overrides.putAll(le.set());
                            }
                            overrides.putAll(point);
                            overrides.putAll(drawn);
                            if (seed != null) {
                                overrides.put("run.seed", seed);
                            }
                            String label = label(le, varied, seed);
                            RunConfig cfg;
                            try {
                                cfg = load(loader, base, baseGiven, overrides, src);
                            } catch (ConfigException e) {
                                String where = e.source().equals(src) ? "" : " (in " + e.source() + ")";
                                throw new ConfigException(src, "run " + n + " (" + label + ")", e.key() + ": "
                                        + SweepFile.problem(e) + where);
                            }
                            String hash = cfg.hash();
                            // runs that differ only in run.seed (an integer: exact in YAML) share one check
                            Map<String, Object> withoutSeed = new LinkedHashMap<>(cfg.values());
                            withoutSeed.remove("run.seed");
                            if (roundTripped.add(withoutSeed.toString())) {
                                checkRoundTrip(cfg, tmp, loader, src, n, label);
                            }
                            String id = hash.substring(0, SweepRun.ID_LENGTH);
                            SweepRun run = new SweepRun(id, n - 1, cfg.getString("learner.type"), varied,
                                    cfg.getLong("run.seed"), cfg);
                            SweepRun other = byId.putIfAbsent(id, run);
                            if (other != null) {
                                throw new ConfigException(src, "run " + n + " (" + label + ")", "resolves to the "
                                        + "same config as run " + (other.index() + 1) + " (" + other.label()
                                        + "), duplicate run id " + id + "; remove one of them"
                                        + (cfg.ignoredKeys().isEmpty() ? "" : " (" + String.join(", ",
                                        cfg.ignoredKeys().keySet()) + " not used by " + cfg.getString("learner.type")
                                        + ": vary it in that learner's entry of learners: instead)"));
                            }
                            runs.add(run);
                            fullHashes.add(hash);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file of the round-trip check
                }
            }
        }
        return new SweepPlan(spec, runs, sweepHash(fullHashes));
    }

    /**
     * The key-value pairs of the base file as {@code ConfigLoader} reads them (the same library calls), read once
     * per sweep instead of once per run; null when it cannot be read (then every run goes through the loader's own
     * file reading, which words the error).
     */
    private static Map<String, Object> readGiven(Path base) {
        YAMLConfiguration yaml = new YAMLConfiguration();
        try (Reader r = Files.newBufferedReader(base)) {
            yaml.read(r);
        } catch (IOException | ConfigurationException | RuntimeException e) {
            return null;
        }
        Map<String, Object> given = new LinkedHashMap<>();
        for (Iterator<String> it = yaml.getKeys(); it.hasNext(); ) {
            String key = it.next();
            given.put(key, yaml.getProperty(key));
        }
        return given;
    }

    /**
     * The run's config: the base's pairs (read once) plus the overrides through the loader's full validation; when
     * that fails, or the base could not be read up front, the loader reads the base file itself, so that an error
     * names the file it comes from exactly as {@code cl run} would.
     */
    private static RunConfig load(ConfigLoader loader, Path base, Map<String, Object> baseGiven,
                                  Map<String, Object> overrides, String src) {
        if (base != null && baseGiven != null) {
            Map<String, Object> given = new LinkedHashMap<>(baseGiven);
            given.putAll(overrides);
            try {
                return loader.load(null, given, src);
            } catch (ConfigException e) {
                // fall through: the same validation again, with the base file as the source of its keys
            }
        }
        return loader.load(base, overrides, src);
    }

    /** Each worker re-reads the run's config.yaml: it must resolve to the same config. */
    private static void checkRoundTrip(RunConfig cfg, Path tmp, ConfigLoader loader, String src, int n,
                                       String label) throws IOException {
        Files.writeString(tmp, cfg.toYaml());
        RunConfig again;
        try {
            again = loader.load(tmp, List.of());
        } catch (ConfigException e) {
            throw new ConfigException(src, "run " + n + " (" + label + ")", e.key() + ": the resolved config "
                    + "cannot be read back (" + SweepFile.problem(e) + ")");
        }
        if (!again.toYaml().equals(cfg.toYaml())) {
            throw new ConfigException(src, "run " + n + " (" + label + ")", "the resolved config changes when "
                    + "read back from YAML (a value YAML cannot represent exactly)");
        }
    }

    /** The cartesian product of the grid axes, last axis fastest; one empty point for an absent grid. */
    static List<Map<String, Object>> gridPoints(Map<String, List<Object>> grid) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /** The values of draw {@code d} (see the class comment), checked against the schema. */
    static Map<String, Object> draw(SweepSpec.RandomSpec random, int d, ConfigLoader loader, String src) {
        Map<String, Object> out = new LinkedHashMap<>();
        random.params().forEach((key, dist) -> {
            Rng rng = new Rng(Seeds.derive(random.seed(), "sweep/" + key + "/" + d));
            List<Object> v = dist.values();
            Object value = switch (dist.kind()) {
                case "uniform" -> {
                    double lo = ((Number) v.get(0)).doubleValue();
                    double hi = ((Number) v.get(1)).doubleValue();
                    yield round(lo + (hi - lo) * rng.nextDouble());
                }
                case "log_uniform" -> {
                    double lo = Math.log(((Number) v.get(0)).doubleValue());
                    double hi = Math.log(((Number) v.get(1)).doubleValue());
                    yield round(Math.exp(lo + (hi - lo) * rng.nextDouble()));
                }
                case "int_uniform" -> {
                    long lo = ((Number) v.get(0)).longValue();
                    long hi = ((Number) v.get(1)).longValue();
                    yield lo + (long) Math.floor(rng.nextDouble() * (hi - lo + 1));
                }
                case "choice" -> v.get(rng.nextInt(v.size()));
                default -> throw new IllegalStateException(dist.kind());
            };
            try {
                out.put(key, loader.checkValue(src, key, value));
            } catch (ConfigException e) {
                throw new ConfigException(src, "random.params." + key, "draw " + d + " gave " + value + ": "
                        + SweepFile.problem(e));
            }
        });
        return out;
    }

    private static double round(double x) {
        return new BigDecimal(x).round(SIX_DIGITS).doubleValue();
    }

    private static String label(SweepSpec.LearnerEntry le, Map<String, Object> varied, Long seed) {
        StringBuilder b = new StringBuilder();
        varied.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=').append(v);
        });
        if (seed != null) {
            b.append(b.length() > 0 ? " " : "").append("seed=").append(seed);
        }
        return b.length() == 0 ? "base config" : b.toString();
    }

    private static String sweepHash(List<String> fullHashes) {
        List<String> sorted = new ArrayList<>(fullHashes);
        sorted.sort(null);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
