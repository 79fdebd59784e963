package org.cllab.runs.reproduce;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated reproduction file ({@link ReproductionFile}).
 *
 * @param file                the reproduction file
 * @param name                its name (file name without {@code .yaml})
 * @param title               what it reproduces, one line
 * @param page                results page (relative to the project root) whose table block {@code --write-docs}
 *                            regenerates, if any
 * @param block               name of that block ("" = the page's unnamed block)
 * @param expectedWallMinutes expected wall time of all runs on 2 cores, minutes (shown by {@code --list})
 * @param requires            files the runs need, with the {@code cl} command that makes one when it is missing
 * @param runs                run groups, in file order
 * @param figures             figures of the table, in file order
 */
public record Reproduction(Path file, String name, String title, Optional<String> page, String block,
                           double expectedWallMinutes, List<Requirement> requires, List<RunGroup> runs,
                           List<Figure> figures) {
    /**
     * A file the runs need.
     *
     * @param file    path relative to the working directory
     * @param command {@code cl} arguments that create it
     */
    public record Requirement(String file, List<String> command) {
    }

    /**
     * One group of runs: a run config x seeds (with {@code set} overrides), or a sweep file.
     *
     * @param name   unique name; the figures refer to it (the learner column of the table)
     * @param config run config (absolute), when the group is config x seeds
     * @param sweep  sweep file (absolute), when the group is a sweep
     * @param set    config keys set for every run of a config group (dotted keys)
     * @param seeds  {@code run.seed} values of a config group
     */
    public record RunGroup(String name, Optional<Path> config, Optional<Path> sweep, Map<String, Object> set,
                           List<Long> seeds) {
        /** The name as a directory name: characters other than letters, digits, '.', '_', '-' become '-'. */
        public String slug() {
            return name.replaceAll("[^A-Za-z0-9._-]", "-");
        }
    }

    /**
     * One figure: the mean over seeds of one metric of one run group in one evaluation mode.
     *
     * @param learner   run group name
     * @param mode      evaluation mode (a key of {@code summary.json}'s {@code evaluations})
     * @param metric    {@code acc}, {@code bwt} or {@code forgetting}
     * @param reference the reference value
     * @param source    where the reference value comes from
     * @param tolerance largest accepted |ours - reference|
     * @param table     heading of the table the figure is shown in ("" = none)
     */
    public record Figure(String learner, String mode, String metric, double reference, String source,
                         double tolerance, String table) {
        /** "learner mode metric", how {@code --check} names the figure. */
        public String id() {
            return learner + " " + mode + " " + metric;
        }
    }
}
