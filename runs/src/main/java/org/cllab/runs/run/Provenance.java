package org.cllab.runs.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/** Where and how a run was produced: code version, machine, libraries, backend, seeds, config hash, data. */
public final class Provenance {
    private Provenance() {
    }

    public static ObjectNode collect(Experiment e, String configHash, Path configFile) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("created", Instant.now().toString());
        n.put("config_hash", configHash);
        n.put("config_file", configFile == null ? "" : configFile.toAbsolutePath().toString());
        ObjectNode code = n.putObject("code");
        Path home = Path.of(System.getProperty("cllab.home", "."));
        code.put("git_commit", git(home, "rev-parse", "HEAD"));
        String dirty = git(home, "status", "--porcelain", "--untracked-files=no");
        code.put("git_dirty", !dirty.isEmpty() && !dirty.equals("unknown"));
        code.put("cllab_version", String.valueOf(Provenance.class.getPackage().getImplementationVersion()));
        ObjectNode sys = n.putObject("system");
        sys.put("java_version", System.getProperty("java.version"));
        sys.put("java_vendor", System.getProperty("java.vendor"));
        sys.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        sys.put("arch", System.getProperty("os.arch"));
        sys.put("cpu", cpuModel());
        sys.put("cores", Runtime.getRuntime().availableProcessors());
        sys.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
        sys.put("host", hostName());
        sys.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        ObjectNode lib = n.putObject("libraries");
        lib.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        lib.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        lib.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        lib.put("blas", String.valueOf(Nd4j.getBlasWrapper().getClass().getSimpleName()));
        lib.put("omp_threads", Nd4j.getEnvironment().maxThreads());
        ObjectNode seeds = n.putObject("seeds");
        seeds.put("run", e.config().getLong("run.seed"));
        seeds.put("stream", e.streamSeed());
        seeds.put("learner", e.learnerSeed());
        n.put("data", e.scenario().dataProvenance());
        n.set("slurm", slurm(System.getenv()));
        return n;
    }

    /** Environment variables recorded in the {@code slurm} block, by their key in the block. */
    private static final Map<String, String> SLURM_KEYS = slurmKeys();

    private static Map<String, String> slurmKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("job_id", "SLURM_JOB_ID");
        m.put("array_job_id", "SLURM_ARRAY_JOB_ID");
        m.put("array_task_id", "SLURM_ARRAY_TASK_ID");
        m.put("restart_count", "SLURM_RESTART_COUNT");
        m.put("job_name", "SLURM_JOB_NAME");
        m.put("cluster", "SLURM_CLUSTER_NAME");
        m.put("partition", "SLURM_JOB_PARTITION");
        m.put("node", "SLURMD_NODENAME");
        m.put("cpus_per_task", "SLURM_CPUS_PER_TASK");
        m.put("gpus", "SLURM_JOB_GPUS");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The {@code slurm} block: where SLURM ran this process, read from its environment ({@code SLURM_JOB_ID},
     * {@code SLURM_ARRAY_JOB_ID}, {@code SLURM_ARRAY_TASK_ID}, {@code SLURM_RESTART_COUNT}, node, cluster,
     * partition, CPUs, GPUs). Empty outside SLURM. Ids are numbers when the variable is one.
     */
    public static ObjectNode slurm(Map<String, String> env) {
        ObjectNode slurm = Json.MAPPER.createObjectNode();
        if (env.get("SLURM_JOB_ID") == null) {
            return slurm;
        }
        SLURM_KEYS.forEach((key, var) -> {
            String v = env.get(var);
            if (v == null || v.isEmpty()) {
                return;
            }
            if (v.matches("\\d{1,18}")) {
                slurm.put(key, Long.parseLong(v));
            } else {
                slurm.put(key, v);
            }
        });
        return slurm;
    }

    static String git(Path dir, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = dir.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException ex) {
            return "unknown";
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String mavenVersion(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(res)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
