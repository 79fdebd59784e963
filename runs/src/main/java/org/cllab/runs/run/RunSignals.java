package org.cllab.runs.run;

import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (SLURM time limit or preemption, {@code kill}, Ctrl-C) during a run: the first one asks the run to
 * stop at the next safe point (the next optimiser step, task start or task boundary, see {@link #check()}); the run
 * then ends with its last boundary intact and {@code "state": "interrupted"} in {@code summary.json}. The same signal
 * a second time stops the process at once (exit 128 + signal number; checkpoints are atomic, so that loses nothing
 * either). Outside a run (loading data, sweeps, reports) both signals keep their usual meaning: exit at once.
 */
public final class RunSignals {
    private static final Logger LOG = LogManager.getLogger(RunSignals.class);
    /** Exit codes of an interrupted run: 128 + signal number. */
    public static final Map<String, Integer> EXIT_CODES = Map.of("INT", 130, "TERM", 143);

    private static volatile String requested;
    private static volatile boolean active;

    private RunSignals() {
    }

    /** Installs the handlers (the {@code cl} process only; tests call {@link #request} instead). */
    public static void install() {
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), s -> received(s.getName()));
        }
    }

    private static void received(String name) {
        if (!active || name.equals(requested)) {
            Runtime.getRuntime().exit(EXIT_CODES.get(name));
            return;
        }
        if (requested != null) {
            LOG.warn("SIG{} received while already stopping after SIG{}; still stopping at the next safe point",
                    name, requested);
            return;
        }
        request(name);
        System.err.println("cl: SIG" + name + " received: stopping at the next safe point (send SIG" + name
                + " again to stop at once)");
    }

    /** Asks the running run to stop at its next safe point, as signal {@code name} ({@code TERM}, {@code INT}) does. */
    public static void request(String name) {
        if (!EXIT_CODES.containsKey(name)) {
            throw new IllegalArgumentException("unknown signal " + name);
        }
        requested = name;
        LOG.warn("SIG{} received: stopping at the next safe point", name);
    }

    /** @throws RunInterruptedException if a stop was requested during the current run */
    public static void check() {
        String r = requested;
        if (r != null && active) {
            throw new RunInterruptedException(r);
        }
    }

    /** Marks the start of a run (a stop requested before, e.g. while loading data, applies to it). */
    static void begin() {
        active = true;
    }

    /** Marks the end of a run and forgets any request. */
    static void end() {
        active = false;
        requested = null;
    }
}
