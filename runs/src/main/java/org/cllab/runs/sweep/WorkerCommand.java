package org.cllab.runs.sweep;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one run of a sweep is started: a fresh JVM running {@code org.cllab.runs.cli.Cl run CONFIG --out RUN_DIR}
 * (native memory and static state stay isolated per run). By default the JVM, class path and memory options are
 * those of the current process.
 *
 * @param java       the {@code java} executable
 * @param classPath  class path entries (absolute)
 * @param jvmOptions options before the main class ({@code -Xmx...}, {@code -D...})
 */
public record WorkerCommand(String java, List<String> classPath, List<String> jvmOptions) {
    /** Main class of a worker. */
    public static final String MAIN = "org.cllab.runs.cli.Cl";

    public WorkerCommand {
        classPath = List.copyOf(classPath);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The command of the current JVM: its {@code java} binary ({@code ProcessHandle.current().info().command()},
     * else {@code java.home}), its {@code java.class.path} made absolute, and the options it was started with that
     * matter for a run: {@code -Xmx}, {@code -Xms}, {@code -Dorg.bytedeco.*}, {@code -Dcllab.home}.
     */
    public static WorkerCommand current() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                cp.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        List<String> opts = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Dorg.bytedeco.")) {
                opts.add(a);
            }
        }
        String home = System.getProperty("cllab.home");
        if (home != null) {
            opts.add("-Dcllab.home=" + Path.of(home).toAbsolutePath().normalize());
        }
        return new WorkerCommand(java, cp, opts);
    }

    /** This command with one more JVM option. */
    public WorkerCommand withJvmOption(String option) {
        List<String> o = new ArrayList<>(jvmOptions);
        o.add(option);
        return new WorkerCommand(java, classPath, o);
    }

    /** {@code java [options] -cp CP org.cllab.runs.cli.Cl}. */
    private List<String> mainCommand() {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(String.join(File.pathSeparator, classPath));
        c.add(MAIN);
        return c;
    }

    /** The command line running {@code config} into {@code runDir}. */
    public List<String> command(Path config, Path runDir) {
        List<String> c = mainCommand();
        c.add("run");
        c.add(config.toAbsolutePath().toString());
        c.add("--out");
        c.add(runDir.toAbsolutePath().toString());
        return c;
    }

    /**
     * The command line of a long-lived worker ({@code cl worker --max-runs N}): it reads
     * {@code RUN_DIR<TAB>CONFIG} lines from standard input and runs each like {@link #command} would
     * ({@link org.cllab.runs.worker.RunWorker}).
     *
     * @param maxRuns runs before the worker ends by itself (0 = until the end of its input)
     */
    public List<String> loopCommand(int maxRuns) {
        List<String> c = mainCommand();
        c.add("worker");
        c.add("--max-runs");
        c.add(Integer.toString(maxRuns));
        return c;
    }

    /**
     * Environment variables added for a worker: {@code OMP_WAIT_POLICY=PASSIVE}, {@code OMP_NUM_THREADS=threads}
     * and, when {@code device} is given, {@code CUDA_VISIBLE_DEVICES} (the GPU index, or empty for the CPU).
     *
     * @param device  the device of the run, or null to leave {@code CUDA_VISIBLE_DEVICES} alone (SLURM sets it)
     * @param threads OpenMP threads of the worker (> 0)
     */
    public static Map<String, String> environment(Device device, int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        if (device != null) {
            env.put("CUDA_VISIBLE_DEVICES", device.cudaVisibleDevices());
        }
        return env;
    }
}
