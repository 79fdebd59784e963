package org.cllab.runs.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllab.runs.run.AtomicFiles;
import org.cllab.runs.run.Json;

/**
 * The SLURM bookkeeping of a sweep directory, {@code DIR/slurm/}:
 * <pre>
 * DIR/slurm/jobs.json          every job array submitted for the sweep (rewritten atomically after each sbatch)
 * DIR/slurm/sNN-tasks.txt      task list of session NN: line i+1 = RUN_DIR&lt;TAB&gt;CONFIG of array index i
 *                              (with K runs per task, lines i*K+1..i*K+K)
 * DIR/slurm/sNN-cMM-tasks.txt  task list of the MM-th array of session NN, when the session's runs are more than
 *                              one array may hold (the cluster's MaxArraySize)
 * DIR/slurm/sNN-M.sh          the M-th array script of session NN (M &gt; 1: resubmitted failed indices)
 * DIR/slurm/logs/JOB_TASK.out  SLURM's --output/--error of each task (the worker's own output is in the run dir)
 * DIR/slurm/cancel-requested   written by ./cl cancel DIR
 * </pre>
 * {@code ./cl cancel DIR} reads {@code jobs.json}; a rerun of the sweep reads it to find tasks of an earlier session
 * that are still queued or running, and waits for those instead of submitting them again.
 */
public final class SubmissionLog {
    /**
     * One {@code sbatch}.
     *
     * @param jobId     the array's job id
     * @param session   sweep session number (one task list per session)
     * @param attempt   1 for the first submission of the session's runs, 2.. for resubmitted failed indices
     * @param submitted ISO-8601 time
     * @param script    the array script
     * @param taskList  the session's task list
     * @param runs      array index to run id, for the indices of this submission; a task that runs several runs
     *                  ({@code slurm.runs_per_task}) has their ids joined by commas
     */
    public record Submission(long jobId, int session, int attempt, String submitted, Path script, Path taskList,
                             Map<Integer, String> runs) {
        public Submission {
            runs = Map.copyOf(runs);
        }

        /** The run ids of array index {@code index} (empty when it is not part of this submission). */
        public List<String> runIds(int index) {
            String ids = runs.get(index);
            return ids == null ? List.of() : List.of(ids.split(","));
        }
    }

    private final Path dir;
    private final List<Submission> submissions;

    private SubmissionLog(Path dir, List<Submission> submissions) {
        this.dir = dir;
        this.submissions = submissions;
    }

    /** {@code DIR/slurm} of sweep directory {@code sweepDir}. */
    public static Path dirOf(Path sweepDir) {
        return sweepDir.resolve("slurm");
    }

    /** Reads {@code DIR/slurm/jobs.json}; empty when there is none. */
    public static SubmissionLog read(Path sweepDir) throws IOException {
        Path dir = dirOf(sweepDir);
        Path file = dir.resolve("jobs.json");
        List<Submission> subs = new ArrayList<>();
        if (Files.exists(file)) {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            for (JsonNode s : root.path("submissions")) {
                Map<Integer, String> runs = new LinkedHashMap<>();
                s.path("runs").fields().forEachRemaining(e -> runs.put(Integer.parseInt(e.getKey()),
                        e.getValue().asText()));
                subs.add(new Submission(s.path("job_id").asLong(), s.path("session").asInt(),
                        s.path("attempt").asInt(), s.path("submitted").asText(), Path.of(s.path("script").asText()),
                        Path.of(s.path("task_list").asText()), runs));
            }
        }
        return new SubmissionLog(dir, subs);
    }

    public List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    public Path dir() {
        return dir;
    }

    public Path logDir() {
        return dir.resolve("logs");
    }

    /** Written by {@code ./cl cancel DIR}: a sweep process that sees it resubmits nothing. */
    public Path cancelMarker() {
        return dir.resolve("cancel-requested");
    }

    /** The next session number (1 + the highest recorded). */
    public int nextSession() throws IOException {
        int max = submissions.stream().mapToInt(Submission::session).max().orElse(0);
        // a session whose task list exists but never got submitted (sbatch failed) still takes its number
        while (Files.exists(taskList(max + 1))) {
            max++;
        }
        return max + 1;
    }

    public Path taskList(int session) {
        return dir.resolve(String.format("s%02d-tasks.txt", session));
    }

    public Path script(int session, int attempt) {
        return dir.resolve(String.format("s%02d-a%d.sh", session, attempt));
    }

    /** Appends {@code s} and rewrites {@code jobs.json} atomically. */
    public void add(Submission s) throws IOException {
        submissions.add(s);
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("submissions");
        for (Submission x : submissions) {
            ObjectNode n = arr.addObject();
            n.put("job_id", x.jobId());
            n.put("session", x.session());
            n.put("attempt", x.attempt());
            n.put("submitted", x.submitted());
            n.put("script", x.script().toAbsolutePath().toString());
            n.put("task_list", x.taskList().toAbsolutePath().toString());
            ObjectNode runs = n.putObject("runs");
            x.runs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> runs.put(Integer.toString(e.getKey()), e.getValue()));
        }
        AtomicFiles.write(dir.resolve("jobs.json"), Json.MAPPER.writeValueAsBytes(root));
    }
}
