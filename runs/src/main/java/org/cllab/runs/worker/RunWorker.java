package org.cllab.runs.worker;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.cllab.runs.cli.Cl;

/**
 * The loop of {@code cl worker}: reads one run per line, {@code RUN_DIR<TAB>CONFIG}, and executes it exactly as
 * {@code cl run CONFIG --out RUN_DIR} (same command code, same exit codes: 0 finished, 2 bad input, 1 failed), one
 * after the other in this JVM. Around each run:
 * <ul>
 *   <li>the run's {@code System.out} / {@code System.err} are appended to {@code RUN_DIR/worker.out} /
 *       {@code worker.err} (created on the first write); a session's part of {@code worker.err} starts with a line
 *       naming this JVM and the run's ordinal in it (and the SLURM job when there is one);</li>
 *   <li>the protocol stream (this process's real standard output) gets {@code cl-worker: start RUN_DIR} before and
 *       {@code cl-worker: end CODE RUN_DIR} after the run;</li>
 *   <li>{@link JvmState#restore()} puts the JVM back to the state before the first run.</li>
 * </ul>
 * The loop ends at the end of its input, after {@code maxRuns} runs, or after the first run that did not exit with 0
 * (a failed run may leave the JVM in a state nobody vouches for; the caller starts a fresh worker for the rest).
 */
public final class RunWorker {
    /** Prefix of every protocol line. */
    public static final String PREFIX = "cl-worker: ";

    private RunWorker() {
    }

    /** A protocol line: {@code start} or {@code end} of a run. */
    public record Event(boolean start, int exitCode, Path runDir) {
        /** Parses a protocol line; null when {@code line} is not one (e.g. output of native code). */
        public static Event parse(String line) {
            if (!line.startsWith(PREFIX)) {
                return null;
            }
            String rest = line.substring(PREFIX.length());
            if (rest.startsWith("start ")) {
                return new Event(true, 0, Path.of(rest.substring("start ".length())));
            }
            if (rest.startsWith("end ")) {
                int sp = rest.indexOf(' ', 4);
                if (sp > 4) {
                    try {
                        return new Event(false, Integer.parseInt(rest.substring(4, sp)), Path.of(rest.substring(sp + 1)));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    /** One input line for {@code runDir} and {@code config}. */
    public static String line(Path runDir, Path config) {
        return runDir.toAbsolutePath() + "\t" + config.toAbsolutePath();
    }

    /**
     * Runs the runs read from {@code in} until its end or {@code maxRuns} (0 = no limit).
     *
     * @param protocol where start/end lines go
     * @return 0 when every run exited with 0, else the exit code of the run that did not (the loop stops there)
     */
    public static int loop(BufferedReader in, PrintStream protocol, int maxRuns) throws IOException {
        JvmState clean = JvmState.capture();
        int served = 0;
        String line;
        while ((maxRuns == 0 || served < maxRuns) && (line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1) {
                protocol.println(PREFIX + "bad input line (want RUN_DIR<TAB>CONFIG): " + line);
                protocol.flush();
                return Cl.BAD_INPUT;
            }
            Path runDir = Path.of(line.substring(0, tab));
            Path config = Path.of(line.substring(tab + 1));
            served++;
            protocol.println(PREFIX + "start " + runDir);
            protocol.flush();
            int code;
            try {
                code = runOne(runDir, config, served);
            } finally {
                clean.restore();
            }
            protocol.println(PREFIX + "end " + code + " " + runDir);
            protocol.flush();
            if (code != 0) {
                return code;
            }
        }
        return 0;
    }

    private static int runOne(Path runDir, Path config, int ordinal) throws IOException {
        String job = System.getenv("SLURM_JOB_ID");
        String header = "cl-worker: run " + ordinal + " of JVM " + ProcessHandle.current().pid()
                + (job == null ? "" : ", SLURM job " + job + " = array task " + System.getenv("SLURM_ARRAY_JOB_ID")
                + "_" + System.getenv("SLURM_ARRAY_TASK_ID") + " on " + System.getenv("SLURMD_NODENAME"))
                + " at " + Instant.now() + "\n";
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        // opened on first write: cl run refuses a new run directory that already holds files
        try (LazyFile outFile = new LazyFile(runDir.resolve("worker.out"), "");
             LazyFile errFile = new LazyFile(runDir.resolve("worker.err"), header);
             PrintStream out = new PrintStream(outFile, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errFile, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            System.setErr(err);
            try {
                return Cl.execute("run", config.toAbsolutePath().toString(), "--out",
                        runDir.toAbsolutePath().toString());
            } catch (Throwable t) { // an Error escapes picocli's handler: report it in the run's files, end the loop
                t.printStackTrace(err);
                return 1;
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
    }

    /** A file appended to, created (with its header) only when something is written. */
    private static final class LazyFile extends OutputStream {
        private final Path file;
        private final String header;
        private OutputStream out;

        LazyFile(Path file, String header) {
            this.file = file;
            this.header = header;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = new FileOutputStream(file.toFile(), true);
                out.write(header.getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        /** Closes the file; a header nothing followed is still written when the run directory exists. */
        @Override
        public void close() throws IOException {
            if (out == null && !header.isEmpty() && Files.isDirectory(file.getParent())) {
                out();
            }
            if (out != null) {
                out.close();
            }
        }
    }
}
